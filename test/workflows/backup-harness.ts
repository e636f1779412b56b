import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { DatabaseLogin } from '../../lambdas/aws/restored-database';
import { ODOO_CORE_TABLES, type RestoredDatabase } from '../../lambdas/core/backup/restore-validation';
import { makeRestoreValidateHandler } from '../../lambdas/restore-validate';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../lib/config';
import { backupSettings } from '../../lib/constructs/control-plane/backup-verification-workflow';
import type { BackupConfig } from '../../lambdas/aws/backup-config';
import { BackupStore } from '../../lambdas/aws/backup-store';
import { StateStore } from '../../lambdas/aws/state-store';
import { makeBackupAssessHandler } from '../../lambdas/backup-assess';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import type { ProtectedResource } from '../../lambdas/core/backup/types';
import type { WorkflowInput } from '../../lambdas/core/routing/route';
import type { LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { BackupAccount } from '../../sim/twin/backup-account';
import type { JSONValue } from '../../sim/workflows/asl';
import { lambdaTask, loadStateMachine, settle } from './local-run';

export const RESOURCES: readonly ProtectedResource[] = [
  {
    id: 'database',
    arn: 'arn:aws:rds:eu-west-1:123456789012:db:influencegen-prod-db',
    type: 'RDS',
    name: 'influencegen-prod-db',
  },
  {
    id: 'filestore',
    arn: 'arn:aws:s3:::influencegen-prod-filestore',
    type: 'S3',
    name: 'influencegen-prod-filestore',
  },
];

export interface Started {
  readonly name: string;
  readonly input: WorkflowInput & { signal: { detail: string } };
}

/**
 * Runs state-machines/backup-verification.asl.json locally with the real Assess handler. AWS
 * Backup and RDS are the twin's account model (sim/twin/backup-account.ts) behind the SDK
 * integrations; the state table is dynalite; escalation starts are captured; waits take no time.
 */
export class BackupHarness {
  clock: Date;
  readonly account: BackupAccount;
  readonly backup: BackupConfig;
  readonly store: StateStore;
  readonly backups: BackupStore;
  readonly started: Started[] = [];
  /** What backup-assess emitted: re-runs and recovery-point ages. */
  readonly metrics = new RecordingMetrics();
  private executions = 0;
  /** The restore validation's Secrets Manager, mocked at the SDK boundary (the source secret). */
  readonly secrets = new SecretsManagerClient({ region: 'eu-west-1' });
  readonly secretsMock = mockClient(this.secrets);
  /** What the restored database holds (the real reading is tested against PostgreSQL elsewhere). */
  restored: RestoredDatabase = { tables: [...ODOO_CORE_TABLES], newestWriteAt: null };
  readonly logins: DatabaseLogin[] = [];

  constructor(db: LocalDynamoDB, start: string) {
    this.clock = new Date(start);
    this.account = new BackupAccount(() => this.clock, RESOURCES);
    this.backup = {
      ...backupSettings(loadConfig({ envName: 'prod', region: 'eu-west-1' })),
      vaultName: 'influencegen-prod-vault',
      planId: 'influencegen-prod-plan',
      roleArn: 'arn:aws:iam::123456789012:role/backup',
      resources: RESOURCES,
    };
    this.store = new StateStore(db.doc, db.table);
    this.backups = new BackupStore(db.doc, db.table);
    this.secretsMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: 'odoo', password: 'restored' }) });
  }

  async run(input: unknown, executionName = `run-${++this.executions}`) {
    const executionId = `arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-backup-verification:${executionName}`;
    const assess = makeBackupAssessHandler({
      backup: this.backup,
      store: this.store,
      backups: this.backups,
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: this.metrics,
      now: () => this.clock,
    });
    const validate = makeRestoreValidateHandler({
      restore: {
        secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
        databaseName: 'odoo',
        objectives: { rpoMinutes: 15, rtoHours: 4 },
      },
      secrets: this.secrets,
      readDatabase: async (login) => {
        this.logins.push(login);
        return this.restored;
      },
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const aws = this.account.integrations();
    const integration = (resource: string) => aws[resource] as (p: JSONValue) => Promise<JSONValue>;
    const start = async (params: JSONValue): Promise<JSONValue> => {
      const p = params as unknown as { Name: string; Input: Started['input'] };
      if (this.started.some((e) => e.name === p.Name))
        throw Object.assign(new Error('exists'), { name: 'StepFunctions.ExecutionAlreadyExistsException' });
      this.started.push({ name: p.Name, input: p.Input });
      return { ExecutionArn: p.Name };
    };
    const tasks = [
      'Plan',
      'Assess',
      'ListRecoveryPoints',
      'ListJobs',
      'DescribeDatabase',
      'DescribeVault',
      'GetBackupPlan',
      'StartBackupJob',
      'DescribeBackupJob',
      'EscalateResource',
      'ResolveIncident',
      'ResolveHealthyResource',
      'ValidateRestore',
      'DescribeRestoreJob',
      'DescribeRestoredDatabase',
      'PutRestoreValidationResult',
      'EscalateRestoreTest',
      'RecordRestoreTest',
    ];
    const execution = loadStateMachine('backup-verification').run(input as never, {
      context: {
        Execution: { Id: executionId, Name: executionName, StartTime: this.clock.toISOString() },
      } as never,
      overrides: {
        waitTimeOverrides: { WaitForJob: 0 },
        retryIntervalOverrides: Object.fromEntries(tasks.map((t) => [t, 0])),
        taskResourceLocalHandlers: {
          Plan: lambdaTask(assess),
          ValidateRestore: lambdaTask(validate),
          RecordRestoreTest: lambdaTask(assess),
          DescribeRestoreJob: integration('arn:aws:states:::aws-sdk:backup:describeRestoreJob'),
          DescribeRestoredDatabase: integration('arn:aws:states:::aws-sdk:rds:describeDBInstances'),
          PutRestoreValidationResult: integration(
            'arn:aws:states:::aws-sdk:backup:putRestoreValidationResult',
          ),
          EscalateRestoreTest: start,
          Assess: lambdaTask(assess),
          ListRecoveryPoints: integration('arn:aws:states:::aws-sdk:backup:listRecoveryPointsByResource'),
          ListJobs: integration('arn:aws:states:::aws-sdk:backup:listBackupJobs'),
          DescribeDatabase: integration('arn:aws:states:::aws-sdk:rds:describeDBInstances'),
          DescribeVault: integration('arn:aws:states:::aws-sdk:backup:describeBackupVault'),
          GetBackupPlan: integration('arn:aws:states:::aws-sdk:backup:getBackupPlan'),
          StartBackupJob: integration('arn:aws:states:::aws-sdk:backup:startBackupJob'),
          DescribeBackupJob: integration('arn:aws:states:::aws-sdk:backup:describeBackupJob'),
          EscalateResource: start,
          ResolveIncident: start,
          ResolveHealthyResource: start,
        },
      },
    });
    return { ...(await settle(execution)), executionId };
  }

  pages(): Started[] {
    return this.started.filter((s) => s.input.state === 'ALARM');
  }
}
