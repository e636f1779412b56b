/** The one shape every alarm delivery is normalised to, whatever AWS sent. */
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export type AlarmKind = 'metric' | 'metric-math' | 'anomaly' | 'composite' | 'insights' | 'unknown';
export type Delivery = 'eventbridge' | 'lambda-action' | 'sns';

export interface AlarmSignal {
  readonly type: 'alarm';
  readonly alarmName: string;
  readonly state: AlarmState;
  readonly previousState?: AlarmState;
  /** ISO 8601 in UTC; AWS's `+0000` offsets are normalised. */
  readonly stateChangeTime: string;
  readonly reason: string;
  readonly alarmKind: AlarmKind;
  readonly delivery: Delivery;
  readonly account?: string;
  readonly region?: string;
  /** A composite alarm whose actions a suppressor alarm currently holds back. */
  readonly actionsSuppressedBy?: string;
  /** For composite alarms: the alarms whose state change triggered this one. */
  readonly triggeringAlarms?: readonly string[];
}

/** AWS Backup "Backup Job State Change" (detail.state). */
export interface BackupJobSignal {
  readonly type: 'backup-job';
  readonly eventId: string;
  readonly time: string;
  readonly jobId: string;
  readonly state: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly vaultName?: string;
  readonly sizeBytes?: number;
  readonly statusMessage?: string;
}

/** AWS Backup "Restore Job State Change" and "Recovery Point State Change" (detail.status). */
export interface BackupStatusSignal {
  readonly type: 'restore-job' | 'recovery-point';
  readonly eventId: string;
  readonly time: string;
  readonly status: string;
  readonly resourceArn?: string;
  /** Restore jobs: the job a restore test's validation reads. */
  readonly restoreJobId?: string;
}

/** ECS "ECS Service Action" events (placement failures, steady state, ...). */
export interface EcsServiceActionSignal {
  readonly type: 'ecs-service-action';
  readonly eventId: string;
  readonly time: string;
  readonly eventName: string;
  readonly clusterArn: string;
  readonly serviceName: string;
  readonly reason?: string;
}

/** An EventBridge rule schedule ("Scheduled Event") or an EventBridge Scheduler input. */
export interface ScheduleSignal {
  readonly type: 'schedule';
  readonly time: string;
  /** The scheduler input's `schedule`, or the rule name of a "Scheduled Event". */
  readonly schedule: string;
}

/** An incident a control-plane workflow raises itself (through the escalation workflow). */
export interface WorkflowSignal {
  readonly type: 'workflow';
  readonly workflow: string;
  /** Unique per raising (the raising execution and what it raised). */
  readonly eventId: string;
  readonly time: string;
  readonly detail: string;
}

/**
 * The execution's input as the event carries it: `detail.input` is a JSON string, or null when
 * Step Functions left it out (escaped input and output together over 248 KB).
 */
export type ExecutionInput =
  | { readonly status: 'parsed'; readonly value: unknown }
  | { readonly status: 'absent' | 'unparsable'; readonly reason: string };

/** Step Functions "Step Functions Execution Status Change": a control-plane execution ended. */
export interface ExecutionFailedSignal {
  readonly type: 'execution-failed';
  readonly eventId: string;
  /** The event's `time`. */
  readonly time: string;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  /** The state machine's name, the last part of its ARN (`influencegen-prod-escalation`). */
  readonly stateMachine: string;
  readonly executionName: string;
  /** FAILED, TIMED_OUT or ABORTED (the rule delivers nothing else; anything else is ignored). */
  readonly status: string;
  /** ISO 8601 UTC, from the event's epoch milliseconds. */
  readonly startDate?: string;
  readonly stopDate?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly input: ExecutionInput;
}

export type Signal =
  | AlarmSignal
  | BackupJobSignal
  | BackupStatusSignal
  | EcsServiceActionSignal
  | ScheduleSignal
  | WorkflowSignal
  | ExecutionFailedSignal;

export type NormaliseResult =
  { readonly ok: true; readonly signal: Signal } | { readonly ok: false; readonly reason: string };
