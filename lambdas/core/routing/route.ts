import type { AlertKind } from '../../../lib/config/alert-schema';
import type { RuntimeAlert, RuntimeInternalAlarm } from '../../../lib/config/alert-runtime';
import { alarmNamePrefix, WORKFLOW_NAMES, type WorkflowName } from '../../../lib/config/naming';
import { signalTimeIso } from '../signals/timestamps';
import { EXECUTION_FAILURE_STATUSES, HEARTBEAT_SCHEDULE } from '../../../lib/config/constants';
import {
  type AlarmSignal,
  type BackupJobSignal,
  type BackupStatusSignal,
  type EcsServiceActionSignal,
  type ExecutionFailedSignal,
  type ScheduleSignal,
  type Signal,
  type WorkflowSignal,
} from '../signals/types';
import { executionName } from './execution-name';
import { limitInput, truncateText } from './input-limits';

/** What the router does with one normalised signal. */
export type RouteDecision =
  | {
      readonly action: 'start';
      readonly workflow: WorkflowName;
      readonly executionName: string;
      readonly input: WorkflowInput | PeriodicScaleInput | RestoreTestInput;
    }
  | { readonly action: 'ignore'; readonly reason: string }
  /** The watchdog's canary: the router is alive (a metric filter counts these). */
  | { readonly action: 'heartbeat' };

/** A periodic evaluation: the scale-decision workflow re-reads the component's metrics. */
export interface PeriodicScaleInput {
  readonly component: string;
}

/** A restore job's end: the backup-verification workflow validates the restore if it is a test. */
export interface RestoreTestInput {
  readonly restoreJobId: string;
}

/** Schedules `scale-<component>` re-evaluate a component while its scale alarms stay in ALARM. */
const PERIODIC_SCALE = /^scale-(odoo|n8n|flux-gpu)$/;

/** The input every workflow receives from the router (and the console accepts by hand). */
export interface WorkflowInput {
  readonly alert: {
    readonly name: string;
    readonly kind: AlertKind;
    readonly component: string;
    readonly severity: string;
  };
  /** The alarm, service or resource the signal is about; part of the incident's identity. */
  readonly subject: string;
  /** ALARM opens or joins an incident; OK resolves it. */
  readonly state: 'ALARM' | 'OK';
  readonly signal: Signal;
}

export interface RoutingCatalogue {
  readonly environment: string;
  readonly alerts: readonly RuntimeAlert[];
  readonly internal: readonly RuntimeInternalAlarm[];
}

const WORKFLOW_OF_KIND: Readonly<Record<AlertKind, WorkflowName>> = {
  incident: 'escalation',
  scale: 'scale-decision',
  stall: 'stalled-gpu',
  backup: 'backup-verification',
};

/**
 * What to do with one signal. A workflow input it starts is within the limits of
 * ./input-limits.ts: free text truncated with a marker, or, if an identity field is oversized or
 * the input is still over budget, nothing started and the reason given.
 */
export function routeSignal(signal: Signal, catalogue: RoutingCatalogue): RouteDecision {
  const decision = routeUnlimited(signal, catalogue);
  if (decision.action !== 'start') return decision;
  const limited = limitInput(decision.input);
  if (!limited.ok)
    return ignore(`${decision.workflow} execution ${decision.executionName} not started: ${limited.reason}`);
  return { ...decision, input: limited.value };
}

function routeUnlimited(signal: Signal, catalogue: RoutingCatalogue): RouteDecision {
  switch (signal.type) {
    case 'alarm':
      return routeAlarm(signal, catalogue);
    case 'backup-job':
      return routeBackupJob(signal, catalogue);
    case 'ecs-service-action':
      return routeEcsAction(signal, catalogue);
    case 'restore-job':
      return routeRestoreJob(signal);
    case 'recovery-point':
      return ignore(
        `recovery point ${signal.status}: the hourly assessment reads recovery points; nothing to do`,
      );
    case 'schedule':
      return routeSchedule(signal);
    case 'workflow':
      return ignore(`raised by the ${signal.workflow} workflow, which starts the escalation itself`);
    case 'execution-failed':
      return routeExecutionFailure(signal, catalogue);
  }
}

function routeAlarm(signal: AlarmSignal, catalogue: RoutingCatalogue): RouteDecision {
  const prefix = alarmNamePrefix(catalogue.environment);
  if (!signal.alarmName.startsWith(prefix)) {
    return ignore(
      `alarm ${signal.alarmName} does not belong to environment ${catalogue.environment} (expected prefix ${prefix})`,
    );
  }
  const name = signal.alarmName.slice(prefix.length);
  const internal = catalogue.internal.find((a) => a.name === name);
  if (internal)
    return ignore(
      `alarm ${name} is an input of composite alarm ${internal.inputOf}; the composite is routed instead`,
    );
  const alert = catalogue.alerts.find((a) => a.name === name);
  if (!alert) return ignore(`alarm ${name} is not in the alert catalogue`);
  if (signal.state === 'INSUFFICIENT_DATA')
    return ignore(`alarm ${name} went to INSUFFICIENT_DATA; nothing to act on`);
  if (signal.actionsSuppressedBy) {
    return ignore(`alarm ${name} has its actions suppressed by ${signal.actionsSuppressedBy}`);
  }
  if (signal.state === 'OK' && alert.kind === 'scale') {
    return ignore(`scale alarm ${name} returned to OK; scale-in has rules of its own`);
  }
  const epoch = String(Date.parse(signal.stateChangeTime));
  // A return to OK resolves whatever incident is open, whichever workflow opened it.
  const workflow = signal.state === 'OK' ? 'escalation' : WORKFLOW_OF_KIND[alert.kind];
  return start(
    workflow,
    executionName(name, signal.state, epoch),
    alert,
    signal.alarmName,
    signal.state,
    signal,
  );
}

function routeSchedule(signal: ScheduleSignal): RouteDecision {
  if (signal.schedule === HEARTBEAT_SCHEDULE) return { action: 'heartbeat' };
  const match = PERIODIC_SCALE.exec(signal.schedule);
  if (!match) return ignore(`schedule "${signal.schedule}" starts no workflow of this control plane`);
  const component = match[1] as string;
  const minute = String(Math.floor(Date.parse(signal.time) / 60_000));
  return {
    action: 'start',
    workflow: 'scale-decision',
    executionName: executionName('periodic', component, minute),
    input: { component },
  };
}

/** The end of a restore job: the backup-verification workflow validates it if it is a restore test. */
const RESTORE_JOB_ENDS = ['COMPLETED', 'FAILED', 'ABORTED'];

function routeRestoreJob(signal: BackupStatusSignal): RouteDecision {
  if (!signal.restoreJobId)
    return ignore(`restore-job ${signal.status} without a restoreJobId; nothing to validate`);
  if (!RESTORE_JOB_ENDS.includes(signal.status))
    return ignore(`restore job ${signal.restoreJobId} is ${signal.status}; validated when it ends`);
  return {
    action: 'start',
    workflow: 'backup-verification',
    executionName: executionName('restore-test', signal.restoreJobId, signal.status),
    input: { restoreJobId: signal.restoreJobId },
  };
}

function routeBackupJob(signal: BackupJobSignal, catalogue: RoutingCatalogue): RouteDecision {
  const alert = catalogue.alerts.find(
    (a) => a.alsoFromEvents?.source === 'aws.backup' && a.alsoFromEvents.states.includes(signal.state),
  );
  if (!alert)
    return ignore(
      `backup job ${signal.jobId} is ${signal.state}; only failed, aborted or expired jobs need action`,
    );
  return start(
    WORKFLOW_OF_KIND[alert.kind],
    executionName(alert.name, signal.jobId, signal.state),
    alert,
    signal.resourceArn ?? signal.jobId,
    'ALARM',
    signal,
  );
}

function routeEcsAction(signal: EcsServiceActionSignal, catalogue: RoutingCatalogue): RouteDecision {
  const raising = catalogue.alerts.find((a) => a.signal.type === 'event' && a.signal.source === 'aws.ecs');
  if (!raising) return ignore('no catalogue alert listens to ECS service actions');
  if (raising.signal.type === 'event' && raising.signal.states.includes(signal.eventName)) {
    return start(
      'escalation',
      executionName(raising.name, signal.serviceName, signal.eventId),
      raising,
      signal.serviceName,
      'ALARM',
      signal,
    );
  }
  if (signal.eventName === 'SERVICE_STEADY_STATE') {
    // A service back in steady state resolves its placement-failure incident, if one is open.
    return start(
      'escalation',
      executionName(raising.name, signal.serviceName, signal.eventId),
      raising,
      signal.serviceName,
      'OK',
      signal,
    );
  }
  return ignore(`ECS service action ${signal.eventName} on ${signal.serviceName} needs no action`);
}

/**
 * The catalogue alerts a failed execution pages when its input is not an alert's: a periodic
 * scale evaluation (`{component}`) and a restore test (`{restoreJobId}`).
 */
export const FAILED_EXECUTION_ALERTS = {
  'scale-decision': 'Scaling_Event_Failed',
  'backup-verification': 'Backup_Restore_Test_Failed',
} as const satisfies Partial<Record<WorkflowName, string>>;

/**
 * Executions started for a failed execution are named `failed-<its name>`: when one of those fails
 * in turn, the router starts nothing (no loop), and ControlPlaneWatch's failed-executions alarm,
 * which pages through SNS directly, is what is left.
 */
export const FAILURE_RECOVERY_PREFIX = 'failed';
const WATCHER_PAGES = 'the watcher alarm pages';

/**
 * The workflow a state machine of this environment runs: they are named
 * `influencegen-<env>-<workflow>` (controlPlaneNames in lib/config/naming.ts).
 */
export function workflowOfStateMachine(stateMachine: string, environment: string): WorkflowName | undefined {
  const prefix = `influencegen-${environment}-`;
  if (!stateMachine.startsWith(prefix)) return undefined;
  const name = stateMachine.slice(prefix.length);
  return (WORKFLOW_NAMES as readonly string[]).includes(name) ? (name as WorkflowName) : undefined;
}

type FailedTarget =
  | { readonly alert: RuntimeAlert; readonly subject: string; readonly state: 'ALARM' | 'OK' }
  | { readonly reason: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Which alert, about what, a failed execution's input says should page. */
function failedExecutionTarget(
  input: unknown,
  workflow: WorkflowName,
  catalogue: RoutingCatalogue,
): FailedTarget {
  if (!isObject(input)) return { reason: `its input is not an object; ${WATCHER_PAGES}` };
  if ('alert' in input) {
    const { alert, subject, state, signal } = input;
    if (!isObject(alert) || !nonEmpty(alert.name) || !nonEmpty(subject) || !isObject(signal))
      return {
        reason: `its input is not a routed alert input (alert, subject, state, signal); ${WATCHER_PAGES}`,
      };
    if (state !== 'ALARM' && state !== 'OK')
      return {
        reason: `its input's state ${JSON.stringify(state)} is neither ALARM nor OK; ${WATCHER_PAGES}`,
      };
    const known = catalogue.alerts.find((a) => a.name === alert.name);
    if (!known)
      return { reason: `its input's alert ${alert.name} is not in the alert catalogue; ${WATCHER_PAGES}` };
    return { alert: known, subject, state };
  }
  const byShape =
    workflow === 'scale-decision' && nonEmpty(input.component)
      ? { alertName: FAILED_EXECUTION_ALERTS['scale-decision'], subject: input.component }
      : workflow === 'backup-verification' && nonEmpty(input.restoreJobId)
        ? { alertName: FAILED_EXECUTION_ALERTS['backup-verification'], subject: input.restoreJobId }
        : undefined;
  if (!byShape)
    return {
      reason: `its input is not a routed alert, a periodic scale evaluation or a restore test; ${WATCHER_PAGES}`,
    };
  const alert = catalogue.alerts.find((a) => a.name === byShape.alertName);
  if (!alert) return { reason: `the catalogue has no ${byShape.alertName} alert; ${WATCHER_PAGES}` };
  return { alert, subject: byShape.subject, state: 'ALARM' };
}

/**
 * A control-plane execution failed, timed out or was aborted: the alert it was handling still
 * needs a person. The escalation workflow is started (again) for that alert and subject, through
 * this router rather than the failed execution, with a `workflow` signal naming the failure; its
 * Register step takes over an open incident and resumes paging. The execution name derives from
 * the failed one, so a duplicate event starts nothing.
 */
function routeExecutionFailure(signal: ExecutionFailedSignal, catalogue: RoutingCatalogue): RouteDecision {
  const what = `execution ${signal.executionName} of ${signal.stateMachine} ${signal.status}`;
  if (!(EXECUTION_FAILURE_STATUSES as readonly string[]).includes(signal.status))
    return ignore(`${what}: only failed, timed-out or aborted executions page`);
  const workflow = workflowOfStateMachine(signal.stateMachine, catalogue.environment);
  if (!workflow) return ignore(`${what}: not a workflow of environment ${catalogue.environment}`);
  if (signal.executionName.startsWith(`${FAILURE_RECOVERY_PREFIX}-`))
    return ignore(`${what}: a failure-recovery execution failed; ${WATCHER_PAGES}`);
  if (signal.input.status !== 'parsed') return ignore(`${what}: ${signal.input.reason}; ${WATCHER_PAGES}`);
  const value = signal.input.value;
  // A by-hand input the workflow refused (InvalidInput, before any AWS call) changed nothing and
  // told whoever typed it; a refused routed input (the alert shape) is a fault and still pages.
  if (signal.error === 'InvalidInput' && !(isObject(value) && 'alert' in value))
    return ignore(
      `${what}: it refused a by-hand input (InvalidInput) before doing anything; nothing to page`,
    );
  const target = failedExecutionTarget(value, workflow, catalogue);
  if ('reason' in target) return ignore(`${what}: ${target.reason}`);
  const recovery: WorkflowSignal = {
    type: 'workflow',
    workflow,
    eventId: signal.executionArn,
    time: signal.stopDate ?? signalTimeIso(signal.time) ?? signal.time,
    detail: truncateText(
      `${workflow} execution ${signal.executionName} ${signal.status}: ${signal.error ?? '(no error)'}: ${signal.cause ?? '(no cause)'}`,
    ),
  };
  return start(
    'escalation',
    executionName(FAILURE_RECOVERY_PREFIX, signal.executionName),
    target.alert,
    target.subject,
    target.state,
    recovery,
  );
}

function start(
  workflow: WorkflowName,
  name: string,
  alert: RuntimeAlert,
  subject: string,
  state: 'ALARM' | 'OK',
  signal: Signal,
): RouteDecision {
  return {
    action: 'start',
    workflow,
    executionName: name,
    input: {
      alert: { name: alert.name, kind: alert.kind, component: alert.component, severity: alert.severity },
      subject,
      state,
      signal,
    },
  };
}

function ignore(reason: string): RouteDecision {
  return { action: 'ignore', reason };
}
