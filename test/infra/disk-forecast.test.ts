import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  DISK_FORECAST_DEFAULTS,
  DiskForecastConfigSchema,
  validateDiskForecastConfig,
  type DiskForecastConfig,
} from '../../lib/config/disk-forecast';
import { ENVIRONMENT_NAMES } from '../../lib/config/constants';
import {
  ALERT_CATALOGUE,
  catalogueProblems,
  composeAlerts,
  INTERNAL_ALARM_CATALOGUE,
} from '../../lib/config/alerts';
import { AlertDefinitionSchema } from '../../lib/config/alert-schema';
import {
  PREDICTIVE_DISK_ALERT_NAME,
  PREDICTIVE_DISK_INFRASTRUCTURE,
  PREDICTIVE_DISK_RUNTIME_ALERT,
} from '../../lib/config/forecast-alerts';
import { DiskForecast } from '../../lib/constructs/control-plane/disk-forecast';
import { CatalogAlarms } from '../../lib/constructs/control-plane/catalog-alarms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { DimensionTarget } from '../../lib/config/alert-schema';
import { gpuAgentConfig } from '../../lib/constructs/workloads/gpu-agent-config';
import { GPU_DISK_METRIC_NAME } from '../../lib/config/gpu-metrics';
import { policyStatements, resourcesOf, testApp } from './synth';

const INSTANCE = 'influencegen-prod-postgres';

function build(config: DiskForecastConfig = DISK_FORECAST_DEFAULTS.prod, nag = false) {
  const app = testApp();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  // Fixtures that pass cdk-nag themselves, so that its findings are the construct's.
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const topics = {
    slack: new sns.Topic(stack, 'Slack', { enforceSSL: true }),
    pagerduty: new sns.Topic(stack, 'PagerDuty', { enforceSSL: true }),
  };
  const deadLetters = new sqs.Queue(stack, 'DeadLetters', { enforceSSL: true });
  Validations.of(deadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'It is the dead-letter queue.',
  });
  const forecast = new DiskForecast(stack, 'DiskForecast', {
    environment: 'prod',
    config,
    database: { instanceIdentifier: INSTANCE, ceilingGiB: 500 },
    logKey: key,
    logRetentionDays: 30,
    topics,
    channels: ['slack', 'pagerduty'],
    deadLetterQueue: deadLetters,
    runbookBaseUrl: 'https://runbooks.example.com/control-plane/',
  });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, forecast, template: nag ? undefined : Template.fromStack(stack), topics };
}

describe('DiskForecast construct (the predictive disk alert)', () => {
  const built = build();
  const stack = built.stack;
  const template = built.template as Template;

  test('one function, run every hour by a schedule, no Lambda retries (the next run is the retry)', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(1);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  test("the function's DISK_FORECAST_CONFIG: seed 004's 7 days, 90 %, 30 days, the database's ceiling", () => {
    const [fn] = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    const variables = (fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    const config = JSON.parse(stack.resolve(variables.DISK_FORECAST_CONFIG) as string) as {
      database: Record<string, unknown> & { settings: Record<string, number> };
      gpuHosts: Record<string, unknown>;
    };
    expect(config.database).toMatchObject({
      instanceIdentifier: INSTANCE,
      ceilingGiB: 500,
      thresholdFreePercent: 10,
      settings: { windowDays: 7, confidence: 0.9, trainingDays: 30, stepMinutes: 60 },
    });
    expect(config.gpuHosts).toMatchObject({ thresholdUsedPercent: 90 });
  });

  test('least privilege: reads on * (no resource-level permissions), publishing only to its namespace, the one log group', () => {
    const statements = policyStatements(template).filter((s) => {
      const actions = ([] as unknown[]).concat(s.Action);
      return actions.some((a) => typeof a === 'string' && /^(cloudwatch|logs:Filter)/.test(a));
    });
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: expect.arrayContaining(['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics']),
          Resource: '*',
        }),
        expect.objectContaining({
          Action: 'cloudwatch:PutMetricData',
          Resource: '*',
          Condition: { StringEquals: { 'cloudwatch:namespace': 'InfluenceGen/Forecast' } },
        }),
      ]),
    );
    const filter = statements.find((s) => s.Action === 'logs:FilterLogEvents');
    expect(JSON.stringify(stack.resolve(filter?.Resource))).toContain(':log-group:RDSOSMetrics:*');
    // On *, only reads and X-Ray (active tracing); PutMetricData never without its condition.
    const onAny = policyStatements(template).filter((s) => s.Resource === '*' && !s.Condition);
    expect(onAny.flatMap((s) => ([] as unknown[]).concat(s.Action)).sort()).toEqual([
      'cloudwatch:GetMetricData',
      'cloudwatch:ListMetrics',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  test('the forecast missing for 3 hours, or blind for 3 runs, reaches the channels with the runbook', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'watch-influencegen-prod-disk-forecast-missing',
      Namespace: 'InfluenceGen/Forecast',
      MetricName: 'ForecastRuns',
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 3,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmDescription: Match.stringLikeRegexp(
        'Runbook: https://runbooks.example.com/control-plane/runbooks/disk_space_predictive.md#when-the-forecast-itself-is-broken$',
      ),
      AlarmActions: [
        { Ref: Match.stringLikeRegexp('^Slack') },
        { Ref: Match.stringLikeRegexp('^PagerDuty') },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'watch-influencegen-prod-disk-forecast-blind',
      MetricName: 'DisksNotForecast',
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('passes cdk-nag with every wildcard acknowledged beside its statement', () => {
    const { app } = build(DISK_FORECAST_DEFAULTS.prod, true);
    // Synthesis fails on any unacknowledged finding (and on a wildcard no rule justifies).
    expect(() => app.synth()).not.toThrow();
  });

  test('bad config fails at synth naming the field', () => {
    expect(() => build({ ...DISK_FORECAST_DEFAULTS.prod, confidence: 1.2 })).toThrow(
      'Invalid disk forecast configuration: diskForecast.confidence',
    );
    expect(() =>
      validateDiskForecastConfig({
        ...DISK_FORECAST_DEFAULTS.prod,
        gpuHosts: {
          ...DISK_FORECAST_DEFAULTS.prod.gpuHosts,
          history: { ...DISK_FORECAST_DEFAULTS.prod.gpuHosts.history, minimumDaysCovered: 45 },
        },
      }),
    ).toThrow('diskForecast.gpuHosts.history.minimumDaysCovered: must not exceed trainingDays (30)');
    expect(() => validateDiskForecastConfig({ ...DISK_FORECAST_DEFAULTS.prod, scheduleMinutes: 5 })).toThrow(
      'diskForecast.scheduleMinutes',
    );
  });
});

describe('the per-environment defaults', () => {
  test.each(ENVIRONMENT_NAMES)("%s: valid, and seed 004's figures", (env) => {
    const config = DiskForecastConfigSchema.parse(DISK_FORECAST_DEFAULTS[env]);
    expect(config).toMatchObject({ windowDays: 7, confidence: 0.9, trainingDays: 30, scheduleMinutes: 60 });
    expect(config.database.thresholdFreePercent).toBe(10);
    expect(config.gpuHosts.thresholdUsedPercent).toBe(90);
  });
});

describe('the catalogue entry, both halves', () => {
  const { alerts, problems } = composeAlerts([PREDICTIVE_DISK_RUNTIME_ALERT], {
    [PREDICTIVE_DISK_ALERT_NAME]: PREDICTIVE_DISK_INFRASTRUCTURE,
  });

  test('compose into a valid catalogue alert, Medium, on the forecast metric', () => {
    expect(problems).toEqual([]);
    const [alert] = alerts;
    expect(AlertDefinitionSchema.safeParse(alert).success).toBe(true);
    expect(alert).toMatchObject({
      name: 'Odoo_Server_Disk_Space_Free_Predictive',
      severity: 'Medium',
      runbook: 'runbooks/disk_space_predictive.md',
      signal: {
        type: 'metric',
        metric: {
          namespace: 'InfluenceGen/Forecast',
          metricName: 'DisksPredictedFull',
          statistic: 'Maximum',
        },
        comparison: '>=',
        threshold: 1,
        evaluation: { periodSeconds: 3600, treatMissingData: 'ignore' },
      },
    });
    expect(alert?.description).toContain('EFS');
  });

  test('CatalogAlarms deploys it as the alarm on the forecast metric, no dimension, missing data ignored', () => {
    const stack = new Stack(testApp(), 'Catalogue');
    const group = new logs.LogGroup(stack, 'Logs');
    new CatalogAlarms(stack, 'Alarms', {
      environment: 'prod',
      alerts,
      internal: [],
      targets: {} as Record<DimensionTarget, string>,
      logGroups: { odoo: group, n8n: group, 'flux-gpu': group, postgresql: group },
      databaseMaxConnections: 100,
    });
    const alarms = Object.values(resourcesOf(Template.fromStack(stack), 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties).toMatchObject({
      AlarmName: 'influencegen-prod-Odoo_Server_Disk_Space_Free_Predictive',
      Namespace: 'InfluenceGen/Forecast',
      MetricName: 'DisksPredictedFull',
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
    });
    expect(alarms[0]?.Properties?.Dimensions ?? []).toEqual([]);
    expect(alarms[0]?.Properties?.AlarmDescription).toMatch(
      /^Medium: .*Runbook: runbooks\/disk_space_predictive\.md$/,
    );
  });

  test('are in the catalogue once, and its rules hold', () => {
    expect(ALERT_CATALOGUE.filter((a) => a.name === PREDICTIVE_DISK_ALERT_NAME)).toEqual(alerts);
    expect(catalogueProblems(ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE)).toEqual([]);
  });
});

describe('the GPU hosts publish the disk the forecast reads', () => {
  test("the agent's disk section: the root volume's used %, per instance (the aggregation the forecast lists)", () => {
    const agent = JSON.parse(gpuAgentConfig()) as {
      metrics: {
        aggregation_dimensions: string[][];
        metrics_collected: Record<
          string,
          { measurement: string[]; resources?: string[]; drop_device?: boolean }
        >;
      };
    };
    expect(agent.metrics.metrics_collected.disk).toMatchObject({
      measurement: ['used_percent'],
      resources: ['/'],
      drop_device: true,
    });
    expect(`disk_${agent.metrics.metrics_collected.disk?.measurement[0]}`).toBe(GPU_DISK_METRIC_NAME);
    expect(agent.metrics.aggregation_dimensions).toContainEqual(['InstanceId']);
    // The GPU section is untouched.
    expect(agent.metrics.metrics_collected.nvidia_gpu?.measurement).toContain('utilization_gpu');
  });
});
