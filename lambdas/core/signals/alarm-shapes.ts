import { z } from 'zod';
import { parseAwsTimestamp } from './timestamps';
import { ALARM_STATES, type AlarmKind, type AlarmSignal, type Delivery } from './types';

/**
 * The three unrelated shapes a CloudWatch alarm arrives in (../shared/AWS-EVENTS.md):
 * EventBridge "CloudWatch Alarm State Change", the Lambda alarm-action payload, and the SNS
 * notification (capitalised keys, a JSON string inside the SNS record). Each schema accepts what
 * AWS documents and keeps only what the control plane reads.
 */

const StateValue = z.enum(ALARM_STATES);
const Timestamp = z.string().transform((v, ctx) => {
  const iso = parseAwsTimestamp(v);
  if (!iso) ctx.addIssue({ code: 'custom', message: `unparsable timestamp ${v}` });
  return iso ?? '';
});

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
  reason: z.string().default(''),
  reasonData: z.string().optional(),
  timestamp: Timestamp,
  actionsSuppressedBy: z.string().optional(),
  actionsSuppressedReason: z.string().optional(),
});

const MetricEntry = z
  .object({
    id: z.string().optional(),
    expression: z.string().optional(),
    returnData: z.boolean().optional(),
    metricStat: z
      .object({ metric: z.object({ name: z.string().optional() }).passthrough() })
      .passthrough()
      .optional(),
  })
  .passthrough();

const Configuration = z
  .object({
    alarmRule: z.string().optional(),
    metrics: z.array(MetricEntry).optional(),
    description: z.string().optional(),
  })
  .passthrough();

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

function fromStateBlocks(
  alarmName: string,
  state: z.infer<typeof AlarmStateBlock>,
  previous: z.infer<typeof AlarmStateBlock> | undefined,
  configuration: z.infer<typeof Configuration> | undefined,
  delivery: Delivery,
  account: string | undefined,
  region: string | undefined,
): AlarmSignal {
  const alarmKind = kindOf(configuration);
  return {
    type: 'alarm',
    alarmName,
    state: state.value,
    ...(previous ? { previousState: previous.value } : {}),
    stateChangeTime: state.timestamp,
    reason: state.reason,
    alarmKind,
    delivery,
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    // Suppression may sit in `state` or `previousState`; only the current state's holds actions back.
    ...(state.actionsSuppressedBy ? { actionsSuppressedBy: state.actionsSuppressedBy } : {}),
    ...(alarmKind === 'composite' ? { triggeringAlarms: triggeringAlarms(state.reasonData) } : {}),
  };
}

export const EventBridgeAlarmSchema = z.object({
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  account: z.string().optional(),
  region: z.string().optional(),
  detail: z.object({
    alarmName: z.string().min(1),
    state: AlarmStateBlock,
    previousState: AlarmStateBlock.optional(),
    configuration: Configuration.optional(),
  }),
});

export function fromEventBridge(event: z.infer<typeof EventBridgeAlarmSchema>): AlarmSignal {
  const d = event.detail;
  return fromStateBlocks(
    d.alarmName,
    d.state,
    d.previousState,
    d.configuration,
    'eventbridge',
    event.account,
    event.region,
  );
}

export const LambdaActionAlarmSchema = z.object({
  source: z.literal('aws.cloudwatch'),
  alarmArn: z.string().min(1),
  accountId: z.string().optional(),
  region: z.string().optional(),
  alarmData: z.object({
    alarmName: z.string().min(1),
    state: AlarmStateBlock,
    previousState: AlarmStateBlock.optional(),
    configuration: Configuration.optional(),
  }),
});

export function fromLambdaAction(event: z.infer<typeof LambdaActionAlarmSchema>): AlarmSignal {
  const d = event.alarmData;
  return fromStateBlocks(
    d.alarmName,
    d.state,
    d.previousState,
    d.configuration,
    'lambda-action',
    event.accountId,
    event.region,
  );
}

/** The JSON inside an SNS record's Message. Region is a human name there ("EU (Ireland)"). */
export const SnsAlarmMessageSchema = z.object({
  AlarmName: z.string().min(1),
  NewStateValue: StateValue,
  OldStateValue: StateValue.optional(),
  NewStateReason: z.string().default(''),
  StateChangeTime: Timestamp,
  AWSAccountId: z.string().optional(),
  AlarmArn: z.string().optional(),
  AlarmRule: z.string().optional(),
  Trigger: z
    .object({
      MetricName: z.string().optional(),
      Metrics: z.array(z.object({ Expression: z.string().optional() }).passthrough()).optional(),
      ThresholdMetricId: z.string().optional(),
    })
    .passthrough()
    .optional(),
});

export const SnsEventSchema = z.object({
  Records: z
    .array(
      z
        .object({ EventSource: z.literal('aws:sns'), Sns: z.object({ Message: z.string() }).passthrough() })
        .passthrough(),
    )
    .min(1),
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
