import type { PlatformConfig } from '../../lib/config';
import { PERIODIC_REQUESTER } from '../../lib/config/constants';
import { startLocalDynamoDB } from '../aws/local-dynamodb';
import { TWIN_EPOCH } from '../policies/control-plane-workflows';
import { GpuHosts, type StallCause } from '../twin/gpu-hosts';
import { StallWorkflowRuntime } from '../workflows/stall-workflow-runtime';
import { TwinClock } from '../workflows/twin-clock';

/** One stall the bundled run replays: four busy GPU hosts, one of which stops serving. */
export interface StallCase {
  readonly name: string;
  readonly description: string;
  readonly cause: StallCause;
}

export const STALL_CASES: readonly StallCase[] = [
  {
    name: 'hung-task',
    description: 'the Flux process on one host hangs: a new task repairs it',
    cause: 'task',
  },
  {
    name: 'wedged-gpu',
    description: 'the GPU of one host wedges: only a new host repairs it',
    cause: 'host',
  },
  {
    name: 'bad-model',
    description: 'something outside the host (a bad model artifact): no host change repairs it',
    cause: 'outside',
  },
];

const HOSTS = ['i-0a', 'i-0b', 'i-0c', 'i-0d'];
const STALLED = 'i-0c';
const STALL_AT_MINUTE = 30;
const RUN_MINUTES = 120;

export interface StallCaseResult {
  readonly name: string;
  readonly description: string;
  readonly hosts: number;
  readonly stalledHost: string;
  readonly stallStartMinute: number;
  /** Minutes from the stall's start to the workflow's first action on the host. */
  readonly minutesToRemediation: number | null;
  /** Minutes from the stall's start until the workflow saw it repaired and resolved the incident. */
  readonly minutesToRepair: number | null;
  /** Minutes from the stall's start to the Critical escalation. */
  readonly minutesToEscalation: number | null;
  readonly actions: ReadonlyArray<{
    readonly minute: number;
    readonly action: string;
    readonly instanceId: string;
  }>;
  /** Busy hosts the workflow touched: it must be none. */
  readonly otherHostsTouched: number;
  readonly executions: number;
  /** Later checks that found the incident open and joined it instead of acting again. */
  readonly joinedTriggers: number;
  readonly findings: string | null;
}

/**
 * Replays one stall in the twin: the deployed 5-minute per-host check starts the real workflow
 * (the composite alarm, which reads the fleet's maximum, stays quiet while three hosts work).
 */
export async function simulateStall(
  config: PlatformConfig,
  stallCase: StallCase,
  runMinutes = RUN_MINUTES,
): Promise<StallCaseResult> {
  const db = await startLocalDynamoDB();
  try {
    const clock = new TwinClock(TWIN_EPOCH);
    const hosts = new GpuHosts({ now: () => clock.now() });
    for (const id of HOSTS) hosts.add(id);
    const runtime = new StallWorkflowRuntime({ clock, db, config, hosts });
    const every = config.env.gpuStall.checkEverySeconds / 60;
    for (let minute = 0; minute <= runMinutes; minute++) {
      clock.advanceTo(minute * 60);
      if (minute === STALL_AT_MINUTE) hosts.stall(STALLED, stallCase.cause);
      if (minute % every === 0) runtime.start(`periodic-${minute}`, { requestedBy: PERIODIC_REQUESTER });
      await clock.settle();
    }
    if (runtime.failures.length > 0) throw new Error(`stall workflow failed: ${runtime.failures.join('; ')}`);
    const minuteOf = (at: Date) => (at.getTime() - TWIN_EPOCH) / 60_000;
    const after = (seconds: number | undefined) =>
      seconds === undefined ? null : seconds / 60 - STALL_AT_MINUTE;
    const firstAction = hosts.actions[0];
    const repaired = runtime.events.find((e) => e.kind === 'repaired');
    const escalated = runtime.events.find((e) => e.kind === 'escalated');
    return {
      name: stallCase.name,
      description: stallCase.description,
      hosts: HOSTS.length,
      stalledHost: STALLED,
      stallStartMinute: STALL_AT_MINUTE,
      minutesToRemediation: firstAction ? minuteOf(firstAction.at) - STALL_AT_MINUTE : null,
      minutesToRepair: after(repaired?.seconds),
      minutesToEscalation: after(escalated?.seconds),
      actions: hosts.actions.map((a) => ({
        minute: minuteOf(a.at),
        action: a.action,
        instanceId: a.instanceId,
      })),
      otherHostsTouched: new Set(
        hosts.actions.filter((a) => !a.instanceId.startsWith(STALLED)).map((a) => a.instanceId),
      ).size,
      executions: runtime.executions,
      joinedTriggers: runtime.events.filter((e) => e.kind === 'joined').length,
      findings: (repaired ?? escalated)?.text ?? null,
    };
  } finally {
    await db.stop();
  }
}
