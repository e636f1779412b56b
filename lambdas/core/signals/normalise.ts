import {
  EventBridgeAlarmSchema,
  fromEventBridge,
  fromLambdaAction,
  fromSnsMessage,
  LambdaActionAlarmSchema,
  SnsAlarmMessageSchema,
  SnsEventSchema,
  snsMessageOf,
} from './alarm-shapes';
import {
  BackupJobEventSchema,
  BackupStatusEventSchema,
  EcsServiceActionSchema,
  ExecutionStatusChangeSchema,
  fromBackupJob,
  fromBackupStatus,
  fromEcsServiceAction,
  fromExecutionStatusChange,
  fromScheduledEvent,
  fromSchedulerInput,
  ScheduledEventSchema,
  SchedulerInputSchema,
} from './event-shapes';
import type { NormaliseResult, Signal } from './types';

/**
 * Turns anything the router receives into one Signal, or a reason why not. It recognises the
 * shape first (by the fields that identify it), then validates it with that shape's schema, so the
 * reason names what was wrong with the shape it was meant to be. It never throws.
 */
export function normaliseEvent(raw: unknown, now: Date = new Date()): NormaliseResult {
  try {
    return recognise(raw, now);
  } catch (error) {
    return { ok: false, reason: `could not normalise the event: ${(error as Error).message}` };
  }
}

function recognise(raw: unknown, now: Date): NormaliseResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      reason: `not an event object (got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw})`,
    };
  }
  const event = raw as Record<string, unknown>;
  const detailType = event['detail-type'];

  if ('Records' in event) {
    const sns = SnsEventSchema.safeParse(event);
    if (!sns.success) return invalid('SNS event', sns.error);
    const message = snsMessageOf(sns.data);
    if (message === undefined) return { ok: false, reason: 'SNS message is not JSON' };
    return parsed('SNS alarm message', SnsAlarmMessageSchema.safeParse(message), fromSnsMessage);
  }
  if (event.source === 'aws.cloudwatch' && 'alarmData' in event) {
    return parsed('Lambda alarm action', LambdaActionAlarmSchema.safeParse(event), fromLambdaAction);
  }
  if (event.source === 'aws.cloudwatch') {
    if (detailType === 'CloudWatch Alarm State Change') {
      return parsed(
        'CloudWatch Alarm State Change',
        EventBridgeAlarmSchema.safeParse(event),
        fromEventBridge,
      );
    }
    return { ok: false, reason: `CloudWatch event "${String(detailType)}" is not a state change` };
  }
  if (event.source === 'aws.backup') {
    if (detailType === 'Backup Job State Change')
      return parsed('Backup Job State Change', BackupJobEventSchema.safeParse(event), fromBackupJob);
    if (detailType === 'Restore Job State Change' || detailType === 'Recovery Point State Change') {
      return parsed(String(detailType), BackupStatusEventSchema.safeParse(event), fromBackupStatus);
    }
    return {
      ok: false,
      reason: `AWS Backup event "${String(detailType)}" is not one the control plane handles`,
    };
  }
  if (event.source === 'aws.ecs') {
    if (detailType === 'ECS Service Action')
      return parsed('ECS Service Action', EcsServiceActionSchema.safeParse(event), fromEcsServiceAction);
    return { ok: false, reason: `ECS event "${String(detailType)}" is not one the control plane handles` };
  }
  if (event.source === 'aws.states') {
    if (detailType === 'Step Functions Execution Status Change') {
      return parsed(
        'Step Functions Execution Status Change',
        ExecutionStatusChangeSchema.safeParse(event),
        fromExecutionStatusChange,
      );
    }
    return {
      ok: false,
      reason: `Step Functions event "${String(detailType)}" is not one the control plane handles`,
    };
  }
  if (detailType === 'Scheduled Event')
    return parsed('Scheduled Event', ScheduledEventSchema.safeParse(event), fromScheduledEvent);
  if ('schedule' in event) {
    return parsed(
      'scheduler input',
      SchedulerInputSchema.safeParse(event),
      (e: Parameters<typeof fromSchedulerInput>[0]) => fromSchedulerInput(e, now),
    );
  }
  return {
    ok: false,
    reason: `unrecognised event (source ${JSON.stringify(event.source ?? null)}, detail-type ${JSON.stringify(detailType ?? null)})`,
  };
}

/** The part of a zod/mini safeParse result this module reads. */
type SafeParse<T> = { success: true; data: T } | { success: false; error: ParseError };
interface ParseError {
  readonly issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>;
}

function parsed<T>(shape: string, result: SafeParse<T>, convert: (value: T) => Signal): NormaliseResult {
  if (!result.success) return invalid(shape, result.error);
  return { ok: true, signal: convert(result.data) };
}

function invalid(shape: string, error: ParseError): NormaliseResult {
  const first = error.issues[0];
  const where = first?.path.length ? first.path.map(String).join('.') : '(root)';
  return { ok: false, reason: `malformed ${shape}: ${where}: ${first?.message ?? 'invalid'}` };
}
