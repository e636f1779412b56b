import { Match } from 'aws-cdk-lib/assertions';
import { resourcesOf, synthPlatform } from './synth';

describe('DataStack: PostgreSQL', () => {
  test('is PostgreSQL 16, encrypted with the data key, private, IAM-auth enabled', () => {
    synthPlatform('prod').data.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      EngineVersion: Match.stringLikeRegexp('^16'),
      StorageEncrypted: true,
      KmsKeyId: Match.anyValue(),
      PubliclyAccessible: false,
      EnableIAMDatabaseAuthentication: true,
      DeletionProtection: true,
      DBName: 'n8n',
    });
  });

  test('is Multi-AZ in prod and single-AZ in dev', () => {
    synthPlatform('prod').data.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true });
    synthPlatform('dev').data.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: false });
  });

  test('requires TLS from every client', () => {
    synthPlatform('prod').data.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
  });

  test('keeps its credentials in Secrets Manager, rotated every 30 days', () => {
    const { data } = synthPlatform('prod');
    data.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"influencegen_admin"}' }),
      KmsKeyId: Match.anyValue(),
    });
    data.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  test('accepts connections only from the database clients and its own rotation function', () => {
    const { data } = synthPlatform('prod');
    const databaseGroup = Object.keys(resourcesOf(data, 'AWS::EC2::SecurityGroup')).find((id) =>
      id.startsWith('DatabaseSecurityGroup'),
    );
    const rules = Object.values(resourcesOf(data, 'AWS::EC2::SecurityGroupIngress')).filter(
      (i) =>
        JSON.stringify(i.Properties?.GroupId) ===
        JSON.stringify({ 'Fn::GetAtt': [databaseGroup, 'GroupId'] }),
    );
    const sources = rules.map((r) => {
      expect(r.Properties?.CidrIp).toBeUndefined();
      return (r.Properties?.SourceSecurityGroupId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    });
    expect(sources.sort()).toEqual([
      expect.stringMatching(/^DatabaseClients/),
      expect.stringMatching(/^DatabaseN8nRotationSecurityGroup/),
      expect.stringMatching(/^DatabaseOdooRotationSecurityGroup/),
      expect.stringMatching(/^DatabaseRotationSingleUserSecurityGroup/),
    ]);
  });
});

describe('DataStack: generated-images bucket', () => {
  test('is versioned, KMS-encrypted, logged and kept on stack deletion', () => {
    synthPlatform('prod').data.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['influencegen-prod-images-'])] }),
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
            }),
          ],
        },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'images/' }),
      }),
      DeletionPolicy: 'Retain',
    });
  });
});

describe('DataStack: AWS Backup', () => {
  test('the vault is encrypted with the data key', () => {
    synthPlatform('prod').data.hasResourceProperties('AWS::Backup::BackupVault', {
      EncryptionKeyArn: Match.anyValue(),
    });
  });

  test('continuous backup (point-in-time, for the 15-minute RPO) plus a daily recovery point', () => {
    synthPlatform('prod').data.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: Match.anyValue(),
        BackupPlanRule: Match.arrayWith([
          Match.objectLike({
            RuleName: 'continuous',
            EnableContinuousBackup: true,
            Lifecycle: { DeleteAfterDays: 35 },
          }),
          Match.objectLike({ RuleName: 'daily', Lifecycle: { DeleteAfterDays: 90 } }),
        ]),
      },
    });
  });

  test('protects the database and the images under the continuous plan, the EFS filestore under its hourly one', () => {
    const { data } = synthPlatform('prod');
    const selections = Object.values(resourcesOf(data, 'AWS::Backup::BackupSelection')).map((s) => ({
      plan: JSON.stringify(s.Properties?.BackupPlanId ?? null),
      resources: JSON.stringify((s.Properties?.BackupSelection as { Resources: unknown }).Resources),
    }));
    const dbId = Object.keys(resourcesOf(data, 'AWS::RDS::DBInstance'))[0];
    const bucketId = Object.entries(resourcesOf(data, 'AWS::S3::Bucket')).find(
      ([, b]) => b.Properties?.BucketName,
    )?.[0];
    const efsId = Object.keys(resourcesOf(data, 'AWS::EFS::FileSystem'))[0];
    const planOf = (id: string | undefined) => selections.find((s) => s.resources.includes(`"${id}"`))?.plan;
    expect(planOf(dbId)).toContain('BackupPlan');
    expect(planOf(bucketId)).toBe(planOf(dbId));
    expect(planOf(efsId)).toContain('FilestoreBackupPlan');
    // AWS Backup has no continuous backup for EFS; its plan runs hourly (AWS Backup's most frequent).
    data.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({
        BackupPlanRule: Match.arrayWith([
          Match.objectLike({
            RuleName: 'frequent',
            ScheduleExpression: 'cron(0 * * * ? *)',
            Lifecycle: { DeleteAfterDays: 7 },
          }),
          Match.objectLike({ RuleName: 'daily', Lifecycle: { DeleteAfterDays: 90 } }),
        ]),
      }),
    });
  });
});

describe('DataStack: Flux image repository', () => {
  test('scans on push, keeps tags immutable and is retained', () => {
    synthPlatform('prod').data.hasResource('AWS::ECR::Repository', {
      Properties: Match.objectLike({
        ImageScanningConfiguration: { ScanOnPush: true },
        ImageTagMutability: 'IMMUTABLE',
      }),
      DeletionPolicy: 'Retain',
    });
  });
});
