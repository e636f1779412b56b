import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { composeAlerts, composeInternalAlarms } from '../../lib/config/alerts';
import type { DimensionTarget } from '../../lib/config/alert-schema';
import { PROBES_DEFAULTS } from '../../lib/config/probes-schema';
import {
  PROBE_ALERT_INFRASTRUCTURE,
  PROBE_INTERNAL_ALARM_INFRASTRUCTURE,
  probeTargetValues,
} from '../../lib/config/probes-alerts';
import { PROBE_RUNTIME_ALERTS, PROBE_RUNTIME_INTERNAL_ALARMS } from '../../lib/config/probes-alert-runtime';
import { CatalogAlarms } from '../../lib/constructs/control-plane/catalog-alarms';
import { HealthProbes } from '../../lib/constructs/control-plane/health-probes';
import { testApp } from './synth';

/**
 * The health probes on a small stack: a VPC with private subnets in three AZs, the probes, and the
 * catalogue alarms of the probe and SLO alerts built by the catalogue's own construct with the
 * probes' AZs as dimension values (what the lead wires in the control-plane stack).
 */
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function build(azs = AZS, scheduled = true, silentAgentAlarms = false) {
  const app = testApp({ [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: azs });
  const stack = new Stack(app, 'Probes', { env: { account: ACCOUNT, region: REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 3,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  const probes = new HealthProbes(stack, 'HealthProbes', {
    environment: 'prod',
    vpc,
    config: { ...PROBES_DEFAULTS.prod, scheduled },
    targets: { odoo: 'https://erp.influencegen.example', n8n: 'https://n8n.influencegen.example' },
    logKey: new kms.Key(stack, 'Key'),
    logRetentionDays: 30,
    ...(silentAgentAlarms
      ? {
          silentAgentAlarms: {
            topics: { slack: new sns.Topic(stack, 'Slack'), email: new sns.Topic(stack, 'Email') },
            channels: ['slack', 'email', 'pagerduty'] as const,
            runbookBaseUrl: 'https://runbooks.example.com/control-plane/',
          },
        }
      : {}),
  });
  return { stack, vpc, probes };
}

/** The probe functions (the VPC's default-security-group custom resource has one too). */
const functionsOf = (t: Template) =>
  Object.values(
    t.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'health-probe' } } },
    }),
  ).map(
    (f) =>
      f.Properties as {
        VpcConfig: { SubnetIds: unknown[] };
        Environment: { Variables: Record<string, unknown> };
        Timeout: number;
      },
  );
/** PROBE_CONFIG is rendered with Fn::Join around tokens; this stack's values are all literal. */
const probeConfig = (f: ReturnType<typeof functionsOf>[number]) => {
  const raw = f.Environment.Variables.PROBE_CONFIG;
  const text =
    typeof raw === 'string' ? raw : (raw as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].join('');
  return JSON.parse(text) as { zone: string; timeoutMs: number; targets: Record<string, string> };
};

describe('HealthProbes', () => {
  const { stack, vpc, probes } = build();
  const t = Template.fromStack(stack);
  const subnetIds = (sel: ec2.SubnetSelection) =>
    vpc.selectSubnets(sel).subnets.map((s) => stack.resolve(s.subnetId));

  test('three agents, each pinned to the private subnet of a different AZ, and a validator in all three', () => {
    expect(probes.zones).toEqual(AZS);
    const privateSubnets = subnetIds({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    const fns = functionsOf(t);
    expect(fns).toHaveLength(4);
    const agents = fns.filter((f) => f.VpcConfig.SubnetIds.length === 1);
    expect(agents.map((f) => f.VpcConfig.SubnetIds[0])).toEqual(privateSubnets);
    expect(agents.map((f) => probeConfig(f).zone)).toEqual(AZS);
    const validator = fns.filter((f) => f.VpcConfig.SubnetIds.length === 3);
    expect(validator).toHaveLength(1);
    expect(probeConfig(validator[0] as (typeof fns)[number]).zone).toBe('multi-az');
  });

  test("every function waits seed 004's 30 seconds for a target, within a 45-second function timeout", () => {
    for (const f of functionsOf(t)) {
      expect(probeConfig(f)).toMatchObject({
        timeoutMs: 30_000,
        targets: { odoo: 'https://erp.influencegen.example', n8n: 'https://n8n.influencegen.example' },
      });
      expect(f.Timeout).toBe(45);
    }
  });

  test('their security group sends HTTPS out and nothing else, and lets nothing in', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Health probes'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }],
    });
    const group = Object.values(t.findResources('AWS::EC2::SecurityGroup'))[0] as {
      Properties: Record<string, unknown>;
    };
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(t.findResources('AWS::EC2::SecurityGroupIngress')).toEqual({});
  });

  test('one rule per agent, every minute, with the scheduled input; no retries of a late probe', () => {
    const rules = Object.values(t.findResources('AWS::Events::Rule')).map(
      (r) =>
        r.Properties as {
          ScheduleExpression: string;
          State: string;
          Targets: Array<Record<string, unknown>>;
        },
    );
    expect(rules).toHaveLength(3);
    for (const rule of rules) {
      expect(rule).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
      expect(rule.Targets).toHaveLength(1);
      expect(rule.Targets[0]).toMatchObject({
        Input: '{"mode":"scheduled"}',
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
      });
    }
    const targeted = rules.map((r) => JSON.stringify(r.Targets[0]?.Arn));
    expect(new Set(targeted).size).toBe(3);
    t.resourceCountIs('AWS::Lambda::EventInvokeConfig', 3);
    t.allResourcesProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });

  test('scheduled: false keeps the rules but disables them', () => {
    const off = Template.fromStack(build(AZS, false).stack);
    off.allResourcesProperties('AWS::Events::Rule', { State: 'DISABLED' });
  });

  test('a two-AZ VPC (staging, dev): two pinned agents and the third outside the VPC', () => {
    const two = build(['eu-west-1a', 'eu-west-1b']);
    expect(two.probes.zones).toEqual(['eu-west-1a', 'eu-west-1b', 'outside-vpc']);
    const fns = Object.values(
      Template.fromStack(two.stack).findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'health-probe' } } },
      }),
    ).map((f) => f.Properties as { VpcConfig?: { SubnetIds: unknown[] }; Description: string });
    expect(fns.map((f) => f.VpcConfig?.SubnetIds.length ?? 0)).toEqual([1, 1, 0, 2]);
    expect(fns[2]?.Description).toContain('(outside-vpc)');
  });

  test('an agent silent for 10 minutes alarms on its own AZ, to the channels given, with the runbook section', () => {
    const { stack: s } = build(['eu-west-1a', 'eu-west-1b'], true, true);
    const alarms = Object.values(Template.fromStack(s).findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Record<string, unknown>,
    );
    expect(alarms.map((a) => a.AlarmName)).toEqual(
      [1, 2, 3].map((n) => `watch-influencegen-prod-health-probe-agent-${n}-silent`),
    );
    expect(
      alarms.map(
        (a) =>
          (a.Dimensions as Array<{ Name: string; Value: string }>).find((d) => d.Name === 'AvailabilityZone')
            ?.Value,
      ),
    ).toEqual(['eu-west-1a', 'eu-west-1b', 'outside-vpc']);
    for (const a of alarms) {
      expect(a).toMatchObject({
        Namespace: 'InfluenceGen/Probes',
        MetricName: 'ProbeSuccess',
        Statistic: 'SampleCount',
        Period: 60,
        EvaluationPeriods: 10,
        DatapointsToAlarm: 10,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        // Silence is the condition: no datapoint breaches.
        TreatMissingData: 'breaching',
      });
      expect(a.AlarmDescription).toMatch(
        /Runbook: https:\/\/runbooks\.example\.com\/control-plane\/runbooks\/odoo_cluster_node_unhealthy\.md#silent-agent$/,
      );
      // Slack and email have topics here; PagerDuty has none in this stack and is skipped.
      expect(a.AlarmActions).toEqual([
        { Ref: expect.stringMatching(/^Slack/) as string },
        { Ref: expect.stringMatching(/^Email/) as string },
      ]);
    }
  });

  test('no silent-agent alarm where the agents are not scheduled (they are silent by design) or no channel is given', () => {
    expect(build(AZS, false, true).probes.silentAgentAlarms).toEqual([]);
    expect(build(AZS, true, false).probes.silentAgentAlarms).toEqual([]);
    expect(build(AZS, true, true).probes.silentAgentAlarms).toHaveLength(3);
  });

  test('a VPC with private subnets in one AZ fails at synth naming the VPC', () => {
    expect(() => build(['eu-west-1a'])).toThrow(
      'vpc: the probe quorum needs private subnets in at least 2 AZs, found 1',
    );
  });
});

describe('the probe and SLO alarms, built by CatalogAlarms with the probes as dimension targets', () => {
  const { stack, probes } = build();
  const alerts = composeAlerts(PROBE_RUNTIME_ALERTS, PROBE_ALERT_INFRASTRUCTURE).alerts;
  const internal = composeInternalAlarms(
    PROBE_RUNTIME_INTERNAL_ALARMS,
    PROBE_INTERNAL_ALARM_INFRASTRUCTURE,
  ).alarms;
  const logGroup = new logs.LogGroup(stack, 'Logs');
  new CatalogAlarms(stack, 'Catalog', {
    environment: 'prod',
    alerts,
    internal,
    targets: {
      alb: 'app/odoo/0123456789abcdef',
      'target-group:odoo': 'targetgroup/odoo/fedcba9876543210',
      ...probeTargetValues(probes.zones),
    } as unknown as Record<DimensionTarget, string>,
    logGroups: { odoo: logGroup, n8n: logGroup, 'flux-gpu': logGroup, postgresql: logGroup },
    databaseMaxConnections: 100,
  });
  const t = Template.fromStack(stack);
  const alarm = (name: string) => {
    const found = Object.values(t.findResources('AWS::CloudWatch::Alarm')).find(
      (a) => (a.Properties as { AlarmName: string }).AlarmName === `influencegen-prod-${name}`,
    );
    expect(found).toBeDefined();
    return (found as { Properties: Record<string, unknown> }).Properties;
  };

  test("the quorum alarm reads each agent's ProbeSuccess by its AZ, >= 2 in 2 of 3 minutes", () => {
    const q = alarm('Odoo_Cluster_Node_Unhealthy');
    expect(q).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 2,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    const metrics = q.Metrics as Array<{
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { Dimensions: unknown }; Stat: string; Period: number };
    }>;
    expect(metrics.find((m) => m.Expression)?.Expression).toBe(
      '(1 - FILL(az1, 1)) + (1 - FILL(az2, 1)) + (1 - FILL(az3, 1))',
    );
    for (const [i, az] of AZS.entries()) {
      const m = metrics.find((x) => x.Id === `az${i + 1}`);
      expect(m?.MetricStat).toMatchObject({
        Metric: {
          Namespace: 'InfluenceGen/Probes',
          MetricName: 'ProbeSuccess',
          Dimensions: [
            { Name: 'AvailabilityZone', Value: az },
            { Name: 'Target', Value: 'odoo' },
          ],
        },
        Stat: 'Minimum',
        Period: 60,
      });
    }
  });

  test('each burn-rate alert is a composite of its long- and short-window alarms', () => {
    const composites = Object.values(t.findResources('AWS::CloudWatch::CompositeAlarm')).map(
      (c) => c.Properties as { AlarmName: string; AlarmRule: unknown },
    );
    expect(composites.map((c) => c.AlarmName).sort()).toEqual([
      'influencegen-prod-Odoo_Availability_SLO_Budget_Burn',
      'influencegen-prod-Odoo_Availability_SLO_Fast_Burn',
      'influencegen-prod-Odoo_Availability_SLO_Slow_Burn',
    ]);
    const fast = composites.find((c) => c.AlarmName.endsWith('Fast_Burn'));
    const rule = JSON.stringify(stack.resolve(fast?.AlarmRule));
    // The rule names its inputs by ARN: ALARM(long) AND ALARM(short).
    expect(rule).toMatch(/ALARM.*OdooAvailabilitySLOFastLong.*AND ALARM.*OdooAvailabilitySLOFastShort/);
    const long = alarm('Odoo_Availability_SLO_Fast_Long');
    expect(long).toMatchObject({ Threshold: 14.4, ComparisonOperator: 'GreaterThanThreshold' });
    const periods = (long.Metrics as Array<{ MetricStat?: { Period: number } }>)
      .filter((m) => m.MetricStat)
      .map((m) => m.MetricStat?.Period);
    expect(new Set(periods)).toEqual(new Set([3600]));
    const budget = alarm('Odoo_Availability_SLO_Budget_Long');
    const budgetPeriods = (budget.Metrics as Array<{ MetricStat?: { Period: number } }>)
      .filter((m) => m.MetricStat)
      .map((m) => m.MetricStat?.Period);
    expect(new Set(budgetPeriods)).toEqual(new Set([259_200]));
  });

  test('the RTO alarm: the Maximum projected recovery over 240 minutes, the state kept between weekly tests', () => {
    expect(alarm('Recovery_Time_Objective_At_Risk')).toMatchObject({
      Namespace: 'InfluenceGen/Recovery',
      MetricName: 'ProjectedRecoveryMinutes',
      Statistic: 'Maximum',
      Threshold: 240,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'ignore',
      Period: 3600,
    });
  });
});
