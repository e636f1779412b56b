import { Logger } from '@aws-lambda-powertools/logger';
import { assessResource, describeVerdicts } from '../core/backup/assess';
import { jobOutcome } from '../core/backup/job-states';
import { pollSchedule } from '../core/backup/poll';
import { planProblems } from '../core/backup/retention';
import { BACKUP_FAILURE_ALERT, parseBackupRequest } from '../core/backup/request';
import type { RestoreValidateResult } from '../core/backup/restore-job';
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
import { BACKUP_RESOURCE_MAINTENANCE } from '../../lib/config/maintenance-scope';
import {
  claimFilestoreValidator,
  recordRestoreTest,
  settleFilestoreTest,
  type FilestoreClaim,
  type FilestoreTestState,
  type RestoreTestRecord,
} from './restore-test';

export type { FilestoreClaim, FilestoreTestState, RestoreTestRecord } from './restore-test';

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
      readonly phase: 'filestore-claim';
      readonly executionId: string;
      /** DescribeRestoreJob's output. */
      readonly restoreJob: Record<string, unknown>;
      /** How many times this execution found the validation function taken. */
      readonly attempt: number;
    }
  | {
      readonly phase: 'filestore-settle';
      readonly executionId: string;
      readonly restoreJob: Record<string, unknown>;
      readonly fileSystemId: string;
      readonly filestore: FilestoreTestState;
    }
  | {
      /** after-hold: the first assessment after the maintenance window that held a re-run ended. */
      readonly phase: 'assess' | 'after-rerun' | 'after-hold';
      readonly executionId: string;
      readonly trigger: string;
      readonly observed: readonly ResourceObservation[];
      readonly vault: VaultObservation;
      /** Each plan's GetBackupPlan Rules. */
      readonly plans: ReadonlyArray<{
        readonly planId: string;
        readonly rules: ReadonlyArray<Record<string, unknown>>;
      }>;
      readonly reruns: readonly RerunOutcome[];
      /** The re-runs a maintenance window holds, carried from the assessment that held them. */
      readonly held?: readonly HeldRerun[];
      /** After a hold: only these resources are decided on (the others were before the wait). */
      readonly only?: readonly ResourceId[] | null;
    };

/** A resource's automatic re-run held by maintenance windows (lib/config/maintenance-scope.ts). */
export interface HeldRerun {
  readonly resourceId: ResourceId;
  /** The latest end of the windows holding it: the workflow re-checks the resource then. */
  readonly until: string;
  /** "the postgresql window until ... (engine upgrade)": what the record and any page say. */
  readonly heldBy: string;
}

export interface BackupPlan {
  readonly trigger: string;
  readonly resources: readonly ProtectedResource[];
  readonly vaultName: string;
  /** The backup plans whose rules the workflow reads. */
  readonly planIds: readonly string[];
  readonly roleArn: string;
  /** The waits between polls of a re-run (seconds): the workflow walks them, then gives up. */
  readonly pollSchedule: readonly number[];
  readonly jobsSince: string;
  /** How long the re-run's recovery point is kept (the daily rule's retention). */
  readonly keepRerunDays: number;
}

/** What the Choice after an assessment reads. */
export interface BackupAssessment {
  readonly status: 'healthy' | 'rerun' | 'escalate' | 'held';
  readonly summary: string;
  readonly verdicts: readonly ResourceVerdict[];
  /** Resources to re-run once: an in-progress job is waited for instead of starting another. */
  readonly rerun: ReadonlyArray<ProtectedResource & { readonly existingJobId: string | null }>;
  readonly escalations: readonly EscalationStart[];
  /** Open backup incidents of resources healthy again: the escalation workflow resolves them. */
  readonly resolutions: readonly EscalationStart[];
  /** Re-runs held by maintenance: the workflow waits until `heldUntil`, then assesses them again. */
  readonly held: readonly HeldRerun[];
  readonly heldResources: readonly ResourceId[];
  /** A minute after the last holding window ends (a window covers its end instant); null: none. */
  readonly heldUntil: string | null;
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
 * Plan: validates the request and names what to read. Assess: each resource against its own
 * objective (lambdas/core/backup/assess.ts), recorded; a failed or stale resource gets exactly one
 * re-run (none if its incident is already open: people are on it); after the re-run, what still
 * fails is escalated Critical with the re-run job's error. Never a second re-run in one execution.
 * The restore tests' steps (./restore-test.ts): claim the filestore's validation function, settle a
 * filestore test after its cleanup, record any test and prepare its escalation.
 */
export function makeBackupAssessHandler(deps: BackupAssessDeps) {
  const alert = catalogueAlert(BACKUP_FAILURE_ALERT);
  return async (
    event: BackupAssessEvent,
  ): Promise<BackupPlan | BackupAssessment | RestoreTestRecord | FilestoreClaim | RestoreValidateResult> => {
    const { backup } = deps;
    if (event.phase === 'restore-test') return recordRestoreTest(deps, event.executionId, event.validation);
    if (event.phase === 'filestore-claim')
      return claimFilestoreValidator(deps, event.executionId, event.restoreJob, event.attempt);
    if (event.phase === 'filestore-settle')
      return settleFilestoreTest(
        deps,
        event.executionId,
        event.restoreJob,
        event.fileSystemId,
        event.filestore,
      );
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
        planIds: backup.plans.map((p) => p.id),
        roleArn: backup.roleArn,
        pollSchedule: pollSchedule(backup.rerunPoll),
        jobsSince: new Date(deps.now().getTime() - backup.jobsLookbackHours * 3_600_000).toISOString(),
        // The re-run's point is kept as long as the daily ones.
        keepRerunDays: backup.retention.dailyRetentionDays,
      };
    }

    const now = deps.now();
    const verdicts = event.observed.map((o) => assessResource(o, event.vault, now));
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
    const held: HeldRerun[] = [];
    /** Holds another execution waits out: recorded, nothing else. */
    const notes: string[] = [];
    const carried = event.held ?? [];
    for (const v of verdicts) {
      // After a hold, the resources not held were decided on before the wait: not again.
      if (event.only && !event.only.includes(v.resource.id)) continue;
      const open = await deps.store.openIncidentOf(catalogueAlert(BACKUP_FAILURE_ALERT), v.resource.arn);
      if (v.status === 'healthy') {
        if (open)
          resolutions.push(
            escalation(v.resource.arn, v.resource.id, 'OK', `${v.resource.id} is healthy again: ${v.reason}`),
          );
        continue;
      }
      const outcome = event.reruns.find((r) => r.resourceId === v.resource.id);
      const wasHeld = carried.find((h) => h.resourceId === v.resource.id);
      // Held, then the other resources were re-run: still held, until its windows end.
      if (event.phase === 'after-rerun' && wasHeld && !outcome) {
        held.push(wasHeld);
        continue;
      }
      // The incident the hold itself opened (past the alert threshold) does not stop the re-run.
      const ownOpen = open && !(event.phase === 'after-hold' && wasHeld);
      if (v.status === 'misconfigured' || event.phase === 'after-rerun' || ownOpen) {
        escalations.push(
          escalate(
            v,
            detailOf(v, outcome, open ? `incident ${open.id} is already open: no re-run` : undefined),
          ),
        );
        continue;
      }
      const hold = await holdOf(deps, v.resource.id, now);
      if (hold && event.phase === 'after-hold') {
        // One wait per execution: a window declared after the first is not waited for again.
        escalations.push(
          escalate(
            v,
            detailOf(
              v,
              outcome,
              `its automatic re-run was held by maintenance and is still held by ${hold.heldBy}: start it by hand (ops backup) once the maintenance ends`,
            ),
          ),
        );
        continue;
      }
      if (hold) {
        // The re-run is claimed now, for after the window: of the runs the window holds (the hourly
        // check, job-failure events), one waits and re-runs; the others record the hold and end,
        // rather than all waking at the window's end and paging that the re-run was already made.
        const claim = await deps.backups.claimRerun(
          v.resource.id,
          event.executionId,
          new Date(
            Date.parse(hold.until) +
              (backup.rerunPoll.giveUpMinutes + backup.rerunClaimSlackMinutes) * 60_000,
          ),
          now,
        );
        if (claim.claimed) held.push(hold);
        else
          notes.push(
            `${hold.resourceId} re-run held by ${hold.heldBy}: execution ${claim.executionId} waits to re-run it`,
          );
        // Backup alerts are never suppressed by maintenance (seed 004): a backup already past its
        // alert threshold pages now; only the automatic re-run waits for the window.
        if (v.alertThresholdBreached && !open)
          escalations.push(
            escalate(
              v,
              detailOf(
                v,
                outcome,
                `the automatic re-run is held by ${hold.heldBy}; it runs when the window ends`,
              ),
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
        // A held re-run was claimed before its wait: counted when it is started, after it.
        if (!claim.again || wasHeld)
          deps.metrics.emit('remediations', { workflow: 'backup-verification', action: 'backup-rerun' });
      }
      rerun.push({ ...v.resource, existingJobId: inProgress });
    }
    // Schedules and retention are the plans', not a resource's: one escalation, about the vault.
    const retention = backup.plans.flatMap((plan) => {
      const read = event.plans.find((p) => p.planId === plan.id);
      return read
        ? planProblems(read.rules, plan, backup.retention)
        : [`the backup plan of the ${plan.label} (${plan.id}) was not read`];
    });
    if (retention.length > 0)
      escalations.push(
        escalation(
          backup.vaultName,
          'retention',
          'ALARM',
          `backup plan misconfigured: ${retention.join('; ')}`,
        ),
      );
    const status =
      rerun.length > 0
        ? 'rerun'
        : escalations.length > 0
          ? 'escalate'
          : held.length > 0 || notes.length > 0
            ? 'held'
            : 'healthy';
    const summary = [
      describeVerdicts(verdicts),
      ...held.map((h) => `${h.resourceId} re-run held by ${h.heldBy}`),
      ...notes,
      ...retention,
    ].join('; ');
    const lastEnd = held
      .map((h) => h.until)
      .sort()
      .at(-1);
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
    return {
      status,
      summary,
      verdicts,
      rerun,
      escalations,
      resolutions,
      held,
      heldResources: held.map((h) => h.resourceId),
      heldUntil: lastEnd ? new Date(Date.parse(lastEnd) + 60_000).toISOString() : null,
    };
  };
}

/**
 * The maintenance windows holding a resource's automatic re-run (a `postgresql`, `backup` or
 * `platform` window holds the database's: lib/config/maintenance-scope.ts), as one hold.
 */
async function holdOf(
  deps: BackupAssessDeps,
  resource: ResourceId,
  now: Date,
): Promise<HeldRerun | undefined> {
  const windows = await deps.store.activeMaintenance(BACKUP_RESOURCE_MAINTENANCE[resource], now);
  if (windows.length === 0) return undefined;
  const until = windows
    .map((w) => w.end)
    .sort()
    .at(-1) as string;
  return {
    resourceId: resource,
    until,
    heldBy: windows.map((w) => `the ${w.component} window until ${w.end} (${w.reason})`).join(' and '),
  };
}

/** What the page says: the verdict, and what the one re-run did. */
function detailOf(v: ResourceVerdict, rerun: RerunOutcome | undefined, note?: string): string {
  const parts = [`${v.resource.id} (${v.resource.name}) ${v.status}: ${v.reason}`];
  if (v.alertThresholdBreached)
    parts.push(`the last good backup is past the ${v.resource.alertAfterMinutes}-minute alert threshold`);
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
