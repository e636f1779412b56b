import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { DatabaseLogin } from '../../lambdas/aws/restored-database';
import { ODOO_CORE_TABLES, type RestoredDatabase } from '../../lambdas/core/backup/restore-validation';
import { makeRestoreValidateHandler } from '../../lambdas/restore-validate';
import { makeFilestoreValidateHandler } from '../../lambdas/filestore-restore-validate';
import { readRestoredFilestore } from '../../lambdas/filestore-restore-validate/restored-filestore';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../lib/config';
import { backupSettings, planRequirements } from '../../lib/config/workflow-settings';
import type { BackupConfig } from '../../lambdas/aws/backup-config';
import { BackupStore } from '../../lambdas/aws/backup-store';
import { StateStore } from '../../lambdas/aws/state-store';
import {
  makeBackupAssessHandler,
  type BackupAssessEvent,
  type FilestoreClaim,
} from '../../lambdas/backup-assess';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { resourceObjectives } from '../../lambdas/core/backup/objectives';
import type { ProtectedResource } from '../../lambdas/core/backup/types';
import type { WorkflowInput } from '../../lambdas/core/routing/route';
import type { LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { BackupAccount, TWIN_BACKUP_PLANS } from '../../sim/twin/backup-account';
import { RestoredFileSystems, TWIN_FILESTORE_RESTORE } from '../../sim/twin/restored-file-systems';
import { readDefinition, type JSONValue } from '../../sim/workflows/asl';
import { TWIN_WAIT_RESOURCE, twinStateMachine } from '../../sim/workflows/twin-state-machine';
import { lambdaTask, loadStateMachine, settle } from './local-run';

const CONFIG = loadConfig({ envName: 'prod', region: 'eu-west-1' });
const OBJECTIVES = resourceObjectives(CONFIG.env.backup);

export const LIVE_FILESTORE_ID = 'fs-0f11e5704e0000001';

export const RESOURCES: readonly ProtectedResource[] = [
  {
    id: 'database',
    arn: 'arn:aws:rds:eu-west-1:123456789012:db:influencegen-prod-db',
    type: 'RDS',
    name: 'influencegen-prod-db',
    ...OBJECTIVES.database,
  },
  {
    id: 'filestore',
    arn: `arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/${LIVE_FILESTORE_ID}`,
    type: 'EFS',
    name: LIVE_FILESTORE_ID,
    ...OBJECTIVES.filestore,
  },
  {
    id: 'images',
    arn: 'arn:aws:s3:::influencegen-prod-images',
    type: 'S3',
    name: 'influencegen-prod-images',
    ...OBJECTIVES.images,
  },
];

export interface Started {
  readonly name: string;
  readonly input: WorkflowInput & { signal: { detail: string } };
}

/** The Lambda functions of the definition, by Task state name (the rest are SDK integrations). */
type LambdaState =
  | 'Plan'
  | 'Assess'
  | 'RecordRestoreTest'
  | 'ClaimFilestoreValidator'
  | 'SettleFilestoreTest'
  | 'ValidateRestore'
  | 'InvokeFilestoreValidation';

/**
 * Runs state-machines/backup-verification.asl.json locally with the real Assess handler and the
 * real validation functions. AWS Backup and RDS are the twin's account model
 * (sim/twin/backup-account.ts), EFS and the filestore validation function's configuration the
 * twin's restored file systems (sim/twin/restored-file-systems.ts), each backed by a local
 * directory the real filestore validation reads; the state table is dynalite; escalation starts
 * are captured; waits take no time (but the one between attempts to take the filestore validation
 * function, `claimWaitMs`).
 */
export class BackupHarness {
  clock: Date;
  readonly account: BackupAccount;
  readonly filestores = new RestoredFileSystems();
  backup: BackupConfig;
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
  /** Each attempt to take the filestore validation function: which execution, and what it got. */
  readonly claims: Array<{ readonly execution: string; readonly outcome: FilestoreClaim['outcome'] }> = [];
  /** Holds the filestore validation, once mounted, until resolved (a restore test caught mid-way). */
  filestoreGate: Promise<void> | null = null;
  /** Real milliseconds between two attempts to take the filestore validation function. */
  claimWaitMs = 0;
  /**
   * Called before each Assess with its event: waits take no time here, so a test moves the clock
   * where a wait would have (past a maintenance window's end before the `after-hold` assessment).
   */
  beforeAssess: ((event: BackupAssessEvent) => void | Promise<void>) | undefined;

  constructor(db: LocalDynamoDB, start: string) {
    this.clock = new Date(start);
    this.account = new BackupAccount(() => this.clock, RESOURCES);
    this.backup = {
      ...backupSettings(CONFIG),
      vaultName: 'influencegen-prod-vault',
      plans: [
        { id: TWIN_BACKUP_PLANS.main, ...planRequirements(CONFIG).main },
        { id: TWIN_BACKUP_PLANS.filestore, ...planRequirements(CONFIG).filestore },
      ],
      roleArn: 'arn:aws:iam::123456789012:role/backup',
      resources: RESOURCES,
      filestoreRestore: TWIN_FILESTORE_RESTORE,
    };
    this.store = new StateStore(db.doc, db.table);
    this.backups = new BackupStore(db.doc, db.table);
    this.secretsMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: 'odoo', password: 'restored' }) });
  }

  async run(input: unknown, executionName = `run-${++this.executions}`) {
    const executionId = `arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-backup-verification:${executionName}`;
    const logger = new Logger({ logLevel: 'SILENT' });
    const assess = makeBackupAssessHandler({
      backup: this.backup,
      store: this.store,
      backups: this.backups,
      logger,
      metrics: this.metrics,
      now: () => this.clock,
    });
    const assessing = async (event: BackupAssessEvent) => {
      await this.beforeAssess?.(event);
      return assess(event);
    };
    const claim = async (event: BackupAssessEvent) => {
      const result = (await assess(event)) as FilestoreClaim;
      this.claims.push({ execution: executionName, outcome: result.outcome });
      return result;
    };
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
      logger,
    });
    // Lambda mounts the function's file system before its handler runs: a mount error is the
    // invocation's error (Lambda.EFSMount...), never the handler's.
    const validateFilestore = async (params: JSONValue): Promise<JSONValue> => {
      const dir = this.filestores.mountedDirectory();
      if (this.filestoreGate) await this.filestoreGate;
      const handler = makeFilestoreValidateHandler({
        config: {
          mountPath: this.backup.filestoreRestore.localMountPath,
          database: 'odoo',
          objectiveMinutes: OBJECTIVES.filestore.objectiveMinutes,
          rtoHours: CONFIG.env.backup.rtoHours,
        },
        readFilestore: () => readRestoredFilestore(dir),
        logger,
      });
      return lambdaTask(handler)(params);
    };
    const lambdas: Record<LambdaState, (params: JSONValue) => Promise<JSONValue>> = {
      Plan: lambdaTask(assess),
      Assess: lambdaTask(assessing),
      RecordRestoreTest: lambdaTask(assess),
      ClaimFilestoreValidator: lambdaTask(claim),
      SettleFilestoreTest: lambdaTask(assess),
      ValidateRestore: lambdaTask(validate),
      InvokeFilestoreValidation: validateFilestore,
    };
    const aws = { ...this.account.integrations(), ...this.filestores.integrations() };
    const start = async (params: JSONValue): Promise<JSONValue> => {
      const p = params as unknown as { Name: string; Input: Started['input'] };
      if (this.started.some((e) => e.name === p.Name))
        throw Object.assign(new Error('exists'), { name: 'StepFunctions.ExecutionAlreadyExistsException' });
      this.started.push({ name: p.Name, input: p.Input });
      return { ExecutionArn: p.Name };
    };
    // Every Task state of the definition answered: a state without a model fails the test here.
    const { tasks, retrying } = twinStateMachine('backup-verification');
    const handlers = Object.fromEntries(
      tasks
        .filter((t) => t.resource !== TWIN_WAIT_RESOURCE)
        .map((t) => {
          const handler =
            t.resource === 'arn:aws:states:::lambda:invoke'
              ? lambdas[t.state as LambdaState]
              : t.resource === 'arn:aws:states:::states:startExecution'
                ? start
                : aws[t.resource];
          if (!handler) throw new Error(`no model answers ${t.state} (${t.resource})`);
          return [t.state, handler];
        }),
    );
    const waits = Object.fromEntries(
      waitStates(readDefinition('backup-verification')).map((name) => [
        name,
        name === 'WaitForFilestoreValidator' ? this.claimWaitMs : 0,
      ]),
    );
    const execution = loadStateMachine('backup-verification').run(input as never, {
      context: {
        Execution: { Id: executionId, Name: executionName, StartTime: this.clock.toISOString() },
      },
      overrides: {
        waitTimeOverrides: waits,
        retryIntervalOverrides: Object.fromEntries(retrying.map((t) => [t, 0])),
        taskResourceLocalHandlers: handlers,
      },
    });
    return { ...(await settle(execution)), executionId };
  }

  pages(): Started[] {
    return this.started.filter((s) => s.input.state === 'ALARM');
  }
}

/** The names of every Wait state of a definition, Map iterations included. */
function waitStates(definition: Record<string, unknown>): string[] {
  const names: string[] = [];
  const walk = (states: Record<string, Record<string, unknown>>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Wait') names.push(name);
      const processor = state.ItemProcessor as
        { States: Record<string, Record<string, unknown>> } | undefined;
      if (processor) walk(processor.States);
    }
  };
  walk(definition.States as Record<string, Record<string, unknown>>);
  return names;
}
