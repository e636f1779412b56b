import { Match } from 'aws-cdk-lib/assertions';
import { kindsReferenced, policyStatements, resourcesOf, synthPlatform } from './synth';

const prod = () => synthPlatform('prod').controlPlane;
const statements = () => policyStatements(prod());

describe('backup-verification infrastructure', () => {
  test('the workflow runs the checked-in definition with its function and the escalation workflow', () => {
    prod().hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'influencegen-prod-backup-verification',
      DefinitionSubstitutions: {
        AssessFunctionArn: Match.anyValue(),
        EscalationStateMachineArn: Match.anyValue(),
      },
    });
  });

  test('EventBridge Scheduler starts it every hour, with a dead-letter queue', () => {
    const [schedule] = Object.values(resourcesOf(prod(), 'AWS::Scheduler::Schedule'));
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

  test('the function gets the objectives, the vault, the role and both protected resources', () => {
    const fn = Object.values(resourcesOf(prod(), 'AWS::Lambda::Function')).find((f) =>
      String(f.Properties?.Description).startsWith('Backup verification'),
    );
    const text = JSON.stringify(
      (fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.BACKUP_CONFIG,
    );
    for (const fragment of [
      '\\"rpoMinutes\\":15',
      '\\"alertAfterMinutes\\":60',
      '\\"id\\":\\"database\\"',
      '\\"id\\":\\"filestore\\"',
      '\\"type\\":\\"RDS\\"',
    ])
      expect(text).toContain(fragment);
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
    const validator = Object.values(resourcesOf(prod(), 'AWS::Lambda::Function')).find((f) =>
      String(f.Properties?.Description).startsWith('Restore test'),
    );
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
