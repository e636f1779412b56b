import type { AlertDefinition, AlertKind, InternalAlarm } from '../../../lib/config/alert-schema';
import { alarmNamePrefix, type WorkflowName } from '../../../lib/config/naming';
import type {
  AlarmSignal,
  BackupJobSignal,
  BackupStatusSignal,
  EcsServiceActionSignal,
  ScheduleSignal,
  Signal,
} from '../signals/types';
import { executionName } from './execution-name';

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
  readonly alerts: readonly AlertDefinition[];
  readonly internal: readonly InternalAlarm[];
}

const WORKFLOW_OF_KIND: Readonly<Record<AlertKind, WorkflowName>> = {
  incident: 'escalation',
  scale: 'scale-decision',
  stall: 'stalled-gpu',
  backup: 'backup-verification',
};

export function routeSignal(signal: Signal, catalogue: RoutingCatalogue): RouteDecision {
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

/** The schedule of the control plane's heartbeat (lib/constructs/control-plane/watch.ts). */
export const HEARTBEAT_SCHEDULE = 'heartbeat';

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

function start(
  workflow: WorkflowName,
  name: string,
  alert: AlertDefinition,
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
