import { createHash } from 'node:crypto';
import { fileSystemIdOf } from '../core/backup/filestore-restore-test';
import { RESTORE_TEST_ALERT } from '../core/backup/request';
import { readRestoreJob, type RestoreValidateResult } from '../core/backup/restore-job';
import { catalogueAlert } from '../core/escalation/catalogue';
import { workflowEscalation, type EscalationStart } from '../core/escalation/workflow-start';
import type { BackupConfig } from '../aws/backup-config';
import type { BackupStore, ClaimHolder } from '../aws/backup-store';

/** The restore test's steps that need the state table or the config: claim, settle, record. */
export interface RestoreTestDeps {
  readonly backup: BackupConfig;
  readonly backups: BackupStore;
  readonly now: () => Date;
}

/** A restore test's validation, recorded; a failure (or a copy AWS Backup cannot delete) comes with its High escalation. */
export interface RestoreTestRecord {
  readonly status: 'passed' | 'failed' | 'left-behind';
  readonly escalation?: EscalationStart;
}

/**
 * What the workflow needs to mount a restored file system for the validation function; the access
 * point's settings in CreateAccessPoint's own shapes, which the state machine passes on as they are.
 */
export interface FilestoreMount {
  readonly fileSystemId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly posixUser: { readonly Uid: number; readonly Gid: number };
  readonly rootDirectory: { readonly Path: string };
  readonly tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
  readonly localMountPath: string;
  /** CreateAccessPoint's idempotency token: this execution's, so a retried step makes no second one. */
  readonly clientToken: string;
  readonly pollSeconds: number;
  readonly mountTargetPolls: number;
  readonly accessPointPolls: number;
  readonly functionUpdatePolls: number;
}

/** What the Choice after the claim reads. */
export type FilestoreClaim =
  | { readonly outcome: 'claimed'; readonly attempt: number; readonly mount: FilestoreMount }
  | {
      readonly outcome: 'busy';
      readonly attempt: number;
      readonly waitSeconds: number;
      readonly heldBy: ClaimHolder & { readonly restoreJobId: string };
    }
  | {
      readonly outcome: 'not-validated';
      readonly attempt: number;
      readonly validation: RestoreValidateResult;
    };

/** What the workflow's steps on the restored file system left in `$.filestore`. */
export interface FilestoreTestState {
  /** The validation function's result (its invocation's Payload); null when it was never reached. */
  readonly validation: { readonly result: RestoreValidateResult } | null;
  /** The step that failed before the validation ran (Step Functions' Error and Cause). */
  readonly failure: StepError | null;
  /** Cleanup steps that failed: what they left on the restored file system. */
  readonly detachError: StepError | null;
  readonly accessPointError: StepError | null;
  readonly mountTargetError: StepError | null;
}

interface StepError {
  readonly Error?: string;
  readonly Cause?: string;
}

/**
 * Takes the filestore's validation function for this restore test, or says why not: a restore that
 * did not complete has nothing to mount (reported as the database's is); a job whose created
 * resource is not a new file system, or is the live filestore itself, is refused; while another
 * test holds the function, wait and try again, up to `claimWaitMinutes`, then give up (TIMED_OUT).
 */
export async function claimFilestoreValidator(
  deps: RestoreTestDeps,
  executionId: string,
  restoreJob: Record<string, unknown>,
  attempt: number,
): Promise<FilestoreClaim> {
  const settings = deps.backup.filestoreRestore;
  const reading = readRestoreJob(restoreJob, 'filestore');
  if (reading.kind === 'ended') return { outcome: 'not-validated', attempt, validation: reading.result };
  const jobId = reading.jobId;
  const fileSystemId = fileSystemIdOf(restoreJob.CreatedResourceArn);
  const live = deps.backup.resources.find((r) => r.id === 'filestore');
  const refuse = (message: string): FilestoreClaim => ({
    outcome: 'not-validated',
    attempt,
    validation: {
      restoreJobId: jobId,
      resourceId: 'filestore',
      status: 'FAILED',
      message,
      report: true,
      restoreMinutes: null,
    },
  });
  if (!fileSystemId)
    return refuse(
      `restore job ${jobId} created no EFS file system (${String(restoreJob.CreatedResourceArn ?? 'no resource')})`,
    );
  if (live && (live.name === fileSystemId || live.arn === restoreJob.CreatedResourceArn))
    return refuse(
      `restore job ${jobId} names the live filestore ${fileSystemId}: it is not mounted for a test`,
    );
  const now = deps.now();
  const claim = await deps.backups.claimValidator(
    'filestore',
    executionId,
    jobId,
    new Date(now.getTime() + settings.claimMinutes * 60_000),
    now,
  );
  if (claim.claimed)
    return {
      outcome: 'claimed',
      attempt,
      mount: {
        fileSystemId,
        subnetIds: settings.subnetIds,
        securityGroupId: settings.securityGroupId,
        posixUser: { Uid: settings.posixUser.uid, Gid: settings.posixUser.gid },
        rootDirectory: { Path: settings.accessPointRoot },
        tags: [{ Key: settings.accessPointTag.key, Value: settings.accessPointTag.value }],
        localMountPath: settings.localMountPath,
        clientToken: createHash('sha256').update(executionId).digest('hex'),
        pollSeconds: settings.pollSeconds,
        mountTargetPolls: settings.mountTargetPolls,
        accessPointPolls: settings.accessPointPolls,
        functionUpdatePolls: settings.functionUpdatePolls,
      },
    };
  const attempts = Math.ceil((settings.claimWaitMinutes * 60) / settings.claimRetrySeconds);
  const heldBy = { at: claim.at, executionId: claim.executionId, restoreJobId: claim.restoreJobId };
  if (attempt + 1 < attempts)
    return { outcome: 'busy', attempt: attempt + 1, waitSeconds: settings.claimRetrySeconds, heldBy };
  return {
    outcome: 'not-validated',
    attempt,
    validation: {
      restoreJobId: jobId,
      resourceId: 'filestore',
      status: 'TIMED_OUT',
      message: `not validated: the filestore validation function stayed busy with restore job ${claim.restoreJobId} (held since ${claim.at}) for ${settings.claimWaitMinutes} min`,
      report: true,
      restoreMinutes: null,
    },
  };
}

/**
 * After the cleanup: gives the validation function back, and turns what the steps left into the
 * test's result: the validation function's, or FAILED with the step that failed before it ran; and
 * what the cleanup could not remove, which AWS Backup cannot delete the restored copy past.
 */
export async function settleFilestoreTest(
  deps: RestoreTestDeps,
  executionId: string,
  restoreJob: Record<string, unknown>,
  fileSystemId: string,
  state: FilestoreTestState,
): Promise<RestoreValidateResult> {
  await deps.backups.releaseValidator('filestore', executionId);
  const jobId = String(restoreJob.RestoreJobId ?? '?');
  const describe = (e: StepError) => [e.Error, e.Cause].filter(Boolean).join(': ') || 'unknown error';
  const result: RestoreValidateResult = state.validation?.result ?? {
    restoreJobId: jobId,
    resourceId: 'filestore',
    status: 'FAILED',
    message:
      `could not validate the restored file system ${fileSystemId}: ${state.failure ? describe(state.failure) : 'the validation did not run'}`.slice(
        0,
        1000,
      ),
    report: true,
    restoreMinutes: null,
  };
  const left = [
    state.detachError ? `the validation function still mounts it (${describe(state.detachError)})` : null,
    state.accessPointError ? `its access point remains (${describe(state.accessPointError)})` : null,
    state.mountTargetError ? `its mount targets remain (${describe(state.mountTargetError)})` : null,
  ].filter((l): l is string => l !== null);
  if (left.length === 0) return result;
  return {
    ...result,
    leftBehind:
      `cleanup of ${fileSystemId} incomplete: ${left.join('; ')}; AWS Backup cannot delete the restored file system until they are removed`.slice(
        0,
        1000,
      ),
  };
}

/** Records a restore test (any resource) and prepares the High escalation of a failure or a leftover copy. */
export async function recordRestoreTest(
  deps: RestoreTestDeps,
  executionId: string,
  v: RestoreValidateResult,
): Promise<RestoreTestRecord> {
  const now = deps.now();
  const outcome = v.status === 'SUCCESSFUL' ? 'passed' : 'failed';
  await deps.backups.recordCheck({
    executionId,
    at: now.toISOString(),
    phase: 'restore-test',
    trigger: `restore job ${v.restoreJobId}`,
    outcome: v.status,
    summary: [
      `${v.message}${v.restoreMinutes !== null ? ` (restored in ${v.restoreMinutes} min)` : ''}`,
      ...(v.leftBehind ? [v.leftBehind] : []),
    ].join('; '),
    resources: { [v.resourceId]: v.status },
  });
  if (outcome === 'passed' && !v.leftBehind) return { status: 'passed' };
  const resource = deps.backup.resources.find((r) => r.id === v.resourceId);
  return {
    status: outcome === 'failed' ? 'failed' : 'left-behind',
    escalation: workflowEscalation({
      alert: catalogueAlert(RESTORE_TEST_ALERT),
      workflow: 'backup-verification',
      subject: resource?.arn ?? v.resourceId,
      state: 'ALARM',
      label: 'restore-test',
      // Named after the restore job: validating the same job again pages nothing new.
      executionId: v.restoreJobId,
      detail: [
        `restore test ${v.restoreJobId} of the ${v.resourceId}: ${v.status === 'SUCCESSFUL' ? 'data validated' : v.message}`,
        ...(v.leftBehind ? [v.leftBehind] : []),
      ].join('; '),
      at: now,
    }),
  };
}
