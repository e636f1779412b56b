import { resourcesOf, synthPlatform } from './synth';

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
    .filter((a) => String(a.AlarmName).startsWith('watch-influencegen-prod-'));
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
    expect(JSON.parse(String((rule?.Properties?.Targets as Array<{ Input: string }>)[0]?.Input))).toEqual({
      schedule: 'heartbeat',
    });
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

  test("the watch alarms do not carry the catalogue's prefix: the router they watch does not receive them", () => {
    for (const a of watchAlarms()) expect(a.AlarmName.startsWith('influencegen-prod-')).toBe(false);
  });
});
