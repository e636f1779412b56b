import * as z from 'zod/mini';
import type { BackupJobSignal, BackupStatusSignal, EcsServiceActionSignal, ScheduleSignal } from './types';

/** EventBridge events other than alarms: AWS Backup, ECS service actions, schedules. */

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
