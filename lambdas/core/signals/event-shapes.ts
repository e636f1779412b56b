import { z } from 'zod';
import type { BackupJobSignal, BackupStatusSignal, EcsServiceActionSignal, ScheduleSignal } from './types';

/** EventBridge events other than alarms: AWS Backup, ECS service actions, schedules. */

const Envelope = z.object({
  id: z.string().min(1),
  time: z.string().min(1),
  'detail-type': z.string(),
  source: z.string(),
  resources: z.array(z.string()).default([]),
});

/** AWS Backup sizes arrive as strings in some events and as numbers in others. */
const Size = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .transform((v) => Number(v))
  .optional();

export const BackupJobEventSchema = Envelope.extend({
  source: z.literal('aws.backup'),
  'detail-type': z.literal('Backup Job State Change'),
  detail: z
    .object({
      backupJobId: z.string().min(1),
      state: z.string().min(1),
      resourceArn: z.string().optional(),
      resourceType: z.string().optional(),
      backupVaultName: z.string().optional(),
      backupSizeInBytes: Size,
      statusMessage: z.string().optional(),
    })
    .passthrough(),
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
export const BackupStatusEventSchema = Envelope.extend({
  source: z.literal('aws.backup'),
  'detail-type': z.enum(['Restore Job State Change', 'Recovery Point State Change']),
  detail: z
    .object({
      status: z.string().optional(),
      state: z.string().optional(),
      resourceArn: z.string().optional(),
      resourceType: z.string().optional(),
    })
    .passthrough()
    .refine((d) => Boolean(d.status ?? d.state), 'detail.status (or detail.state) is required'),
});

export function fromBackupStatus(e: z.infer<typeof BackupStatusEventSchema>): BackupStatusSignal {
  return {
    type: e['detail-type'] === 'Restore Job State Change' ? 'restore-job' : 'recovery-point',
    eventId: e.id,
    time: e.time,
    status: (e.detail.status ?? e.detail.state) as string,
    ...(e.detail.resourceArn ? { resourceArn: e.detail.resourceArn } : {}),
  };
}

export const EcsServiceActionSchema = Envelope.extend({
  source: z.literal('aws.ecs'),
  'detail-type': z.literal('ECS Service Action'),
  detail: z
    .object({
      eventName: z.string().min(1),
      clusterArn: z.string().min(1),
      reason: z.string().optional(),
    })
    .passthrough(),
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

export const ScheduledEventSchema = Envelope.extend({
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
});

export function fromScheduledEvent(e: z.infer<typeof ScheduledEventSchema>): ScheduleSignal {
  const rule = e.resources[0]?.split('/').pop() ?? 'unnamed-rule';
  return { type: 'schedule', time: e.time, schedule: rule };
}

/** EventBridge Scheduler delivers the input the schedule configures: ours is `{"schedule": NAME}`. */
export const SchedulerInputSchema = z
  .object({ schedule: z.string().regex(/^[a-z0-9-]+$/), time: z.string().optional() })
  .strict();

export function fromSchedulerInput(e: z.infer<typeof SchedulerInputSchema>, now: Date): ScheduleSignal {
  return { type: 'schedule', time: e.time ?? now.toISOString(), schedule: e.schedule };
}
