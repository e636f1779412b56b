import { Logger } from '@aws-lambda-powertools/logger';
import type { PlatformConfig } from '../../lib/config';
import { backupSettings, planRequirements } from '../../lib/config/workflow-settings';
import { BackupStore } from '../../lambdas/aws/backup-store';
import { StateStore } from '../../lambdas/aws/state-store';
import { makeBackupAssessHandler } from '../../lambdas/backup-assess';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { resourceObjectives } from '../../lambdas/core/backup/objectives';
import type { ProtectedResource } from '../../lambdas/core/backup/types';
import { makeRegisterHandler } from '../../lambdas/escalation-register';
import { startLocalDynamoDB } from '../aws/local-dynamodb';
import { twinRuntimeConfig } from '../aws/twin-account';
import { TWIN_EPOCH } from '../policies/control-plane-workflows';
import { BackupAccount, TWIN_BACKUP_PLANS } from '../twin/backup-account';
import { TWIN_FILESTORE_RESTORE } from '../twin/restored-file-systems';
import type { JSONValue } from '../workflows/asl';
import type { TaskHandler } from '../workflows/service-integrations';
import { TwinClock } from '../workflows/twin-clock';
import { TWIN_WAIT_RESOURCE, twinStateMachine } from '../workflows/twin-state-machine';

/** The twin's protected resources, each with the environment's objective for it. */
function twinResources(config: PlatformConfig): ProtectedResource[] {
  const objectives = resourceObjectives(config.env.backup);
  return [
    {
      id: 'database',
      arn: 'arn:aws:rds:eu-west-1:123456789012:db:influencegen-twin',
      type: 'RDS',
      name: 'influencegen-twin',
      ...objectives.database,
    },
    {
      id: 'filestore',
      arn: 'arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0f11e5704e0000001',
      type: 'EFS',
      name: 'fs-0f11e5704e0000001',
      ...objectives.filestore,
    },
    {
      id: 'images',
      arn: 'arn:aws:s3:::influencegen-twin-images',
      type: 'S3',
      name: 'influencegen-twin-images',
      ...objectives.images,
    },
  ];
}
/** The filestore's backup job fails at 02:30 (a disabled KMS key), and every hourly one after it. */
const FAILS_AT_MINUTE = 150;
const RUN_MINUTES = 6 * 60;

export interface BackupScenarioResult {
  readonly name: string;
  readonly description: string;
  /** The filestore's (EFS) backup job fails at this minute (its hourly recovery points stop). */
  readonly failureMinute: number;
  readonly checks: number;
  readonly reruns: number;
  readonly criticalPages: number;
  /** Minutes from the failure to the Critical page. */
  readonly minutesToPage: number | null;
  readonly pageDetail: string | null;
}

/**
 * Replays a failed backup in the twin: the hourly check runs the real backup-verification
 * workflow, and so does the router's input for each failed job's event (Wait states on the twin
 * clock, the real Assess handler, AWS Backup as the twin's account model). The filestore (EFS,
 * backed up every hour) fails its job at 02:30 with a disabled KMS key, and so does every hourly
 * job after it; its one automatic re-run fails the same way; one Critical page follows, and the
 * later checks and failed jobs find the incident open and re-run nothing.
 */
export async function simulateFailedBackup(config: PlatformConfig): Promise<BackupScenarioResult> {
  const db = await startLocalDynamoDB();
  try {
    const clock = new TwinClock(TWIN_EPOCH);
    const resources = twinResources(config);
    const filestore = resources[1] as ProtectedResource;
    const account = new BackupAccount(() => clock.now(), resources);
    account.rerunScripts = [{ runningPolls: 2, end: 'FAILED', statusMessage: 'KMS key is disabled' }];
    const store = new StateStore(db.doc, db.table);
    const common = { logger: new Logger({ logLevel: 'SILENT' }), now: () => clock.now() };
    const runtime = twinRuntimeConfig(config.env.name, db.table);
    const assess = makeBackupAssessHandler({
      ...common,
      backup: {
        ...backupSettings(config),
        vaultName: 'twin-vault',
        plans: [
          { id: TWIN_BACKUP_PLANS.main, ...planRequirements(config).main },
          { id: TWIN_BACKUP_PLANS.filestore, ...planRequirements(config).filestore },
        ],
        roleArn: 'arn:aws:iam::123456789012:role/backup',
        resources,
        filestoreRestore: TWIN_FILESTORE_RESTORE,
      },
      store,
      backups: new BackupStore(db.doc, db.table),
      metrics: new RecordingMetrics(),
    });
    const register = makeRegisterHandler({
      ...common,
      config: runtime,
      store,
      metrics: new RecordingMetrics(),
    });
    const pages: Array<{ minute: number; detail: string }> = [];
    const workflow = twinStateMachine('backup-verification');
    const handlers: Record<string, TaskHandler> = {
      ...account.integrations(),
      'arn:aws:states:::lambda:invoke': async (params) => {
        const p = params as { Payload: never };
        return { Payload: (await assess(p.Payload)) as unknown as JSONValue, StatusCode: 200 };
      },
      [TWIN_WAIT_RESOURCE]: async (params) => {
        await clock.sleep((params as { seconds: number }).seconds);
        return {};
      },
      // The escalation workflow's Register step runs (it opens the incident); its pages are counted.
      'arn:aws:states:::states:startExecution': async (params) => {
        const p = params as { Name: string; Input: { state: string; signal: { detail: string } } };
        const decision = await register({ input: p.Input, phase: 'register' });
        // A page is what Register decides to page; a later ALARM joins the open incident.
        if (decision.action === 'page')
          pages.push({ minute: clock.seconds / 60, detail: p.Input.signal.detail });
        return { ExecutionArn: p.Name };
      },
    };
    // As the deployed plans keep them: continuous backup of the database and the images with a
    // daily snapshot at 04:00, and the filestore's hourly snapshots (below, on the hour).
    account.addContinuousPoint('images');
    account.addRecoveryPoint('images', 20 * 60);
    account.addJob('images', 'COMPLETED', 20 * 60);
    account.addRecoveryPoint('database', 20 * 60);
    const everyMinutes = config.env.backup.filestoreBackupEveryMinutes;
    const failures: string[] = [];
    let checks = 0;
    const start = (minute: number, input: unknown, label: string) => {
      checks += 1;
      const execution = workflow.machine.run(input as never, {
        overrides: {
          taskResourceLocalHandlers: Object.fromEntries(
            workflow.tasks.map((t) => [t.state, handlers[t.resource] as TaskHandler]),
          ),
          retryIntervalOverrides: Object.fromEntries(workflow.retrying.map((s) => [s, 0])),
        },
        context: {
          Execution: {
            Id: `arn:twin:execution:${label}-${minute}`,
            Name: `${label}-${minute}`,
            StartTime: clock.now().toISOString(),
          },
        },
      });
      void clock.track(() => execution.result).catch((e: unknown) => failures.push((e as Error).message));
    };
    for (let minute = 0; minute <= RUN_MINUTES; minute++) {
      clock.advanceTo(minute * 60);
      // Continuous backup keeps the database restorable to a few minutes ago (PITR).
      account.latestRestorableTime = new Date(clock.now().getTime() - 3 * 60_000);
      if (minute < FAILS_AT_MINUTE && minute % everyMinutes === 0) {
        account.addRecoveryPoint('filestore', 0);
        account.addJob('filestore', 'COMPLETED', 0);
      }
      if (minute === FAILS_AT_MINUTE || (minute > FAILS_AT_MINUTE && minute % everyMinutes === 0)) {
        account.addJob('filestore', 'FAILED', 0, 'KMS key is disabled');
        // The router's input for the "Backup Job State Change" FAILED event.
        start(
          minute,
          {
            alert: { name: 'Odoo_Backup_Failure', kind: 'backup', component: 'backup', severity: 'Critical' },
            subject: filestore.arn,
            state: 'ALARM',
            signal: {
              type: 'backup-job',
              eventId: `hourly-${minute}-failed`,
              time: clock.now().toISOString(),
              jobId: `hourly-${minute}`,
              state: 'FAILED',
              resourceArn: filestore.arn,
            },
          },
          'backup-job',
        );
      }
      if (minute % (config.env.backup.checkEverySeconds / 60) === 0)
        start(minute, { requestedBy: 'schedule' }, 'hourly');
      await clock.settle();
    }
    if (failures.length > 0) throw new Error(`backup workflow failed: ${failures.join('; ')}`);
    const first = pages[0];
    return {
      name: 'failed-backup',
      description:
        'the filestore (EFS) backup fails (KMS key disabled) and its one automatic re-run fails too',
      failureMinute: FAILS_AT_MINUTE,
      checks,
      reruns: account.started.length,
      criticalPages: pages.length,
      minutesToPage: first ? first.minute - FAILS_AT_MINUTE : null,
      pageDetail: first?.detail ?? null,
    };
  } finally {
    await db.stop();
  }
}
