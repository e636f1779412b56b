import { Match } from 'aws-cdk-lib/assertions';
import { kindsReferenced, policyStatements, resourcesOf, synthPlatform, type PolicyStatement } from './synth';

const prod = () => synthPlatform('prod').controlPlane;
const statements = () => policyStatements(prod());
const functionStartingWith = (description: string) =>
  Object.entries(resourcesOf(prod(), 'AWS::Lambda::Function')).find(([, f]) =>
    String(f.Properties?.Description).startsWith(description),
  );
const variable = (description: string, name: string) =>
  (functionStartingWith(description)?.[1].Properties?.Environment as { Variables: Record<string, unknown> })
    .Variables[name];
/** BACKUP_CONFIG's Fn::Join parts from the part holding `from` up to the one holding `to`. */
function partsBetween(from: string, to: string): unknown[] {
  const parts = (variable('Backup verification', 'BACKUP_CONFIG') as { 'Fn::Join': [string, unknown[]] })[
    'Fn::Join'
  ][1];
  const at = (text: string) => {
    const index = parts.findIndex((p) => typeof p === 'string' && p.includes(text));
    if (index < 0) throw new Error(`BACKUP_CONFIG has no ${text}`);
    return index;
  };
  return parts.slice(at(from), at(to) + 1);
}
/** The statements that allow (or deny) `action`. */
const allowing = (action: string, effect = 'Allow') =>
  statements().filter(
    (s) =>
      (s as PolicyStatement & { Effect: string }).Effect === effect && [s.Action].flat().includes(action),
  );
const mountTargetsGroup = () =>
  Object.keys(resourcesOf(prod(), 'AWS::EC2::SecurityGroup')).find((id) =>
    id.includes('RestoredFilestoreSecurityGroup'),
  );

describe('backup-verification infrastructure', () => {
  test('the workflow runs the checked-in definition with its function and the escalation workflow', () => {
    prod().hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'influencegen-prod-backup-verification',
      DefinitionSubstitutions: {
        AssessFunctionArn: Match.anyValue(),
        EscalationStateMachineArn: Match.anyValue(),
        ValidateFunctionArn: Match.anyValue(),
        FilestoreValidateFunctionArn: {
          'Fn::GetAtt': [
            functionStartingWith('Restore test: validate the restored Odoo filestore')?.[0],
            'Arn',
          ],
        },
      },
    });
  });

  test('EventBridge Scheduler starts it every hour, with a dead-letter queue', () => {
    // The off-peak scale-decision schedules are Scheduler schedules too; this one starts the backup check.
    const [schedule] = Object.values(resourcesOf(prod(), 'AWS::Scheduler::Schedule')).filter(
      (s) => !String((s.Properties?.Target as { Input?: string })?.Input).includes('"scheduled"'),
    );
    expect(schedule?.Properties?.ScheduleExpression).toBe('rate(1 hour)');
    const target = schedule?.Properties?.Target as { Input: string; DeadLetterConfig: unknown };
    expect(JSON.parse(target.Input)).toEqual({ requestedBy: 'schedule' });
    expect(kindsReferenced('prod', target.DeadLetterConfig)).toEqual(['AWS::SQS::Queue']);
  });

  test('it may start backups only in the vault, pass only the backup role, and only to AWS Backup', () => {
    const start = statements().find((s) => JSON.stringify(s.Action).includes('backup:StartBackupJob'));
    expect(JSON.stringify(start?.Resource)).not.toContain('"*"');
    const pass = statements().find((s) => s.Action === 'iam:PassRole');
    expect(pass?.Condition?.StringEquals).toEqual({ 'iam:PassedToService': 'backup.amazonaws.com' });
    expect(JSON.stringify(pass?.Resource)).toContain('BackupRole');
  });

  test('the function gets the three protected resources, each with its own objective and alert threshold', () => {
    const text = JSON.stringify(variable('Backup verification', 'BACKUP_CONFIG'));
    for (const fragment of [
      '\\"id\\":\\"database\\"',
      '\\"type\\":\\"RDS\\"',
      '\\"id\\":\\"filestore\\"',
      '\\"type\\":\\"EFS\\"',
      '\\"objectiveMinutes\\":60,\\"alertAfterMinutes\\":105',
      '\\"id\\":\\"images\\"',
      '\\"type\\":\\"S3\\"',
      '\\"objectiveMinutes\\":15,\\"alertAfterMinutes\\":60',
    ])
      expect(text).toContain(fragment);
    // Each resource's ARN and name are the resource of its kind: the filestore is the EFS file system.
    const kinds = (from: string, to: string) => new Set(kindsReferenced('prod', partsBetween(from, to)));
    expect(kinds('"id":"database', '"id":"filestore')).toEqual(new Set(['AWS::RDS::DBInstance']));
    expect(kinds('"id":"filestore', '"id":"images')).toEqual(new Set(['AWS::EFS::FileSystem']));
    expect(kinds('"id":"images', '"filestoreRestore')).toEqual(new Set(['AWS::S3::Bucket']));
  });

  test("both backup plans are read: the continuous one of the database and images, the filestore's hourly one", () => {
    expect(kindsReferenced('prod', partsBetween('"plans', '"roleArn'))).toEqual([
      'AWS::Backup::BackupPlan',
      'AWS::Backup::BackupPlan',
    ]);
    expect(JSON.stringify(variable('Backup verification', 'BACKUP_CONFIG'))).toContain(
      '\\"label\\":\\"filestore\\",\\"continuous\\":false,\\"everyMinutes\\":60',
    );
    const [getPlan] = allowing('backup:GetBackupPlan');
    expect(kindsReferenced('prod', getPlan?.Resource)).toEqual([
      'AWS::Backup::BackupPlan',
      'AWS::Backup::BackupPlan',
    ]);
  });

  test('the router knows the workflow, so failed backup jobs and Odoo_Backup_Failure start it', () => {
    const router = Object.values(resourcesOf(prod(), 'AWS::Lambda::Function')).find((f) =>
      String(f.Properties?.Description).startsWith('Normalises alarms'),
    );
    const variables = (router?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables.WORKFLOW_ARNS)).toContain('backup-verification');
  });

  test('a weekly restore test of the database lands in the isolated subnets, reachable only by the validation', () => {
    prod().hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RestoreTestingPlanName: 'influencegen_prod_restore_test',
      ScheduleExpression: 'cron(0 5 ? * SUN *)',
      RecoveryPointSelection: Match.objectLike({ Algorithm: 'LATEST_WITHIN_WINDOW' }),
    });
    prod().hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'RDS',
      ValidationWindowHours: 4,
      RestoreMetadataOverrides: Match.objectLike({
        dbSubnetGroupName: Match.anyValue(),
        vpcSecurityGroupIds: Match.anyValue(),
      }),
    });
    const validator = functionStartingWith('Restore test: validate the restored Odoo database')?.[1];
    const vpcConfig = validator?.Properties?.VpcConfig as { SubnetIds: unknown; SecurityGroupIds: unknown };
    expect(new Set(kindsReferenced('prod', vpcConfig.SubnetIds))).toEqual(new Set(['AWS::EC2::Subnet']));
    expect(kindsReferenced('prod', vpcConfig.SecurityGroupIds)).toEqual(['AWS::EC2::SecurityGroup']);
    const ingress = Object.values(resourcesOf(prod(), 'AWS::EC2::SecurityGroupIngress')).filter(
      (r) =>
        r.Properties?.FromPort === 5432 && String(r.Properties?.Description).includes('restore validation'),
    );
    expect(ingress).toHaveLength(1);
    // Only the validation function's own security group may reach the restored instance.
    expect(ingress[0]?.Properties?.SourceSecurityGroupId).toEqual(
      (vpcConfig.SecurityGroupIds as unknown[])[0],
    );
  });

  test('a weekly restore test of the filestore: the EFS file system, restored encrypted with the data key', () => {
    const selections = Object.values(resourcesOf(prod(), 'AWS::Backup::RestoreTestingSelection'));
    const efs = selections.find((r) => r.Properties?.ProtectedResourceType === 'EFS');
    expect(efs?.Properties).toMatchObject({
      RestoreTestingPlanName: 'influencegen_prod_restore_test',
      RestoreTestingSelectionName: 'odoo_filestore',
      ValidationWindowHours: 4,
    });
    expect(kindsReferenced('prod', efs?.Properties?.ProtectedResourceArns)).toEqual(['AWS::EFS::FileSystem']);
    expect(kindsReferenced('prod', efs?.Properties?.RestoreMetadataOverrides)).toEqual(['AWS::KMS::Key']);
    expect(Object.keys(efs?.Properties?.RestoreMetadataOverrides as object)).toEqual(['kmsKeyId']);
  });

  test('the filestore validation function: in the VPC, NFS to the restored mount targets only, which take NFS from it only; read-only mount', () => {
    const [, validator] = functionStartingWith('Restore test: validate the restored Odoo filestore') ?? [];
    const vpcConfig = validator?.Properties?.VpcConfig as {
      SubnetIds: unknown[];
      SecurityGroupIds: unknown[];
    };
    expect(vpcConfig.SecurityGroupIds).toHaveLength(1);
    const own = (vpcConfig.SecurityGroupIds[0] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const groups = resourcesOf(prod(), 'AWS::EC2::SecurityGroup');
    const mountTargets = mountTargetsGroup();
    // The function's group: no inline rule (so not the default allow-all), one egress rule, NFS to the mount targets.
    expect(groups[own]?.Properties?.SecurityGroupEgress).toBeUndefined();
    const egress = Object.values(resourcesOf(prod(), 'AWS::EC2::SecurityGroupEgress')).filter((r) =>
      JSON.stringify(r.Properties?.GroupId).includes(own),
    );
    expect(egress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 2049,
        ToPort: 2049,
        DestinationSecurityGroupId: { 'Fn::GetAtt': [mountTargets, 'GroupId'] },
      }),
    ]);
    // The mount targets' group: nothing out, NFS in from the function only.
    expect(groups[mountTargets ?? '']?.Properties?.SecurityGroupEgress).toEqual([
      expect.objectContaining({ Description: 'Disallow all traffic' }),
    ]);
    const ingress = Object.values(resourcesOf(prod(), 'AWS::EC2::SecurityGroupIngress')).filter((r) =>
      JSON.stringify(r.Properties?.GroupId).includes(mountTargets ?? '?'),
    );
    expect(ingress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 2049,
        ToPort: 2049,
        SourceSecurityGroupId: { 'Fn::GetAtt': [own, 'GroupId'] },
      }),
    ]);
    // The workflow mounts in the function's subnets, in that group, at the path the function reads.
    expect(kindsReferenced('prod', partsBetween('"filestoreRestore', '"securityGroupId'))).toEqual(
      vpcConfig.SubnetIds.map(() => 'AWS::EC2::Subnet'),
    );
    expect(JSON.stringify(partsBetween('"filestoreRestore', '"securityGroupId'))).toEqual(
      expect.stringContaining(JSON.stringify(vpcConfig.SubnetIds[0])),
    );
    expect(JSON.stringify(partsBetween('"securityGroupId', '"posixUser'))).toContain(mountTargets);
    const config = JSON.parse(
      String(variable('Restore test: validate the restored Odoo filestore', 'FILESTORE_RESTORE_CONFIG')),
    ) as Record<string, unknown>;
    expect(config).toEqual({
      mountPath: '/mnt/filestore',
      database: 'odoo',
      objectiveMinutes: 60,
      rtoHours: 4,
    });
    expect(JSON.stringify(variable('Backup verification', 'BACKUP_CONFIG'))).toContain(
      '\\"localMountPath\\":\\"/mnt/filestore\\"',
    );
    // Read-only: ClientMount through a mount target, never ClientWrite or root.
    const roleOf = (validator?.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = Object.values(resourcesOf(prod(), 'AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties?.Roles).includes(roleOf),
    );
    const efsActions = policies
      .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: PolicyStatement[] }).Statement)
      .filter((s) => JSON.stringify(s.Action).includes('elasticfilesystem'));
    expect(efsActions).toEqual([
      expect.objectContaining({
        Action: 'elasticfilesystem:ClientMount',
        Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
      }),
    ]);
  });

  test("the workflow may change the one filestore validation function's configuration, and no other function's", () => {
    const [update] = allowing('lambda:UpdateFunctionConfiguration');
    expect(allowing('lambda:UpdateFunctionConfiguration')).toHaveLength(1);
    expect(update?.Resource).toEqual({
      'Fn::GetAtt': [functionStartingWith('Restore test: validate the restored Odoo filestore')?.[0], 'Arn'],
    });
  });

  test('EFS: restored file systems only (never the live filestore), access points tagged by the workflow, network interfaces in the validation subnets', () => {
    const efsArns = /^arn:aws:elasticfilesystem:eu-west-1:<account>:(file-system|access-point)\/\*$/;
    const arnText = (r: unknown) =>
      JSON.stringify(r)
        .replace(/",\{"Ref":"AWS::AccountId"\},"/g, '<account>')
        .replace(/[{}[\]"]|Fn::Join|,/g, '');
    for (const action of [
      'elasticfilesystem:CreateMountTarget',
      'elasticfilesystem:DeleteMountTarget',
      'elasticfilesystem:CreateAccessPoint',
      'elasticfilesystem:DeleteAccessPoint',
      'elasticfilesystem:DescribeMountTargets',
    ]) {
      const allowed = allowing(action);
      expect(allowed.length).toBeGreaterThan(0);
      for (const s of allowed)
        for (const r of [s.Resource].flat()) expect(arnText(r).replace(/^:?/, '')).toMatch(efsArns);
    }
    expect(allowing('elasticfilesystem:CreateAccessPoint')[0]?.Condition).toEqual({
      StringEquals: { 'aws:RequestTag/influencegen:restore-validation': 'prod' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['influencegen:restore-validation'] },
    });
    expect(allowing('elasticfilesystem:DeleteAccessPoint')[0]?.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/influencegen:restore-validation': 'prod' },
    });
    const [deny] = allowing('elasticfilesystem:CreateMountTarget', 'Deny');
    expect([deny?.Action].flat().sort()).toEqual([
      'elasticfilesystem:CreateAccessPoint',
      'elasticfilesystem:CreateMountTarget',
      'elasticfilesystem:DeleteMountTarget',
    ]);
    expect(kindsReferenced('prod', deny?.Resource)).toEqual(['AWS::EFS::FileSystem']);
    // The mount targets' network interfaces: created in the validation subnets and group, deleted only there.
    const [create] = allowing('ec2:CreateNetworkInterface').filter((s) => s.Resource !== '*');
    expect(new Set(kindsReferenced('prod', create?.Resource))).toEqual(
      new Set(['AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup']),
    );
    expect(JSON.stringify(create?.Resource)).toContain(mountTargetsGroup());
    const [remove] = allowing('ec2:DeleteNetworkInterface').filter((s) => s.Resource !== '*');
    expect(remove?.Condition?.ArnEquals?.['ec2:Subnet']).toEqual(
      expect.arrayContaining([expect.objectContaining({ 'Fn::Join': expect.anything() })]),
    );
    expect(new Set(kindsReferenced('prod', remove?.Condition))).toEqual(new Set(['AWS::EC2::Subnet']));
  });

  test('restore jobs that ended reach the router', () => {
    prod().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.backup'],
        'detail-type': ['Restore Job State Change'],
        detail: { status: ['COMPLETED', 'FAILED', 'ABORTED'] },
      },
    });
  });
});
