import { Match } from 'aws-cdk-lib/assertions';
import { resourcesOf, synthPlatform } from './synth';

const prod = () => synthPlatform('prod').controlPlane;

describe('scale-decision infrastructure', () => {
  test('the workflow runs the checked-in definition with its functions, table and the escalation workflow', () => {
    prod().hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'influencegen-prod-scale-decision',
      DefinitionSubstitutions: {
        ObserveFunctionArn: Match.anyValue(),
        PlanFunctionArn: Match.anyValue(),
        VerifyFunctionArn: Match.anyValue(),
        RecordFunctionArn: Match.anyValue(),
        StateTable: Match.anyValue(),
        EscalationStateMachineArn: Match.anyValue(),
      },
    });
  });

  test('it may update (and re-read under the lock) only the three platform services', () => {
    const statements = Object.values(resourcesOf(prod(), 'AWS::IAM::Policy')).flatMap(
      (p) =>
        (p.Properties?.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> })
          .Statement,
    );
    // Policy minimisation sorts and merges actions: compare the set, not the order written.
    const actionsOf = (s: { Action: unknown }) => [s.Action].flat().map(String).sort();
    const update = statements.find(
      (s) => JSON.stringify(actionsOf(s)) === JSON.stringify(['ecs:DescribeServices', 'ecs:UpdateService']),
    );
    expect(update?.Resource).toHaveLength(3);
    expect(JSON.stringify(update?.Resource)).not.toContain('"*"');
  });

  test("the functions get the environment's scaling settings", () => {
    prod().hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Scale decision: read the ledger'),
      Environment: {
        Variables: Match.objectLike({ SCALING_CONFIG: Match.anyValue(), STATE_TABLE: Match.anyValue() }),
      },
    });
  });

  test('components are re-evaluated every 5 minutes where scaling is enabled, never in dev', () => {
    const periodic = (env: 'prod' | 'dev') =>
      Object.values(resourcesOf(synthPlatform(env).controlPlane, 'AWS::Events::Rule')).filter(
        (r) =>
          r.Properties?.ScheduleExpression === 'rate(5 minutes)' &&
          (r.Properties?.Targets as Array<{ Input?: string }>)[0]?.Input !== undefined,
      );
    const scaleInputs = (env: 'prod' | 'dev') =>
      periodic(env)
        .map(
          (r) => JSON.parse(String((r.Properties?.Targets as Array<{ Input: string }>)[0]?.Input)) as object,
        )
        .filter(
          (input) =>
            'schedule' in input && String((input as { schedule: string }).schedule).startsWith('scale-'),
        );
    expect(scaleInputs('prod')).toEqual([
      { schedule: 'scale-odoo' },
      { schedule: 'scale-n8n' },
      { schedule: 'scale-flux-gpu' },
    ]);
    expect(scaleInputs('dev')).toEqual([]);
  });

  test('every scaling rule has its alarm, reading the metric the plan reads', () => {
    const alarms = Object.values(resourcesOf(prod(), 'AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Record<string, unknown>,
    );
    expect(alarms.find((a) => a.AlarmName === 'influencegen-prod-Scale_odoo_cpu_high')).toMatchObject({
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Threshold: 70,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
    const gpuTasks = alarms.find((a) => a.AlarmName === 'influencegen-prod-Scale_flux_gpu_gpu_tasks_high');
    expect(JSON.stringify(gpuTasks?.Metrics)).toContain('inflight / MAX([tasks, 1])');
  });

  test("n8n's queue alarms read the agent's queue gauges of the worker service, per running worker", () => {
    const alarms = Object.values(resourcesOf(prod(), 'AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Record<string, unknown>,
    );
    const queueHigh = alarms.find((a) => a.AlarmName === 'influencegen-prod-Scale_n8n_queue_high');
    expect(queueHigh).toMatchObject({
      Threshold: 7,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
    const metrics = queueHigh?.Metrics as Array<{
      Id: string;
      Expression?: string;
      MetricStat?: {
        Metric: {
          Namespace: string;
          MetricName: string;
          Dimensions: Array<{ Name: string; Value: unknown }>;
        };
      };
    }>;
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('(waiting + active) / MAX([tasks, 1])');
    const stat = (id: string) => metrics.find((m) => m.Id === id)?.MetricStat?.Metric;
    expect(stat('waiting')).toMatchObject({
      Namespace: 'InfluenceGen/N8n',
      MetricName: 'n8n_scaling_mode_queue_jobs_waiting',
    });
    expect(stat('active')).toMatchObject({
      Namespace: 'InfluenceGen/N8n',
      MetricName: 'n8n_scaling_mode_queue_jobs_active',
    });
    // The gauges' one dimension is the worker service, the service whose tasks are counted.
    const serviceOf = (id: string) =>
      JSON.stringify(stat(id)?.Dimensions.find((d) => d.Name === 'ServiceName')?.Value);
    expect(stat('waiting')?.Dimensions.map((d) => d.Name)).toEqual(['ServiceName']);
    expect(serviceOf('waiting')).toBe(serviceOf('tasks'));
    expect(serviceOf('active')).toBe(serviceOf('tasks'));
    expect(stat('tasks')?.MetricName).toBe('RunningTaskCount');
    expect(alarms.find((a) => a.AlarmName === 'influencegen-prod-Scale_n8n_queue_low')).toMatchObject({
      Threshold: 3,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
    });
  });
});

describe('off-peak schedule', () => {
  type Schedule = {
    ScheduleExpression: string;
    ScheduleExpressionTimezone?: string;
    Target: { Input: string };
  };
  const offPeakSchedules = (env: 'prod' | 'dev') =>
    Object.values(resourcesOf(synthPlatform(env).controlPlane, 'AWS::Scheduler::Schedule'))
      .map((r) => r.Properties as Schedule)
      .filter((s) => s.Target.Input.includes('"scheduled"'));

  test("six Scheduler crons start the scale-decision workflow at the windows' edges in prod, none in dev", () => {
    const prodSchedules = offPeakSchedules('prod');
    expect(
      prodSchedules.map((s) => [
        s.ScheduleExpression,
        s.ScheduleExpressionTimezone,
        JSON.parse(s.Target.Input),
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['cron(0 0 * * ? *)', 'UTC', { component: 'odoo', scheduled: 'off-peak-start' }],
        ['cron(0 6 * * ? *)', 'UTC', { component: 'odoo', scheduled: 'off-peak-end' }],
        ['cron(0 2 * * ? *)', 'UTC', { component: 'n8n', scheduled: 'off-peak-start' }],
        ['cron(0 2 * * ? *)', 'UTC', { component: 'flux-gpu', scheduled: 'off-peak-start' }],
      ]),
    );
    expect(prodSchedules).toHaveLength(6);
    expect(offPeakSchedules('dev')).toEqual([]);
  });
});
