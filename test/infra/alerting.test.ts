import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../lib/config';
import { buildPlatform } from '../../lib/platform';
import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE, LOG_METRIC_NAMESPACES } from '../../lib/config/alerts';
import { alarmName, WORKFLOW_NAMES } from '../../lib/config/naming';
import { workflowOfStateMachine } from '../../lambdas/core/routing/route';
import { StackSet } from './references';
import { resourcesOf, synthPlatform, testApp } from './synth';

const ROOT = path.resolve(__dirname, '..', '..');
const prod = () => synthPlatform('prod').controlPlane;

function alarmsByName(): Record<string, { Type: string; Properties?: Record<string, unknown> }> {
  const all = resourcesOf(prod());
  return Object.fromEntries(
    Object.values(all)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm')
      .map((r) => [String(r.Properties?.AlarmName), r]),
  );
}

describe('the catalogue in the template', () => {
  test.each(ALERT_CATALOGUE.map((a) => [a.name, a]))(
    '%s has its alarm (or its event rule) and its runbook',
    (name, alert) => {
      expect(fs.existsSync(path.join(ROOT, alert.runbook))).toBe(true);
      if (alert.signal.type === 'workflow') {
        // Raised by a control-plane workflow, which may start the escalation workflow.
        prod().hasResourceProperties('AWS::StepFunctions::StateMachine', {
          StateMachineName: `influencegen-prod-${alert.signal.raisedBy}`,
        });
        return;
      }
      if (alert.signal.type === 'event') {
        const rules = Object.values(resourcesOf(prod(), 'AWS::Events::Rule')).map(
          (r) => r.Properties?.EventPattern as Record<string, unknown>,
        );
        expect(rules).toContainEqual(
          expect.objectContaining({ source: [alert.signal.source], 'detail-type': alert.signal.detailTypes }),
        );
        return;
      }
      const alarm = alarmsByName()[alarmName('prod', name)];
      expect(alarm).toBeDefined();
      // No actions: EventBridge delivers the state change to the router, once.
      expect(alarm?.Properties?.ActionsEnabled ?? false).toBe(false);
      expect(String(alarm?.Properties?.AlarmDescription)).toContain(alert.runbook);
    },
  );

  test('every runbook belongs to a catalogue alert or is linked by a control-plane resource', () => {
    // The watcher's and dead-letter alarms, the budgets and the major-incident notices page
    // outside the catalogue: their runbooks are linked from the template itself.
    const template = JSON.stringify(synthPlatform('prod').controlPlane.toJSON());
    const files = fs.readdirSync(path.join(ROOT, 'runbooks')).map((f) => `runbooks/${f}`);
    const catalogue = new Set(ALERT_CATALOGUE.map((a) => a.runbook));
    expect(files.filter((f) => !catalogue.has(f) && !template.includes(f))).toEqual([]);
    for (const runbook of catalogue) expect(files).toContain(runbook);
  });

  test('AI_Service_Stalled is a composite: GPU idle for 5 minutes AND jobs waiting', () => {
    const composite = alarmsByName()['influencegen-prod-AI_Service_Stalled'];
    expect(composite?.Type).toBe('AWS::CloudWatch::CompositeAlarm');
    const rule = JSON.stringify(composite?.Properties?.AlarmRule);
    expect(rule).toContain('AIServingGPUIdle');
    expect(rule).toContain('AIGenerationQueueWaiting');
    expect(rule).toContain(' AND ');
    const idle = alarmsByName()['influencegen-prod-AI_Serving_GPU_Idle'];
    expect(idle?.Properties).toMatchObject({
      Namespace: 'InfluenceGen/GPU',
      MetricName: 'nvidia_smi_utilization_gpu',
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      // A missing datapoint is "no signal", never 0 %.
      TreatMissingData: 'missing',
    });
    expect(
      INTERNAL_ALARM_CATALOGUE.filter((a) => a.inputOf === 'AI_Service_Stalled').map((a) => a.name),
    ).toEqual(['AI_Serving_GPU_Idle', 'AI_Generation_Queue_Waiting']);
  });

  test('the baseline-deviation alert is an anomaly-detection alarm', () => {
    const alarm = alarmsByName()['influencegen-prod-Odoo_UI_Page_Load_Time_P95_Baseline_Deviation'];
    expect(alarm?.Properties).toMatchObject({
      ComparisonOperator: 'GreaterThanUpperThreshold',
      ThresholdMetricId: 'band',
    });
    expect(JSON.stringify(alarm?.Properties?.Metrics)).toContain('ANOMALY_DETECTION_BAND(m1, 3)');
  });

  test('the brute-force alert reads a Contributor Insights rule over the Odoo log', () => {
    prod().hasResourceProperties('AWS::CloudWatch::InsightRule', {
      RuleName: 'influencegen-prod-Admin_Account_Multiple_Failed_Logins',
      RuleState: 'ENABLED',
    });
    const alarm = alarmsByName()['influencegen-prod-Admin_Account_Multiple_Failed_Logins'];
    expect(JSON.stringify(alarm?.Properties?.Metrics)).toContain(
      "INSIGHT_RULE_METRIC('influencegen-prod-Admin_Account_Multiple_Failed_Logins', 'MaxContributorValue')",
    );
  });

  test('log-derived metrics have their metric filters in the workload namespaces', () => {
    const filters = Object.values(resourcesOf(prod(), 'AWS::Logs::MetricFilter')).map(
      (f) => f.Properties as Record<string, unknown>,
    );
    expect(filters).toContainEqual(
      expect.objectContaining({
        FilterPattern: '{ $.event = "n8n_api_call" && $.outcome = "error" }',
        MetricTransformations: [
          expect.objectContaining({
            MetricNamespace: LOG_METRIC_NAMESPACES.odoo,
            MetricName: 'OdooN8nApiErrors',
            MetricValue: '1',
            DefaultValue: 0,
          }),
        ],
      }),
    );
    expect(filters).toContainEqual(
      expect.objectContaining({
        MetricTransformations: [
          expect.objectContaining({
            MetricNamespace: LOG_METRIC_NAMESPACES.n8n,
            MetricName: 'GenerationLatency',
            MetricValue: '$total_ms',
          }),
        ],
      }),
    );
  });

  test('error rates are metric math over a window; sustained conditions are 1-minute periods', () => {
    const rate = alarmsByName()['influencegen-prod-High_Odoo_N8N_API_Error_Rate'];
    expect(rate?.Properties).toMatchObject({
      Threshold: 5,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(JSON.stringify(rate?.Properties?.Metrics)).toContain('100 * errors / MAX([calls, 1])');
    expect(JSON.stringify(rate?.Properties?.Metrics)).toContain('"Period":300');
    const cpu = alarmsByName()['influencegen-prod-Odoo_Server_High_CPU'];
    expect(cpu?.Properties).toMatchObject({
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Period: 60,
      EvaluationPeriods: 15,
      DatapointsToAlarm: 15,
      Threshold: 85,
    });
  });

  test('the connection alarm fires at 90 % of the configured max_connections', () => {
    expect(alarmsByName()['influencegen-prod-PostgreSQL_High_Connection_Usage']?.Properties).toMatchObject({
      Threshold: Math.floor(901 * 0.9),
    });
    synthPlatform('prod').data.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({ max_connections: '901', log_min_duration_statement: '5000' }),
    });
  });
});

describe('the router and its triggers', () => {
  test("this environment's alarm state changes, backup failures and the cluster's service actions reach the router", () => {
    const patterns = Object.values(resourcesOf(prod(), 'AWS::Events::Rule')).map(
      (r) => r.Properties?.EventPattern,
    );
    expect(patterns).toContainEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      detail: { alarmName: [{ prefix: 'influencegen-prod-' }] },
    });
    expect(patterns).toContainEqual({
      source: ['aws.backup'],
      'detail-type': ['Backup Job State Change'],
      detail: { state: ['FAILED', 'ABORTED', 'EXPIRED'] },
    });
    expect(patterns).toContainEqual(
      expect.objectContaining({
        source: ['aws.ecs'],
        detail: expect.objectContaining({
          eventName: [
            'SERVICE_TASK_PLACEMENT_FAILURE',
            'SERVICE_TASK_START_IMPAIRED',
            'SERVICE_STEADY_STATE',
          ],
        }),
      }),
    );
  });

  test('deliveries the router could not take go to an encrypted dead-letter queue after retries', () => {
    prod().hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });

  test("failed, timed-out and aborted executions of this environment's four workflows reach the router", () => {
    const { all, platform } = synthPlatform('prod');
    const set = new StackSet(all);
    const stack = platform.controlPlane.stackName;
    const rules = Object.values(resourcesOf(prod(), 'AWS::Events::Rule')).filter(
      (r) => (r.Properties?.EventPattern as { source?: string[] } | undefined)?.source?.[0] === 'aws.states',
    );
    expect(rules).toHaveLength(1);
    const pattern = rules[0]?.Properties?.EventPattern as {
      'detail-type': string[];
      detail: { status: string[]; stateMachineArn: unknown[] };
    };
    expect(pattern['detail-type']).toEqual(['Step Functions Execution Status Change']);
    expect(pattern.detail.status).toEqual(['FAILED', 'TIMED_OUT', 'ABORTED']);
    // Scoped to this environment's state machines, by reference, and named as the router expects.
    const machines = pattern.detail.stateMachineArn.map((arn) => {
      const [ref] = set.referencedResources(stack, arn as never);
      const resource = ref && set.resource(ref);
      expect(resource?.Type).toBe('AWS::StepFunctions::StateMachine');
      return String(resource?.Properties?.StateMachineName);
    });
    expect(machines.map((m) => workflowOfStateMachine(m, 'prod')).sort()).toEqual([...WORKFLOW_NAMES].sort());
    const [target] = rules[0]?.Properties?.Targets as Array<{ Arn: unknown; DeadLetterConfig: unknown }>;
    const [fn] = set.referencedResources(stack, target?.Arn as never);
    expect(String(fn && set.resource(fn)?.Properties?.Description)).toMatch(
      /^Normalises alarms and AWS events/,
    );
    expect(target?.DeadLetterConfig).toBeDefined();
  });

  test('the router may start the escalation workflow', () => {
    prod().hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'states:StartExecution' })]) },
    });
  });
});

describe('escalation and acknowledgement', () => {
  test('the escalation state machine is named and runs the checked-in definition with its functions', () => {
    prod().hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'influencegen-prod-escalation',
      DefinitionSubstitutions: {
        RegisterFunctionArn: Match.anyValue(),
        NotifyFunctionArn: Match.anyValue(),
        AwaitAckFunctionArn: Match.anyValue(),
        ResolveFunctionArn: Match.anyValue(),
      },
    });
  });

  test('there is no unauthenticated way to acknowledge: every function URL requires IAM', () => {
    const urls = Object.values(resourcesOf(prod(), 'AWS::Lambda::Url'));
    expect(urls).toHaveLength(1);
    for (const url of urls) expect(url.Properties?.AuthType).toBe('AWS_IAM');
    prod().hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'influencegen-prod-incident-ack' });
  });
});

describe('channels', () => {
  const topicId = (template: Template, channel: string) =>
    Object.entries(resourcesOf(template, 'AWS::SNS::Topic')).find(([, t]) =>
      String(t.Properties?.DisplayName).endsWith(` ${channel}`),
    )?.[0];

  test('email recipients from config subscribe to the email topic', () => {
    // The major-incident stakeholder lists have their own topics (test/infra/major-incident-workflow.test.ts).
    const channelTopics = Object.entries(resourcesOf(prod(), 'AWS::SNS::Topic'))
      .filter(([, t]) => !String(t.Properties?.DisplayName).includes('major incident'))
      .map(([id]) => id);
    const subs = Object.values(resourcesOf(prod(), 'AWS::SNS::Subscription')).filter(
      (s) =>
        s.Properties?.Protocol === 'email' &&
        channelTopics.some((id) => JSON.stringify(s.Properties?.TopicArn) === JSON.stringify({ Ref: id })),
    );
    expect(subs.map((s) => s.Properties?.Endpoint).sort()).toEqual([
      'devops@example.com',
      'support@example.com',
    ]);
    for (const s of subs) expect(s.Properties?.TopicArn).toEqual({ Ref: topicId(prod(), 'email') });
  });

  test('PagerDuty is an HTTPS subscription whose endpoint is resolved from Secrets Manager at deploy', () => {
    const subs = Object.values(resourcesOf(prod(), 'AWS::SNS::Subscription')).filter(
      (s) => s.Properties?.Protocol === 'https',
    );
    expect(subs.map((s) => s.Properties?.Endpoint).sort()).toEqual([
      '{{resolve:secretsmanager:influencegen/prod/pagerduty-endpoint:SecretString:::}}',
      '{{resolve:secretsmanager:influencegen/prod/pagerduty-security-endpoint:SecretString:::}}',
    ]);
  });

  test('an environment without PagerDuty secrets gets no PagerDuty subscription', () => {
    const subs = Object.values(resourcesOf(synthPlatform('dev').controlPlane, 'AWS::SNS::Subscription'));
    expect(subs.filter((s) => s.Properties?.Protocol === 'https')).toEqual([]);
  });

  test('Slack through AWS Chatbot when a workspace is configured, security alerts to their own channel', () => {
    const config = loadConfig({ envName: 'staging', region: 'eu-west-1' });
    const slack = { workspaceId: 'T01ABCDEF', channelId: 'C01ALERTS', securityChannelId: 'C01SECURE' };
    const platform = buildPlatform(testApp(), {
      ...config,
      env: { ...config.env, alerts: { ...config.env.alerts, slack } },
    });
    const template = Template.fromStack(platform.controlPlane);
    const configs = Object.values(resourcesOf(template, 'AWS::Chatbot::SlackChannelConfiguration')).map(
      (c) => c.Properties,
    );
    expect(configs.map((c) => [c?.SlackWorkspaceId, c?.SlackChannelId])).toEqual([
      ['T01ABCDEF', 'C01ALERTS'],
      ['T01ABCDEF', 'C01SECURE'],
    ]);
    expect(configs[0]?.SnsTopicArns).toEqual([{ Ref: topicId(template, 'slack') }]);
    expect(configs[1]?.SnsTopicArns).toEqual([{ Ref: topicId(template, 'slack-security') }]);
    expect(
      Object.keys(resourcesOf(synthPlatform('prod').controlPlane, 'AWS::Chatbot::SlackChannelConfiguration')),
    ).toHaveLength(0);
  });
});
