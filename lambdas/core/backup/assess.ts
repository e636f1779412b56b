import { jobOutcome } from './job-states';
import type { ResourceObservation, ResourceVerdict, VaultObservation } from './types';
import { bytesOf, timeOf } from './values';

const MINUTE = 60_000;

function newest<T>(
  items: readonly T[],
  at: (item: T) => Date | undefined,
): { item: T; at: Date } | undefined {
  let best: { item: T; at: Date } | undefined;
  for (const item of items) {
    const t = at(item);
    if (t && (!best || t > best.at)) best = { item, at: t };
  }
  return best;
}

/**
 * One protected resource against its own objective (ProtectedResource.objectiveMinutes): the newest
 * point it can be restored to (its newest COMPLETED recovery point, or for RDS its latest
 * restorable time, whichever is later), the newest backup job's state, and encryption. A resource
 * with nothing restorable is stale, never "0 minutes old".
 */
export function assessResource(
  observation: ResourceObservation,
  vault: VaultObservation,
  now: Date,
): ResourceVerdict {
  const { objectiveMinutes, alertAfterMinutes } = observation.resource;
  const snapshots = observation.recoveryPoints.filter((p) => p.Status === 'COMPLETED' && !isContinuous(p));
  // A point's CreationDate is when its backup started (the listing carries no completion time).
  const point = newest(snapshots, (p) => timeOf(p.CompletionDate) ?? timeOf(p.CreationDate));
  // Continuous backup (point-in-time recovery): RDS says how far it reaches; for S3, AWS Backup
  // exposes no restorable time, so an active continuous point counts as restorable to now. EFS has
  // no continuous backup: only its completed snapshots count.
  const continuous = observation.recoveryPoints.find(
    (p) => isContinuous(p) && (p.Status === 'COMPLETED' || p.Status === 'AVAILABLE'),
  );
  const { type } = observation.resource;
  const restorable =
    type === 'RDS'
      ? timeOf(observation.instances?.[0]?.LatestRestorableTime)
      : type === 'S3' && continuous
        ? now
        : undefined;
  const restorableAt = [point?.at, restorable]
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  const ageMinutes = restorableAt ? Math.floor((now.getTime() - restorableAt.getTime()) / MINUTE) : null;
  const job = newest(observation.jobs, (j) => timeOf(j.CreationDate));
  const lastJob = job
    ? {
        id: String(job.item.BackupJobId ?? ''),
        state: String(job.item.State ?? ''),
        ...(typeof job.item.StatusMessage === 'string' && job.item.StatusMessage
          ? { statusMessage: job.item.StatusMessage }
          : {}),
        ...(bytesOf(job.item.BackupSizeInBytes) !== undefined
          ? { sizeBytes: bytesOf(job.item.BackupSizeInBytes) }
          : {}),
      }
    : null;
  const alertThresholdBreached = ageMinutes === null || ageMinutes > alertAfterMinutes;
  const base = {
    resource: observation.resource,
    ageMinutes,
    newestRestorableAt: restorableAt?.toISOString() ?? null,
    lastJob,
    alertThresholdBreached,
  };
  const age =
    ageMinutes === null
      ? 'nothing restorable'
      : restorable === now
        ? 'continuous backup active (point-in-time restore)'
        : `restorable to ${ageMinutes} min ago`;
  const vaultKey = typeof vault.EncryptionKeyArn === 'string' ? vault.EncryptionKeyArn : '';
  const pointKey = typeof point?.item.EncryptionKeyArn === 'string' ? point.item.EncryptionKeyArn : '';
  if (!vaultKey || (point && !pointKey))
    return {
      ...base,
      status: 'misconfigured',
      reason: !vaultKey
        ? 'the backup vault has no KMS key'
        : `recovery point ${String(point?.item.RecoveryPointArn)} is not encrypted`,
    };
  if (lastJob && jobOutcome(lastJob.state) === 'failed')
    return {
      ...base,
      status: 'failed',
      reason: `backup job ${lastJob.id} ${lastJob.state}${lastJob.statusMessage ? `: ${lastJob.statusMessage}` : ''}; ${age}`,
    };
  if (ageMinutes === null || ageMinutes > objectiveMinutes)
    return { ...base, status: 'stale', reason: `${age}: beyond the ${objectiveMinutes}-minute RPO` };
  return { ...base, status: 'healthy', reason: `${age}, within the ${objectiveMinutes}-minute RPO` };
}

/** Continuous-backup recovery points carry `continuous` in their ARN (`recovery-point:continuous:...`). */
function isContinuous(point: Record<string, unknown>): boolean {
  return String(point.RecoveryPointArn ?? '').includes(':continuous:');
}

/** A line per resource, for the ledger, the report and the page. */
export function describeVerdicts(verdicts: readonly ResourceVerdict[]): string {
  return verdicts
    .map(
      (v) =>
        `${v.resource.id} ${v.status}: ${v.reason}${v.alertThresholdBreached && v.status !== 'healthy' ? ' (past the alert threshold)' : ''}`,
    )
    .join('; ');
}
