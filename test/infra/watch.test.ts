import { kindsReferenced, resourcesOf, synthPlatform } from './synth';

const prod = () => synthPlatform('prod').controlPlane;
type AlarmProps = {
  AlarmName: string;
  MetricName?: string;
  Namespace?: string;
  Dimensions?: Array<{ Name: string; Value: unknown }>;
  AlarmActions?: unknown[];
  TreatMissingData?: string;
  ComparisonOperator?: string;
  EvaluationPeriods?: number;
};
const watchAlarms = () =>
  Object.values(resourcesOf(prod(), 'AWS::CloudWatch::Alarm'))
    .map((a) => a.Properties as AlarmProps)
    .filter((a) => String(a.AlarmName).startsWith('watch-influencegen-prod-'))
    // The disk forecast's and the probe agents' own health alarms share the prefix but page at the
    // severity of the alert they protect.
    .filter(
      (a) => !/-(disk-forecast-(missing|blind)|health-probe-agent-\d-silent)$/.test(String(a.AlarmName)),
    );
const logicalIds = (type: string) => Object.keys(resourcesOf(prod(), type));
const topicsOf = (a: AlarmProps) => JSON.stringify(a.AlarmActions);

describe('watching the watcher', () => {
  test('every control-plane function has error and throttle alarms that publish straight to the channel topics', () => {
    const functions = logicalIds('AWS::Lambda::Function').filter((id) => !id.startsWith('LogRetention'));
    const watched = (metric: string) =>
      watchAlarms()
        .filter((a) => a.MetricName === metric && a.Namespace === 'AWS/Lambda')
        .map((a) => JSON.stringify(a.Dimensions));
    for (const id of functions) {
      expect(watched('Errors').some((d) => d.includes(id))).toBe(true);
      expect(watched('Throttles').some((d) => d.includes(id))).toBe(true);
    }
    for (const a of watchAlarms()) {
      expect(a.AlarmActions).toHaveLength(3);
      expect(topicsOf(a)).toMatch(/Channelpagerduty.*Channelslack.*Channelemail/);
    }
  });

  test('every workflow has failed and timed-out execution alarms', () => {
    for (const id of logicalIds('AWS::StepFunctions::StateMachine')) {
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut'])
        expect(
          watchAlarms().some((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(id)),
        ).toBe(true);
    }
  });

  test('the heartbeat alarms when the heartbeat stops: 15 minutes without one, missing data breaching', () => {
    const heartbeat = watchAlarms().find((a) => a.AlarmName === 'watch-influencegen-prod-heartbeat-missing');
    expect(heartbeat).toMatchObject({
      MetricName: 'RouterHeartbeat',
      TreatMissingData: 'breaching',
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
    });
    const rule = Object.values(resourcesOf(prod(), 'AWS::Events::Rule')).find((r) =>
      String(r.Properties?.Description).startsWith('The control plane heartbeat'),
    );
    const [target] = rule?.Properties?.Targets as Array<{
      Input: string;
      DeadLetterConfig?: { Arn: unknown };
    }>;
    expect(JSON.parse(String(target?.Input))).toEqual({ schedule: 'heartbeat' });
    // A beat EventBridge could not deliver lands in the router's dead letters (whose alarm pages).
    expect(kindsReferenced('prod', target?.DeadLetterConfig?.Arn)).toEqual(['AWS::SQS::Queue']);
  });

  test('the workflow half of the heartbeat: three periods without a successful scheduled stall check alarm', () => {
    expect(
      watchAlarms().find((a) => a.AlarmName === 'watch-influencegen-prod-workflow-heartbeat-missing'),
    ).toMatchObject({
      MetricName: 'ExecutionsSucceeded',
      TreatMissingData: 'breaching',
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 3,
    });
  });

  test('every dead-letter queue of the control plane has a watch alarm of its own', () => {
    const dlq = watchAlarms().filter((a) => a.AlarmName.startsWith('watch-influencegen-prod-dlq-'));
    expect(dlq.map((a) => a.AlarmName).sort()).toEqual(
      ['event-deliveries', 'generation-jobs', 'router-failed-invocations', 'scheduler-deliveries'].map(
        (l) => `watch-influencegen-prod-dlq-${l}`,
      ),
    );
    for (const a of dlq)
      expect(a).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' });
  });

  test("the watch alarms do not carry the catalogue's prefix: the router they watch does not receive them", () => {
    for (const a of watchAlarms()) expect(a.AlarmName.startsWith('influencegen-prod-')).toBe(false);
  });
});
