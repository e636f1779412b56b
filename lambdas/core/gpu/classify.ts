import type {
  FleetStatus,
  InstanceObservation,
  InstanceVerdict,
  QueueObservation,
  QueueVerdict,
  StallAssessment,
  StallDetection,
} from './types';

const present = (series: ReadonlyArray<number | null>) => series.filter((v): v is number => v !== null);
const maxOf = (values: readonly number[]) => (values.length ? Math.max(...values) : null);
const lastOf = (series: ReadonlyArray<number | null>) =>
  [...series].reverse().find((v): v is number => v !== null) ?? null;

/**
 * Work waited the whole window when the queue never emptied in it (at least minDatapoints minutes
 * reported, each with a job visible; seed 004's "queue > 0" for 5 minutes) or its oldest job has
 * waited at least the window (a job a dead task received and gave back is invisible for a while,
 * but it ages). Null when too few minutes reported: no signal is not "empty".
 */
export function queueVerdict(queue: QueueObservation, settings: StallDetection): QueueVerdict {
  const waiting = present(queue.waiting);
  const latestWaiting = lastOf(queue.waiting);
  const oldestAgeSeconds = lastOf(queue.oldestAgeSeconds);
  const agedWindow = oldestAgeSeconds !== null && oldestAgeSeconds >= settings.windowMinutes * 60;
  // Too few minutes reported to say the queue never emptied: no signal, unless a job aged the window.
  const workWaiting = agedWindow
    ? true
    : waiting.length < settings.minDatapoints
      ? null
      : waiting.every((v) => v > 0);
  return { workWaiting, latestWaiting, oldestAgeSeconds };
}

/** One instance: its task, then its GPU's datapoints, then whether work was waiting. */
export function classifyInstance(
  instance: InstanceObservation,
  queue: QueueVerdict,
  settings: StallDetection,
  now: Date,
): InstanceVerdict {
  const utilisation = present(instance.utilisation);
  const base = {
    instanceId: instance.instanceId,
    ...(instance.task ? { taskArn: instance.task.taskArn } : {}),
    maxUtilisation: maxOf(utilisation),
    maxMemory: maxOf(present(instance.memory)),
    datapoints: utilisation.length,
  };
  const verdict = (cls: InstanceVerdict['class'], reason: string): InstanceVerdict => ({
    ...base,
    class: cls,
    reason,
  });
  if (!instance.task || instance.task.lastStatus !== 'RUNNING')
    return verdict(
      'unknown',
      instance.task ? `serving task is ${instance.task.lastStatus}` : 'no serving task',
    );
  const startedAt = instance.task.startedAt ? Date.parse(instance.task.startedAt) : Number.NaN;
  const ageMinutes = (now.getTime() - startedAt) / 60_000;
  if (Number.isNaN(startedAt) || ageMinutes < settings.taskStartGraceMinutes)
    return verdict(
      'unknown',
      `serving task started ${Number.isNaN(startedAt) ? 'at an unknown time' : `${Math.floor(ageMinutes)} min ago`}; still loading`,
    );
  if (base.maxUtilisation !== null && base.maxUtilisation > 0)
    return verdict('healthy', `GPU up to ${base.maxUtilisation} %`);
  if (utilisation.length < settings.minDatapoints)
    return verdict(
      'unknown',
      `no signal: ${utilisation.length} of ${settings.windowMinutes} minutes reported GPU utilisation`,
    );
  const memory = base.maxMemory === null ? 'memory not reported' : `memory ${base.maxMemory} %`;
  if (queue.workWaiting === null)
    return verdict('unknown', `GPU 0 % (${memory}); the queue reported nothing`);
  if (!queue.workWaiting) return verdict('idle', `GPU 0 % (${memory}); no work waiting`);
  return verdict(
    'stalled',
    `GPU 0 % for ${settings.windowMinutes} min (${memory}) while ${queue.latestWaiting ?? '?'} jobs wait, oldest ${queue.oldestAgeSeconds ?? '?'} s`,
  );
}

/** The fleet: every in-service host judged on its own, so one stalled GPU among busy ones shows. */
export function assessFleet(
  instances: readonly InstanceObservation[],
  queue: QueueObservation,
  settings: StallDetection,
  now: Date,
): StallAssessment {
  const q = queueVerdict(queue, settings);
  const verdicts = instances
    .filter((i) => i.status === 'ACTIVE')
    .map((i) => classifyInstance(i, q, settings, now));
  const stalled = verdicts
    .filter((v) => v.class === 'stalled')
    .map((v) => ({ instanceId: v.instanceId, ...(v.taskArn ? { taskArn: v.taskArn } : {}) }));
  // No host in service proves nothing either way (and must not resolve a paged stall).
  const status: FleetStatus =
    stalled.length > 0
      ? 'stalled'
      : verdicts.length === 0 || verdicts.some((v) => v.class === 'unknown')
        ? 'no-signal'
        : 'healthy';
  const queueText = `queue ${q.latestWaiting ?? 'no data'} waiting, oldest ${q.oldestAgeSeconds ?? '?'} s`;
  return {
    status,
    checkedAt: now.toISOString(),
    queue: q,
    instances: verdicts,
    stalled,
    summary: [
      verdicts.length === 0 ? 'no GPU host in service' : undefined,
      ...verdicts.map((v) => `${v.instanceId} ${v.class}: ${v.reason}`),
      queueText,
    ]
      .filter(Boolean)
      .join('; '),
  };
}
