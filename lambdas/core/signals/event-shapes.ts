import * as z from 'zod/mini';
import type {
  BackupJobSignal,
  BackupStatusSignal,
  EcsServiceActionSignal,
  ExecutionFailedSignal,
  ExecutionInput,
  ScheduleSignal,
} from './types';

/** EventBridge events other than alarms: AWS Backup, ECS service actions, Step Functions, schedules. */

const envelope = {
  id: z.string().check(z.minLength(1)),
  time: z.string().check(z.minLength(1)),
  resources: z._default(z.array(z.string()), []),
};

/** AWS Backup sizes arrive as strings in some events and as numbers in others. */
const Size = z.optional(
  z.pipe(
    z.union([z.number(), z.string().check(z.regex(/^\d+$/, 'must be a whole number of bytes'))]),
    z.transform((v: number | string) => Number(v)),
  ),
);

export const BackupJobEventSchema = z.object({
  ...envelope,
  source: z.literal('aws.backup'),
  'detail-type': z.literal('Backup Job State Change'),
  detail: z.looseObject({
    backupJobId: z.string().check(z.minLength(1)),
    state: z.string().check(z.minLength(1)),
    resourceArn: z.optional(z.string()),
    resourceType: z.optional(z.string()),
    backupVaultName: z.optional(z.string()),
    backupSizeInBytes: Size,
    statusMessage: z.optional(z.string()),
  }),
});

export function fromBackupJob(e: z.infer<typeof BackupJobEventSchema>): BackupJobSignal {
  const d = e.detail;
  return {
    type: 'backup-job',
    eventId: e.id,
    time: e.time,
    jobId: d.backupJobId,
    state: d.state,
    ...(d.resourceArn ? { resourceArn: d.resourceArn } : {}),
    ...(d.resourceType ? { resourceType: d.resourceType } : {}),
    ...(d.backupVaultName ? { vaultName: d.backupVaultName } : {}),
    ...(d.backupSizeInBytes !== undefined ? { sizeBytes: d.backupSizeInBytes } : {}),
    ...(d.statusMessage ? { statusMessage: d.statusMessage } : {}),
  };
}

/** Restore jobs and recovery points report `status` (a CREATED event sometimes says `state`). */
export const BackupStatusEventSchema = z.object({
  ...envelope,
  source: z.literal('aws.backup'),
  'detail-type': z.enum(['Restore Job State Change', 'Recovery Point State Change']),
  detail: z
    .looseObject({
      status: z.optional(z.string()),
      state: z.optional(z.string()),
      resourceArn: z.optional(z.string()),
      restoreJobId: z.optional(z.string()),
    })
    .check(z.refine((d) => Boolean(d.status ?? d.state), 'detail.status (or detail.state) is required')),
});

export function fromBackupStatus(e: z.infer<typeof BackupStatusEventSchema>): BackupStatusSignal {
  return {
    type: e['detail-type'] === 'Restore Job State Change' ? 'restore-job' : 'recovery-point',
    eventId: e.id,
    time: e.time,
    status: (e.detail.status ?? e.detail.state) as string,
    ...(e.detail.resourceArn ? { resourceArn: e.detail.resourceArn } : {}),
    ...(e.detail.restoreJobId ? { restoreJobId: e.detail.restoreJobId } : {}),
  };
}

export const EcsServiceActionSchema = z.object({
  ...envelope,
  source: z.literal('aws.ecs'),
  'detail-type': z.literal('ECS Service Action'),
  detail: z.looseObject({
    eventName: z.string().check(z.minLength(1)),
    clusterArn: z.string().check(z.minLength(1)),
    reason: z.optional(z.string()),
  }),
});

export function fromEcsServiceAction(e: z.infer<typeof EcsServiceActionSchema>): EcsServiceActionSignal {
  // The service ARN is the event's resource: arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE.
  const serviceArn = e.resources.find((r) => r.includes(':service/')) ?? '';
  return {
    type: 'ecs-service-action',
    eventId: e.id,
    time: e.time,
    eventName: e.detail.eventName,
    clusterArn: e.detail.clusterArn,
    serviceName: serviceArn.split('/').pop() || 'unknown-service',
    ...(e.detail.reason ? { reason: e.detail.reason } : {}),
  };
}

export const ScheduledEventSchema = z.object({
  ...envelope,
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
});

export function fromScheduledEvent(e: z.infer<typeof ScheduledEventSchema>): ScheduleSignal {
  const rule = e.resources[0]?.split('/').pop() ?? 'unnamed-rule';
  return { type: 'schedule', time: e.time, schedule: rule };
}

/** EventBridge Scheduler delivers the input the schedule configures: ours is `{"schedule": NAME}`. */
export const SchedulerInputSchema = z.strictObject({
  schedule: z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be a schedule name such as backup-check')),
  time: z.optional(z.string()),
});

export function fromSchedulerInput(e: z.infer<typeof SchedulerInputSchema>, now: Date): ScheduleSignal {
  return { type: 'schedule', time: e.time ?? now.toISOString(), schedule: e.schedule };
}

/** Epoch milliseconds (Step Functions' `startDate`/`stopDate`) as ISO 8601, or undefined. */
function epochIso(value: number | null | undefined): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 8.64e15) return undefined;
  return new Date(value).toISOString();
}

/**
 * Step Functions "Step Functions Execution Status Change" (test/fixtures/events/README.md): the
 * detail is DescribeExecution's answer; `startDate`/`stopDate` are epoch milliseconds, `stopDate`,
 * `output`, `error` and `cause` may be null, and `input` is a JSON string, or null when the
 * escaped input and output together exceed 248 KB (`inputDetails.included` is then false).
 */
export const ExecutionStatusChangeSchema = z.object({
  ...envelope,
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.looseObject({
    executionArn: z.string().check(z.minLength(1)),
    stateMachineArn: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    status: z.string().check(z.minLength(1)),
    startDate: z.optional(z.nullable(z.number())),
    stopDate: z.optional(z.nullable(z.number())),
    input: z.optional(z.nullable(z.string())),
    inputDetails: z.optional(z.nullable(z.looseObject({ included: z.optional(z.boolean()) }))),
    error: z.optional(z.nullable(z.string())),
    cause: z.optional(z.nullable(z.string())),
  }),
});

function executionInput(d: z.infer<typeof ExecutionStatusChangeSchema>['detail']): ExecutionInput {
  if (typeof d.input !== 'string') {
    return {
      status: 'absent',
      reason:
        d.inputDetails?.included === false
          ? 'the event left the input out (input and output over 248 KB)'
          : 'the event carries no input',
    };
  }
  try {
    return { status: 'parsed', value: JSON.parse(d.input) as unknown };
  } catch {
    return { status: 'unparsable', reason: 'the input is not JSON' };
  }
}

export function fromExecutionStatusChange(
  e: z.infer<typeof ExecutionStatusChangeSchema>,
): ExecutionFailedSignal {
  const d = e.detail;
  const startDate = epochIso(d.startDate);
  const stopDate = epochIso(d.stopDate);
  return {
    type: 'execution-failed',
    eventId: e.id,
    time: e.time,
    executionArn: d.executionArn,
    stateMachineArn: d.stateMachineArn,
    stateMachine: d.stateMachineArn.split(':').pop() ?? d.stateMachineArn,
    executionName: d.name,
    status: d.status,
    ...(startDate ? { startDate } : {}),
    ...(stopDate ? { stopDate } : {}),
    ...(typeof d.error === 'string' ? { error: d.error } : {}),
    ...(typeof d.cause === 'string' ? { cause: d.cause } : {}),
    input: executionInput(d),
  };
}
