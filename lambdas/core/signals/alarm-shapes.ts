import * as z from 'zod/mini';
import { signalTimeIso } from './timestamps';
import { ALARM_STATES, type AlarmKind, type AlarmSignal, type Delivery } from './types';

/**
 * The three unrelated shapes a CloudWatch alarm arrives in (../shared/AWS-EVENTS.md):
 * EventBridge "CloudWatch Alarm State Change", the Lambda alarm-action payload, and the SNS
 * notification (capitalised keys, a JSON string inside the SNS record). Each schema accepts what
 * AWS documents and keeps only what the control plane reads.
 */

const StateValue = z.enum(ALARM_STATES);
const Timestamp = z.pipe(
  z.string().check(
    z.refine((v) => signalTimeIso(v) !== undefined, {
      error: (issue) => `unparsable timestamp ${JSON.stringify(issue.input)}`,
    }),
  ),
  z.transform((v: string) => signalTimeIso(v) as string),
);

/** reasonData and the SNS Message are JSON inside strings; a bad one is ignored, not fatal. */
function parseJsonString(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

const AlarmStateBlock = z.object({
  value: StateValue,
  reason: z._default(z.string(), ''),
  reasonData: z.optional(z.string()),
  timestamp: Timestamp,
  actionsSuppressedBy: z.optional(z.string()),
  actionsSuppressedReason: z.optional(z.string()),
});

const MetricEntry = z.looseObject({
  id: z.optional(z.string()),
  expression: z.optional(z.string()),
  returnData: z.optional(z.boolean()),
});

const Configuration = z.looseObject({
  alarmRule: z.optional(z.string()),
  metrics: z.optional(z.array(MetricEntry)),
  description: z.optional(z.string()),
});

/** Metric, metric math, anomaly band, Metrics Insights or composite, from a configuration block. */
function kindOf(configuration: z.infer<typeof Configuration> | undefined): AlarmKind {
  if (!configuration) return 'unknown';
  if (configuration.alarmRule) return 'composite';
  const metrics = configuration.metrics ?? [];
  const expressions = metrics.map((m) => m.expression).filter((e): e is string => Boolean(e));
  if (expressions.some((e) => /ANOMALY_DETECTION_BAND/i.test(e))) return 'anomaly';
  if (expressions.some((e) => /INSIGHT_RULE_METRIC|\bSELECT\b/i.test(e))) return 'insights';
  if (expressions.length > 0) return 'metric-math';
  return metrics.length > 0 ? 'metric' : 'unknown';
}

/** Composite alarms list their triggering alarms in reasonData.triggeringAlarms[].arn. */
function triggeringAlarms(reasonData: string | undefined): string[] | undefined {
  const data = parseJsonString(reasonData) as { triggeringAlarms?: Array<{ arn?: unknown }> } | undefined;
  const arns = data?.triggeringAlarms?.map((t) => t.arn).filter((a): a is string => typeof a === 'string');
  return arns && arns.length > 0 ? arns.map((arn) => arn.split(':alarm:').pop() ?? arn) : undefined;
}

/** The alarm itself: the same block in the EventBridge `detail` and the Lambda action's `alarmData`. */
const AlarmDetail = z.object({
  alarmName: z.string().check(z.minLength(1)),
  state: AlarmStateBlock,
  previousState: z.optional(AlarmStateBlock),
  configuration: z.optional(Configuration),
});

function fromAlarmDetail(
  d: z.infer<typeof AlarmDetail>,
  delivery: Delivery,
  account: string | undefined,
  region: string | undefined,
): AlarmSignal {
  const alarmKind = kindOf(d.configuration);
  return {
    type: 'alarm',
    alarmName: d.alarmName,
    state: d.state.value,
    ...(d.previousState ? { previousState: d.previousState.value } : {}),
    stateChangeTime: d.state.timestamp,
    reason: d.state.reason,
    alarmKind,
    delivery,
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    // Suppression may sit in `state` or `previousState`; only the current state's holds actions back.
    ...(d.state.actionsSuppressedBy ? { actionsSuppressedBy: d.state.actionsSuppressedBy } : {}),
    ...(alarmKind === 'composite' ? { triggeringAlarms: triggeringAlarms(d.state.reasonData) } : {}),
  };
}

export const EventBridgeAlarmSchema = z.object({
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  account: z.optional(z.string()),
  region: z.optional(z.string()),
  detail: AlarmDetail,
});

export function fromEventBridge(event: z.infer<typeof EventBridgeAlarmSchema>): AlarmSignal {
  return fromAlarmDetail(event.detail, 'eventbridge', event.account, event.region);
}

export const LambdaActionAlarmSchema = z.object({
  source: z.literal('aws.cloudwatch'),
  alarmArn: z.string().check(z.minLength(1)),
  accountId: z.optional(z.string()),
  region: z.optional(z.string()),
  alarmData: AlarmDetail,
});

export function fromLambdaAction(event: z.infer<typeof LambdaActionAlarmSchema>): AlarmSignal {
  return fromAlarmDetail(event.alarmData, 'lambda-action', event.accountId, event.region);
}

/** The JSON inside an SNS record's Message. Region is a human name there ("EU (Ireland)"). */
export const SnsAlarmMessageSchema = z.object({
  AlarmName: z.string().check(z.minLength(1)),
  NewStateValue: StateValue,
  OldStateValue: z.optional(StateValue),
  NewStateReason: z._default(z.string(), ''),
  StateChangeTime: Timestamp,
  AWSAccountId: z.optional(z.string()),
  AlarmArn: z.optional(z.string()),
  AlarmRule: z.optional(z.string()),
  Trigger: z.optional(
    z.looseObject({
      MetricName: z.optional(z.string()),
      Metrics: z.optional(z.array(z.looseObject({ Expression: z.optional(z.string()) }))),
      ThresholdMetricId: z.optional(z.string()),
    }),
  ),
});

export const SnsEventSchema = z.object({
  Records: z
    .array(z.looseObject({ EventSource: z.literal('aws:sns'), Sns: z.looseObject({ Message: z.string() }) }))
    .check(z.minLength(1)),
});

export function snsMessageOf(event: z.infer<typeof SnsEventSchema>): unknown {
  return parseJsonString(event.Records[0]?.Sns.Message);
}

export function fromSnsMessage(message: z.infer<typeof SnsAlarmMessageSchema>): AlarmSignal {
  const expressions = (message.Trigger?.Metrics ?? [])
    .map((m) => m.Expression)
    .filter((e): e is string => Boolean(e));
  let alarmKind: AlarmKind = 'unknown';
  if (message.AlarmRule) alarmKind = 'composite';
  else if (message.Trigger?.ThresholdMetricId || expressions.some((e) => /ANOMALY_DETECTION_BAND/i.test(e)))
    alarmKind = 'anomaly';
  else if (expressions.some((e) => /INSIGHT_RULE_METRIC|\bSELECT\b/i.test(e))) alarmKind = 'insights';
  else if (expressions.length > 0) alarmKind = 'metric-math';
  else if (message.Trigger?.MetricName) alarmKind = 'metric';
  const region = message.AlarmArn?.split(':')[3];
  return {
    type: 'alarm',
    alarmName: message.AlarmName,
    state: message.NewStateValue,
    ...(message.OldStateValue ? { previousState: message.OldStateValue } : {}),
    stateChangeTime: message.StateChangeTime,
    reason: message.NewStateReason,
    alarmKind,
    delivery: 'sns',
    ...(message.AWSAccountId ? { account: message.AWSAccountId } : {}),
    ...(region ? { region } : {}),
  };
}
