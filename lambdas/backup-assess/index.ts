import { Logger } from '@aws-lambda-powertools/logger';
import { assessResource, describeVerdicts } from '../core/backup/assess';
import { jobOutcome } from '../core/backup/job-states';
import { pollSchedule } from '../core/backup/poll';
import { retentionProblems } from '../core/backup/retention';
import { BACKUP_FAILURE_ALERT, parseBackupRequest, RESTORE_TEST_ALERT } from '../core/backup/request';
import type { RestoreValidateResult } from '../restore-validate';
import type {
  ProtectedResource,
  ResourceId,
  ResourceObservation,
  ResourceVerdict,
  VaultObservation,
} from '../core/backup/types';
import { catalogueAlert } from '../core/escalation/catalogue';
import { workflowEscalation, type EscalationStart } from '../core/escalation/workflow-start';
import { readBackupConfig, type BackupConfig } from '../aws/backup-config';
import { BackupStore } from '../aws/backup-store';
import { documentClient } from '../aws/dynamo';
import { lazyHandler } from '../aws/lazy-handler';
import { ControlPlaneMetrics } from '../aws/control-plane-metrics';
import type { MetricsSink } from '../core/metrics-sink';
import { readRuntimeConfig } from '../aws/runtime-config';
import { StateStore } from '../aws/state-store';

/** The one automatic re-run of a resource, as the workflow's poll left it. */
export interface RerunOutcome {
  readonly resourceId: ResourceId;
  readonly jobId: string | null;
  /** DescribeBackupJob's State; NOT_STARTED when StartBackupJob failed, TIMED_OUT when polling gave up. */
  readonly state: string;
  readonly statusMessage: string | null;
}

export type BackupAssessEvent =
  | { readonly phase: 'plan'; readonly request: unknown }
  | {
      readonly phase: 'restore-test';
      readonly executionId: string;
      readonly validation: RestoreValidateResult;
    }
  | {
      readonly phase: 'assess' | 'after-rerun';
      readonly executionId: string;
      readonly trigger: string;
      readonly observed: readonly ResourceObservation[];
      readonly vault: VaultObservation;
      /** GetBackupPlan's Rules. */
      readonly rules: ReadonlyArray<Record<string, unknown>>;
      readonly reruns: readonly RerunOutcome[];
    };

export interface BackupPlan {
  readonly trigger: string;
  readonly resources: readonly ProtectedResource[];
  readonly vaultName: string;
  readonly planId: string;
  readonly roleArn: string;
  /** The waits between polls of a re-run (seconds): the workflow walks them, then gives up. */
  readonly pollSchedule: readonly number[];
  readonly jobsSince: string;
  /** How long the re-run's recovery point is kept (the daily rule's retention). */
  readonly keepRerunDays: number;
}

/** A restore test's validation, recorded; a failure comes with its High escalation. */
export interface RestoreTestRecord {
  readonly status: 'passed' | 'failed';
  readonly escalation?: EscalationStart;
}

/** What the Choice after an assessment reads. */
export interface BackupAssessment {
  readonly status: 'healthy' | 'rerun' | 'escalate';
  readonly summary: string;
  readonly verdicts: readonly ResourceVerdict[];
  /** Resources to re-run once: an in-progress job is waited for instead of starting another. */
  readonly rerun: ReadonlyArray<ProtectedResource & { readonly existingJobId: string | null }>;
  readonly escalations: readonly EscalationStart[];
  /** Open backup incidents of resources healthy again: the escalation workflow resolves them. */
  readonly resolutions: readonly EscalationStart[];
}

export interface BackupAssessDeps {
  readonly backup: BackupConfig;
  readonly store: StateStore;
  readonly backups: BackupStore;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly now: () => Date;
}

/**
 * Plan: validates the request and names what to read. Assess: each resource against the RPO
 * (lambdas/core/backup/assess.ts), recorded; a failed or stale resource gets exactly one re-run
 * (none if its incident is already open: people are on it); after the re-run, what still fails is
 * escalated Critical with the re-run job's error. Never a second re-run in one execution.
 */
export function makeBackupAssessHandler(deps: BackupAssessDeps) {
  const alert = catalogueAlert(BACKUP_FAILURE_ALERT);
  return async (event: BackupAssessEvent): Promise<BackupPlan | BackupAssessment | RestoreTestRecord> => {
    const { backup } = deps;
    if (event.phase === 'restore-test') return recordRestoreTest(event.executionId, event.validation);
    if (event.phase === 'plan') {
      const arnOf = Object.fromEntries(backup.resources.map((r) => [r.id, r.arn])) as Record<
        ResourceId,
        string
      >;
      const request = parseBackupRequest(event.request, arnOf);
      return {
        trigger: request.trigger,
        resources: backup.resources.filter((r) => request.resources.includes(r.id)),
        vaultName: backup.vaultName,
        planId: backup.planId,
        roleArn: backup.roleArn,
        pollSchedule: pollSchedule(backup.rerunPoll),
        jobsSince: new Date(deps.now().getTime() - backup.jobsLookbackHours * 3_600_000).toISOString(),
        // The re-run's point is kept as long as the daily ones.
        keepRerunDays: backup.retention.dailyRetentionDays,
      };
    }

    const now = deps.now();
    const verdicts = event.observed.map((o) => assessResource(o, event.vault, backup.objectives, now));
    for (const v of verdicts)
      if (v.ageMinutes !== null)
        deps.metrics.emit('recoveryPointAge', { resource: v.resource.id }, v.ageMinutes * 60);
    const escalation = (subject: string, label: string, state: 'ALARM' | 'OK', detail: string) =>
      workflowEscalation({
        alert,
        workflow: 'backup-verification',
        subject,
        state,
        label,
        executionId: event.executionId,
        detail,
        at: now,
      });
    const escalate = (v: ResourceVerdict, detail: string) =>
      escalation(v.resource.arn, v.resource.id, 'ALARM', detail);
    const rerun: Array<ProtectedResource & { existingJobId: string | null }> = [];
    const escalations: EscalationStart[] = [];
    const resolutions: EscalationStart[] = [];
    for (const v of verdicts) {
      const open = await deps.store.openIncidentOf(BACKUP_FAILURE_ALERT, v.resource.arn);
      if (v.status === 'healthy') {
        if (open)
          resolutions.push(
            escalation(v.resource.arn, v.resource.id, 'OK', `${v.resource.id} is healthy again: ${v.reason}`),
          );
        continue;
      }
      const outcome = event.reruns.find((r) => r.resourceId === v.resource.id);
      if (v.status === 'misconfigured' || event.phase === 'after-rerun' || open) {
        escalations.push(
          escalate(
            v,
            detailOf(v, outcome, open ? `incident ${open.id} is already open: no re-run` : undefined),
          ),
        );
        continue;
      }
      const inProgress = v.lastJob && jobOutcome(v.lastJob.state) === 'in-progress' ? v.lastJob.id : null;
      if (!inProgress) {
        // At most one automatic re-run per resource within the polling window, whichever run asks.
        const until = new Date(
          now.getTime() + (backup.rerunPoll.giveUpMinutes + backup.rerunClaimSlackMinutes) * 60_000,
        );
        const claim = await deps.backups.claimRerun(v.resource.id, event.executionId, until, now);
        if (!claim.claimed) {
          escalations.push(
            escalate(v, detailOf(v, outcome, `its one automatic re-run was already made at ${claim.at}`)),
          );
          continue;
        }
        if (!claim.again)
          deps.metrics.emit('remediations', { workflow: 'backup-verification', action: 'backup-rerun' });
      }
      rerun.push({ ...v.resource, existingJobId: inProgress });
    }
    // Retention is the plan's, not a resource's: one escalation, about the vault.
    const retention = retentionProblems(event.rules, backup.retention);
    if (retention.length > 0)
      escalations.push(
        escalation(
          backup.vaultName,
          'retention',
          'ALARM',
          `backup plan misconfigured: ${retention.join('; ')}`,
        ),
      );
    const status = rerun.length > 0 ? 'rerun' : escalations.length > 0 ? 'escalate' : 'healthy';
    const summary = [describeVerdicts(verdicts), ...retention].join('; ');
    await deps.backups.recordCheck({
      executionId: event.executionId,
      at: now.toISOString(),
      phase: event.phase,
      trigger: event.trigger,
      outcome: status,
      summary,
      resources: Object.fromEntries(verdicts.map((v) => [v.resource.id, v.status])),
    });
    deps.logger.info('assessed', { phase: event.phase, status, summary });
    return { status, summary, verdicts, rerun, escalations, resolutions };
  };

  async function recordRestoreTest(
    executionId: string,
    v: RestoreValidateResult,
  ): Promise<RestoreTestRecord> {
    const now = deps.now();
    await deps.backups.recordCheck({
      executionId,
      at: now.toISOString(),
      phase: 'restore-test',
      trigger: `restore job ${v.restoreJobId}`,
      outcome: v.status,
      summary: `${v.message}${v.restoreMinutes !== null ? ` (restored in ${v.restoreMinutes} min)` : ''}`,
      resources: { database: v.status },
    });
    if (v.status === 'SUCCESSFUL') return { status: 'passed' };
    const database = deps.backup.resources.find((r) => r.id === 'database');
    return {
      status: 'failed',
      escalation: workflowEscalation({
        alert: catalogueAlert(RESTORE_TEST_ALERT),
        workflow: 'backup-verification',
        subject: database?.arn ?? 'database',
        state: 'ALARM',
        label: 'restore-test',
        // Named after the restore job: validating the same job again pages nothing new.
        executionId: v.restoreJobId,
        detail: `restore test ${v.restoreJobId}: ${v.message}`,
        at: now,
      }),
    };
  }
}

/** What the page says: the verdict, and what the one re-run did. */
function detailOf(v: ResourceVerdict, rerun: RerunOutcome | undefined, note?: string): string {
  const parts = [`${v.resource.id} (${v.resource.name}) ${v.status}: ${v.reason}`];
  if (v.alertThresholdBreached) parts.push('the last good backup is past the alert threshold');
  if (rerun)
    parts.push(
      rerun.state === 'NOT_STARTED'
        ? `the automatic re-run could not start: ${rerun.statusMessage ?? 'unknown error'}`
        : rerun.state === 'TIMED_OUT'
          ? `the automatic re-run (job ${rerun.jobId}) had not finished when polling gave up`
          : `the automatic re-run (job ${rerun.jobId}) ended ${rerun.state}${rerun.statusMessage ? `: ${rerun.statusMessage}` : ''}`,
    );
  if (note) parts.push(note);
  return parts.join('; ');
}

export const handler = lazyHandler((): BackupAssessDeps => {
  const config = readRuntimeConfig();
  const db = documentClient();
  return {
    backup: readBackupConfig(),
    store: new StateStore(db, config.stateTable),
    backups: new BackupStore(db, config.stateTable),
    logger: new Logger(),
    metrics: new ControlPlaneMetrics(config.environment),
    now: () => new Date(),
  };
}, makeBackupAssessHandler);
