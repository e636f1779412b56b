import { SEVERITY_CHANNELS } from '../../lib/config/escalation';
import { StackSet, type ResourceRef } from './references';
import { resourcesOf, synthPlatform } from './synth';

/**
 * Nothing the control plane is handed is dropped silently: every dead-letter queue it owns
 * exists, is encrypted with a customer key, keeps letters 14 days, refuses plain HTTP, and pages
 * the High channels directly through SNS on its first letter.
 */
const platform = () => synthPlatform('prod');
const controlPlane = () => platform().controlPlane;
const stackSet = () => new StackSet(platform().all);
const cpStack = () => platform().platform.controlPlane.stackName;
const refs = (value: unknown, stack = cpStack()): ResourceRef[] =>
  stackSet().referencedResources(stack, value as never);
const one = (value: unknown, stack?: string): ResourceRef => {
  const found = refs(value, stack);
  expect(found).toHaveLength(1);
  return found[0] as ResourceRef;
};

type AlarmProps = Record<string, unknown> & {
  AlarmName: string;
  Dimensions: Array<{ Name: string; Value: unknown }>;
};
const dlqAlarms = () =>
  Object.values(resourcesOf(controlPlane(), 'AWS::CloudWatch::Alarm'))
    .map((a) => a.Properties as AlarmProps)
    .filter((a) => a.AlarmName.startsWith('watch-influencegen-prod-dlq-'));
const alarmNamed = (label: string) => {
  const alarm = dlqAlarms().find((a) => a.AlarmName === `watch-influencegen-prod-dlq-${label}`);
  expect(alarm).toBeDefined();
  return alarm as AlarmProps;
};
/** The queue an alarm watches, through its QueueName dimension (across stacks if need be). */
const watchedQueue = (label: string): ResourceRef => {
  const dimension = alarmNamed(label).Dimensions.find((d) => d.Name === 'QueueName');
  return one(dimension?.Value);
};
const same = (a: ResourceRef, b: ResourceRef) => a.stack === b.stack && a.logicalId === b.logicalId;

const LABELS = ['event-deliveries', 'generation-jobs', 'router-failed-invocations', 'scheduler-deliveries'];

describe('dead-letter queues and their alarms', () => {
  test('one alarm per dead-letter queue: router failures, EventBridge and Scheduler deliveries, generation jobs', () => {
    expect(
      dlqAlarms()
        .map((a) => a.AlarmName.replace('watch-influencegen-prod-dlq-', ''))
        .sort(),
    ).toEqual(LABELS);
    const queues = LABELS.map(watchedQueue);
    expect(new Set(queues.map((q) => `${q.stack}/${q.logicalId}`)).size).toBe(LABELS.length);
  });

  test.each(LABELS)(
    '%s: one visible letter alarms, and pages the High channels straight through SNS',
    (label) => {
      const alarm = alarmNamed(label);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
      });
      const topics = (alarm.AlarmActions as unknown[]).map((action) => {
        const topic = stackSet().resource(one(action));
        expect(topic?.Type).toBe('AWS::SNS::Topic');
        return topic?.Properties?.DisplayName;
      });
      expect(topics).toEqual(SEVERITY_CHANNELS.High.map((c) => `InfluenceGen prod ${c}`));
    },
  );

  test.each(LABELS)(
    '%s: the queue is KMS-encrypted with a customer key, keeps letters 14 days and is TLS-only',
    (label) => {
      const queue = watchedQueue(label);
      const resource = stackSet().resource(queue);
      expect(resource?.Type).toBe('AWS::SQS::Queue');
      expect(resource?.Properties?.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      const key = one(resource?.Properties?.KmsMasterKeyId, queue.stack);
      expect(stackSet().resource(key)?.Type).toBe('AWS::KMS::Key');
      const policies = Object.values(stackSet().resources(queue.stack)).filter(
        (r) =>
          r.Type === 'AWS::SQS::QueuePolicy' &&
          refs(r.Properties?.Queues, queue.stack).some((q) => same(q, queue)),
      );
      const statements = policies.flatMap(
        (p) => (p.Properties?.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    },
  );

  test("the control plane's own queues use the control plane's key", () => {
    const [controlPlaneKey] = Object.keys(resourcesOf(controlPlane(), 'AWS::KMS::Key'));
    for (const label of ['event-deliveries', 'router-failed-invocations', 'scheduler-deliveries']) {
      const queue = watchedQueue(label);
      expect(queue.stack).toBe(cpStack());
      expect(one(stackSet().resource(queue)?.Properties?.KmsMasterKeyId).logicalId).toBe(controlPlaneKey);
    }
  });

  test('failed router invocations go to the on-failure queue after 2 retries, within 2 hours, and the router may send there', () => {
    const configs = Object.values(resourcesOf(controlPlane(), 'AWS::Lambda::EventInvokeConfig'));
    const [config] = configs.filter((c) => {
      const fn = stackSet().resource(one(c.Properties?.FunctionName));
      return String(fn?.Properties?.Description).startsWith('Normalises alarms and AWS events');
    });
    expect(config?.Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 });
    const destination = (config?.Properties?.DestinationConfig as { OnFailure: { Destination: unknown } })
      .OnFailure.Destination;
    expect(same(one(destination), watchedQueue('router-failed-invocations'))).toBe(true);
    const sends = Object.values(resourcesOf(controlPlane(), 'AWS::IAM::Policy'))
      .flatMap(
        (p) =>
          (p.Properties?.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> })
            .Statement,
      )
      .filter((s) => JSON.stringify(s.Action).includes('sqs:SendMessage'))
      .filter((s) => refs(s.Resource).some((q) => same(q, watchedQueue('router-failed-invocations'))));
    expect(sends.length).toBeGreaterThan(0);
  });

  test('every EventBridge rule target of the control plane keeps what it cannot deliver, after explicit retries', () => {
    const rules = Object.values(resourcesOf(controlPlane(), 'AWS::Events::Rule'));
    expect(rules.length).toBeGreaterThan(5);
    // The health probes' per-minute schedules keep nothing on purpose (lib/constructs/control-plane/health-probes.ts).
    const probes = rules.filter((r) => /: health probe agent \d/.test(String(r.Properties?.Description)));
    expect(probes).toHaveLength(3);
    for (const rule of rules.filter((r) => !probes.includes(r))) {
      for (const target of rule.Properties?.Targets as Array<Record<string, unknown>>) {
        const where = String(rule.Properties?.Description);
        expect({ where, retry: target.RetryPolicy }).toEqual({
          where,
          retry: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
        });
        expect({
          where,
          dlq: same(one((target.DeadLetterConfig as { Arn: unknown }).Arn), watchedQueue('event-deliveries')),
        }).toEqual({
          where,
          dlq: true,
        });
      }
    }
  });

  test('the Scheduler schedule keeps the starts it could not make in its own queue', () => {
    const schedules = Object.values(resourcesOf(controlPlane(), 'AWS::Scheduler::Schedule'));
    expect(schedules.length).toBeGreaterThan(0);
    for (const schedule of schedules) {
      const target = schedule.Properties?.Target as {
        DeadLetterConfig: { Arn: unknown };
        RetryPolicy: unknown;
      };
      expect(same(one(target.DeadLetterConfig.Arn), watchedQueue('scheduler-deliveries'))).toBe(true);
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: expect.any(Number),
        MaximumEventAgeInSeconds: expect.any(Number),
      });
    }
  });

  test("the schedule's role may write to its encrypted dead-letter queue: sqs:SendMessage and the queue's key", () => {
    const resources = controlPlane().toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    for (const schedule of Object.values(resourcesOf(controlPlane(), 'AWS::Scheduler::Schedule'))) {
      const target = schedule.Properties?.Target as { RoleArn: unknown; DeadLetterConfig: { Arn: unknown } };
      const role = one(target.RoleArn);
      const queue = resources[one(target.DeadLetterConfig.Arn).logicalId];
      const key = one(queue?.Properties.KmsMasterKeyId);
      const statements = Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .filter((p) => (p.Properties.Roles as unknown[]).some((r) => same(one(r), role)))
        .flatMap(
          (p) =>
            (p.Properties.PolicyDocument as { Statement: unknown }).Statement as Array<{
              Action: string | string[];
              Resource: unknown;
            }>,
        );
      const allows = (action: string, resource: ResourceRef) =>
        statements.some(
          (st) => [st.Action].flat().includes(action) && refs(st.Resource).some((r) => same(r, resource)),
        );
      expect(allows('sqs:SendMessage', one(target.DeadLetterConfig.Arn))).toBe(true);
      expect(allows('kms:GenerateDataKey*', key)).toBe(true);
      expect(allows('kms:Decrypt', key)).toBe(true);
    }
  });

  test("the generation-jobs alarm watches the generation queue's dead-letter queue", () => {
    const watched = watchedQueue('generation-jobs');
    expect(watched.stack).toBe(platform().platform.workloads.stackName);
    const redrives = Object.values(stackSet().resources(watched.stack))
      .filter((r) => r.Type === 'AWS::SQS::Queue' && r.Properties?.RedrivePolicy)
      .map((r) =>
        one(
          (r.Properties?.RedrivePolicy as { deadLetterTargetArn: unknown }).deadLetterTargetArn,
          watched.stack,
        ),
      );
    expect(redrives.some((q) => same(q, watched))).toBe(true);
  });
});
