import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE, LOG_METRIC_NAMESPACES } from '../../lib/config/alerts';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../lib/config/constants';
import {
  CONTROL_PLANE_METRICS,
  DIMENSION_VALUES,
  controlPlaneNamespace,
} from '../../lib/config/control-plane-metrics';
import { loadConfig } from '../../lib/config';
import { EDGE_METRICS } from '../../lib/config/edge-blocking-metrics';
import {
  FORECAST_DISK_DIMENSION,
  FORECAST_METRICS,
  FORECAST_NAMESPACE,
} from '../../lib/config/forecast-metrics';
import { PROBE_METRICS } from '../../lib/config/probes';
import { TICKETING_METRICS } from '../../lib/config/ticketing-names';
import { dashboardNames, WORKFLOW_NAMES } from '../../lib/config/naming';
import { ControlPlaneFunction } from '../../lib/constructs/control-plane-function';
import { buildPlatform } from '../../lib/platform';
import { resourcesOf, synthPlatform, TEST_REGION, testApp, type CfnResources } from './synth';

/**
 * Every dashboard widget refers to a metric, an alarm or a log that exists: alarms are alarms of
 * the template; the control plane's own metrics are the ones its handlers emit (the EMF catalogue)
 * or its metric filters produce; an AWS metric is one AWS publishes for that kind of resource, with
 * a dimension set AWS publishes it with, and each dimension names (by the attribute AWS uses) a
 * resource of that kind in one of the environment's templates (following cross-stack outputs), with
 * the collection it needs switched on; a search reads what the GPU hosts' agent publishes; a Logs
 * Insights table reads log groups of the templates. Text widgets link runbooks that exist and
 * console pages of resources that exist.
 */

const ROOT = path.resolve(__dirname, '..', '..');

type Token = Record<string, unknown>;
interface Widget {
  type: string;
  width: number;
  height: number;
  properties: {
    title?: string;
    metrics?: unknown[][];
    alarms?: string[];
    annotations?: { alarms?: string[]; horizontal?: Array<{ value: number; label?: string }> };
    markdown?: string;
    query?: string;
  };
}
interface Dashboard {
  name: string;
  periodOverride?: string;
  widgets: Widget[];
  /** Placeholders `@@n@@` in the body stand for these CloudFormation expressions. */
  tokens: Token[];
  /** The body's JSON text, placeholders included. */
  text: string;
}

/** The dashboard body is a Fn::Join of JSON text and tokens: tokens become placeholders. */
function dashboards(env: EnvironmentName): Dashboard[] {
  const dashboards = resourcesOf(synthPlatform(env).controlPlane, 'AWS::CloudWatch::Dashboard');
  return Object.values(dashboards).map((d) => {
    const body = d.Properties?.DashboardBody as { 'Fn::Join': [string, Array<string | Token>] };
    const tokens: Token[] = [];
    const text = body['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : `@@${tokens.push(part) - 1}@@`))
      .join('');
    const parsed = JSON.parse(text) as { widgets: Widget[]; periodOverride?: string };
    return {
      name: String(d.Properties?.DashboardName),
      periodOverride: parsed.periodOverride,
      widgets: parsed.widgets,
      tokens,
      text,
    };
  });
}

const dashboardOf = (env: EnvironmentName, which: 'platform' | 'controlPlane') =>
  dashboards(env).find((d) => d.name === dashboardNames(env)[which]) as Dashboard;

const tokenOf = (d: Dashboard, value: unknown): Token | undefined => {
  const m = /^@@(\d+)@@$/.exec(String(value));
  return m ? d.tokens[Number(m[1])] : undefined;
};

/** Every placeholder in a text, as the token it stands for; pseudo parameters (AWS::AccountId) left out. */
const tokensIn = (d: Dashboard, text: string): Token[] =>
  [...text.matchAll(/@@(\d+)@@/g)]
    .map((m) => d.tokens[Number(m[1])] as Token)
    .filter((t) => !String(t.Ref ?? '').startsWith('AWS::'));

interface Reference {
  readonly stack: string;
  readonly id: string;
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  /** `Ref`, or the attribute of a Fn::GetAtt. */
  readonly attribute: string;
}

/** The resource a Ref, Fn::GetAtt or Fn::GetStackOutput names, in whichever template holds it. */
function referenceOf(env: EnvironmentName, token: Token | undefined, home?: string): Reference | undefined {
  const synth = synthPlatform(env);
  const stack = home ?? synth.platform.controlPlane.stackName;
  if (!token) return undefined;
  if ('Fn::GetStackOutput' in token) {
    const { StackName, OutputName } = token['Fn::GetStackOutput'] as {
      StackName: string;
      OutputName: string;
    };
    const template = synth.all[StackName]?.toJSON() as
      { Outputs?: Record<string, { Value: Token }> } | undefined;
    return referenceOf(env, template?.Outputs?.[OutputName]?.Value, StackName);
  }
  const [id, attribute] =
    'Ref' in token
      ? [String(token.Ref), 'Ref']
      : 'Fn::GetAtt' in token
        ? (token['Fn::GetAtt'] as string[]).map(String)
        : [];
  const resources = synth.all[stack]?.toJSON().Resources as CfnResources | undefined;
  const resource = id ? resources?.[id] : undefined;
  return resource && id && attribute ? { stack, id, attribute, ...resource } : undefined;
}

const resourcesIn = (env: EnvironmentName, stack: string): CfnResources =>
  synthPlatform(env).all[stack]?.toJSON().Resources as CfnResources;

/** A dimension: the kind of resource it names and the attribute (or Ref) that is its value. */
interface Dimension {
  readonly type: string;
  readonly attribute: string;
}
/** What AWS publishes, per namespace: each metric with the dimension sets it is published with. */
const AWS_METRICS: Record<
  string,
  { dimensions: Record<string, Dimension>; metrics: Record<string, string[][]> }
> = {
  'AWS/ECS': {
    dimensions: {
      ClusterName: { type: 'AWS::ECS::Cluster', attribute: 'Ref' },
      ServiceName: { type: 'AWS::ECS::Service', attribute: 'Name' },
    },
    metrics: {
      CPUUtilization: [['ClusterName', 'ServiceName']],
      MemoryUtilization: [['ClusterName', 'ServiceName']],
    },
  },
  'ECS/ContainerInsights': {
    dimensions: {
      ClusterName: { type: 'AWS::ECS::Cluster', attribute: 'Ref' },
      ServiceName: { type: 'AWS::ECS::Service', attribute: 'Name' },
    },
    metrics: { RunningTaskCount: [['ClusterName', 'ServiceName']] },
  },
  'AWS/SQS': {
    dimensions: { QueueName: { type: 'AWS::SQS::Queue', attribute: 'QueueName' } },
    metrics: {
      NumberOfMessagesSent: [['QueueName']],
      NumberOfMessagesDeleted: [['QueueName']],
      ApproximateNumberOfMessagesVisible: [['QueueName']],
      ApproximateAgeOfOldestMessage: [['QueueName']],
    },
  },
  'AWS/AutoScaling': {
    dimensions: { AutoScalingGroupName: { type: 'AWS::AutoScaling::AutoScalingGroup', attribute: 'Ref' } },
    metrics: { GroupInServiceInstances: [['AutoScalingGroupName']] },
  },
  'AWS/RDS': {
    dimensions: { DBInstanceIdentifier: { type: 'AWS::RDS::DBInstance', attribute: 'Ref' } },
    metrics: Object.fromEntries(
      [
        'CPUUtilization',
        'DatabaseConnections',
        'FreeStorageSpace',
        'FreeableMemory',
        'SwapUsage',
        'ReadLatency',
        'WriteLatency',
        'DiskQueueDepth',
      ].map((name) => [name, [['DBInstanceIdentifier']]]),
    ),
  },
  'AWS/States': {
    dimensions: { StateMachineArn: { type: 'AWS::StepFunctions::StateMachine', attribute: 'Ref' } },
    metrics: Object.fromEntries(
      ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'].map((name) => [
        name,
        [['StateMachineArn']],
      ]),
    ),
  },
  'AWS/Lambda': {
    dimensions: { FunctionName: { type: 'AWS::Lambda::Function', attribute: 'Ref' } },
    metrics: Object.fromEntries(
      ['Duration', 'Errors', 'Throttles'].map((name) => [name, [['FunctionName']]]),
    ),
  },
  'AWS/ApplicationELB': {
    dimensions: {
      LoadBalancer: { type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', attribute: 'LoadBalancerFullName' },
      TargetGroup: { type: 'AWS::ElasticLoadBalancingV2::TargetGroup', attribute: 'TargetGroupFullName' },
    },
    metrics: {
      RequestCount: [['LoadBalancer'], ['LoadBalancer', 'TargetGroup']],
      HTTPCode_ELB_5XX_Count: [['LoadBalancer']],
      HTTPCode_Target_5XX_Count: [['LoadBalancer'], ['LoadBalancer', 'TargetGroup']],
      TargetResponseTime: [['LoadBalancer'], ['LoadBalancer', 'TargetGroup']],
      HealthyHostCount: [['LoadBalancer', 'TargetGroup']],
      UnHealthyHostCount: [['LoadBalancer', 'TargetGroup']],
    },
  },
};

/**
 * What the integrations' functions publish (their EMF writers, each tested against these tables):
 * per namespace, each metric with the dimensions it carries.
 */
const { namespace: ticketingNamespace, ...ticketingMetrics } = TICKETING_METRICS;
const { namespace: edgeNamespace, ...edgeMetrics } = EDGE_METRICS;
const { namespace: probeNamespace, ...probeMetrics } = PROBE_METRICS;
const PER_DISK = [FORECAST_METRICS.diskPredictedFull, FORECAST_METRICS.daysUntilFull] as string[];
const INTEGRATION_METRICS: Record<string, Record<string, string[]>> = {
  [ticketingNamespace]: Object.fromEntries(Object.values(ticketingMetrics).map((n) => [n, []])),
  [edgeNamespace]: Object.fromEntries(Object.values(edgeMetrics).map((n) => [n, []])),
  [probeNamespace]: Object.fromEntries(
    Object.values(probeMetrics).map((n) => [n, ['Target', 'AvailabilityZone']]),
  ),
  [FORECAST_NAMESPACE]: Object.fromEntries(
    Object.values(FORECAST_METRICS).map((n) => [n, PER_DISK.includes(n) ? [FORECAST_DISK_DIMENSION] : []]),
  ),
};

/** The AZs the probe agents publish from: those the quorum alarm reads in the template. */
function probeZonesOf(env: EnvironmentName): Set<string> {
  const alarms = Object.values(resourcesOf(synthPlatform(env).controlPlane, 'AWS::CloudWatch::Alarm'));
  const zones = alarms.flatMap((a) =>
    [
      ...(
        (a.Properties?.Metrics as Array<{ MetricStat?: { Metric: { Dimensions?: unknown[] } } }>) ?? []
      ).map((m) => m.MetricStat?.Metric.Dimensions ?? []),
      (a.Properties?.Dimensions as unknown[]) ?? [],
    ]
      .flat()
      .filter(
        (d): d is { Name: string; Value: string } => (d as { Name?: string }).Name === 'AvailabilityZone',
      )
      .map((d) => d.Value),
  );
  return new Set(zones.filter((z) => typeof z === 'string'));
}

/** A metric row: `[namespace, name, dim1, value1, ..., { options }]`. */
function parseRow(row: unknown[]) {
  const [namespace, name, ...rest] = row as [string, string, ...unknown[]];
  const pairs: Array<[string, unknown]> = [];
  for (let i = 0; i + 1 < rest.length && typeof rest[i] === 'string'; i += 2)
    pairs.push([String(rest[i]), rest[i + 1]]);
  const options = (rest.find((x) => typeof x === 'object' && x !== null) ?? {}) as {
    stat?: string;
    period?: number;
  };
  return { namespace, name, pairs, options };
}

/** Whether a listener of the load balancer forwards to the target group (by default or by a rule). */
function forwardsTo(env: EnvironmentName, loadBalancer: Reference, targetGroup: Reference): boolean {
  if (loadBalancer.stack !== targetGroup.stack) return false;
  const resources = resourcesIn(env, loadBalancer.stack);
  const refersTo = (value: unknown, id: string) => JSON.stringify(value ?? null).includes(`{"Ref":"${id}"}`);
  const listeners = Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener')
    .filter(([, r]) => refersTo(r.Properties?.LoadBalancerArn, loadBalancer.id));
  return listeners.some(
    ([listenerId, listener]) =>
      refersTo(listener.Properties?.DefaultActions, targetGroup.id) ||
      Object.values(resources).some(
        (r) =>
          r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule' &&
          refersTo(r.Properties?.ListenerArn, listenerId) &&
          refersTo(r.Properties?.Actions, targetGroup.id),
      ),
  );
}

interface GpuAgent {
  namespace: string;
  metricNames: string[];
  appendedDimensions: string[];
  /** Logical id of the SSM parameter that holds the configuration. */
  parameter: string;
}
/** The GPU hosts' CloudWatch agent configuration, as the workloads template stores it. */
function gpuAgent(env: EnvironmentName): GpuAgent {
  const synth = synthPlatform(env);
  const [parameter, value] = Object.entries(resourcesIn(env, synth.platform.workloads.stackName)).find(
    ([, r]) => r.Type === 'AWS::SSM::Parameter' && String(r.Properties?.Value).includes('"nvidia_gpu"'),
  ) ?? ['', { Properties: { Value: '{}' } }];
  const { metrics } = JSON.parse(String(value.Properties?.Value)) as {
    metrics: {
      namespace: string;
      append_dimensions: Record<string, string>;
      metrics_collected: { nvidia_gpu: { measurement: string[] } };
    };
  };
  return {
    namespace: metrics.namespace,
    // The agent names nvidia_gpu measurements nvidia_smi_<measurement>.
    metricNames: metrics.metrics_collected.nvidia_gpu.measurement.map((m) => `nvidia_smi_${m}`),
    appendedDimensions: Object.keys(metrics.append_dimensions),
    parameter,
  };
}

/** A SEARCH expression's parts: designators (`Name="value"`), bare terms, statistic and period. */
function parseSearch(expression: string) {
  const m = /^SEARCH\('(.*)', '(\w+)', (\d+)\)$/.exec(expression);
  if (!m) return undefined;
  const query = m[1] as string;
  const designators = Object.fromEntries([...query.matchAll(/(\w+)="([^"]*)"/g)].map((d) => [d[1], d[2]]));
  const bare = query
    .replace(/(\w+)="([^"]*)"/g, '')
    .split(/\s+/)
    .filter(Boolean);
  return { designators, bare, statistic: m[2], period: Number(m[3]) };
}

/** Why a SEARCH does not find what the GPU hosts of this environment publish, or undefined. */
function missingSearch(env: EnvironmentName, d: Dashboard, expression: string): string | undefined {
  const search = parseSearch(expression);
  if (!search) return `${expression} is not SEARCH('<terms>', '<statistic>', <period>)`;
  const agent = gpuAgent(env);
  const { Namespace, MetricName, AutoScalingGroupName } = search.designators;
  if (Namespace !== agent.namespace) return `searches ${Namespace}, not the GPU agent's ${agent.namespace}`;
  if (!agent.metricNames.includes(String(MetricName))) return `the GPU agent publishes no ${MetricName}`;
  const asg = referenceOf(env, tokenOf(d, AutoScalingGroupName));
  if (asg?.Type !== 'AWS::AutoScaling::AutoScalingGroup' || asg.attribute !== 'Ref')
    return 'AutoScalingGroupName does not name an Auto Scaling group';
  // The group's hosts run the agent with this configuration (their launch template's user data).
  const template = JSON.stringify(asg.Properties).match(/"LaunchTemplateId":\{"Ref":"(\w+)"\}/)?.[1];
  const userData = JSON.stringify(resourcesIn(env, asg.stack)[template ?? '']?.Properties ?? {});
  if (!userData.includes(`{"Ref":"${agent.parameter}"}`))
    return `the hosts of ${asg.id} do not load the GPU agent configuration`;
  const filtered = [
    ...Object.keys(search.designators).filter((k) => k !== 'Namespace' && k !== 'MetricName'),
    ...search.bare,
  ];
  const unpublished = filtered.filter((dimension) => !agent.appendedDimensions.includes(dimension));
  if (unpublished.length > 0) return `the GPU agent does not append ${unpublished.join(', ')}`;
  return search.bare.includes('InstanceId') ? undefined : 'not per host: no InstanceId term';
}

/** Why a metric row of a widget does not exist, or undefined when it does. */
function missingMetric(
  env: EnvironmentName,
  d: Dashboard,
  row: unknown[],
  ids: Set<string>,
): string | undefined {
  const [first] = row;
  if (typeof first === 'object' && first !== null && 'expression' in first) {
    const expression = String((first as { expression: string }).expression);
    if (expression.startsWith('SEARCH(')) return missingSearch(env, d, expression);
    const used = expression.match(/\b[a-z][a-zA-Z0-9_]*\b/g) ?? [];
    const unknown = used.filter((id) => !ids.has(id));
    return unknown.length > 0 ? `expression uses undefined ids ${unknown.join(', ')}` : undefined;
  }
  const { namespace, name, pairs } = parseRow(row);
  const template = synthPlatform(env).controlPlane;

  if (namespace === controlPlaneNamespace(env)) {
    const emitted = Object.values(CONTROL_PLANE_METRICS).find((m) => m.name === name);
    if (emitted) {
      const keys = pairs.map(([k]) => k).sort();
      if (JSON.stringify(keys) !== JSON.stringify([...emitted.dimensions].sort()))
        return `${name} is emitted with dimensions ${emitted.dimensions.join(', ')}, not ${keys.join(', ')}`;
      const bad = pairs.find(
        ([k, v]) =>
          !(DIMENSION_VALUES[k as keyof typeof DIMENSION_VALUES] as readonly string[]).includes(String(v)),
      );
      return bad ? `${name}: ${bad[0]}=${String(bad[1])} is never emitted` : undefined;
    }
  }
  if (namespace === controlPlaneNamespace(env) || Object.values(LOG_METRIC_NAMESPACES).includes(namespace)) {
    const filters = Object.values(resourcesOf(template, 'AWS::Logs::MetricFilter')).flatMap(
      (f) => f.Properties?.MetricTransformations as Array<{ MetricNamespace: string; MetricName: string }>,
    );
    return filters.some((t) => t.MetricNamespace === namespace && t.MetricName === name)
      ? undefined
      : `${namespace} ${name}: no handler emits it and no metric filter produces it`;
  }
  const integration = INTEGRATION_METRICS[namespace];
  if (integration) {
    const dimensions = integration[name];
    if (!dimensions) return `${namespace} ${name}: no integration function publishes it`;
    const keys = pairs.map(([k]) => k).sort();
    if (JSON.stringify(keys) !== JSON.stringify([...dimensions].sort()))
      return `${namespace} ${name} is published with dimensions ${dimensions.join(', ') || 'none'}, not ${keys.join(', ') || 'none'}`;
    const zone = pairs.find(([k]) => k === 'AvailabilityZone')?.[1];
    if (zone !== undefined && !probeZonesOf(env).has(String(zone)))
      return `${namespace} ${name}: no probe agent publishes from ${String(zone)}`;
    return undefined;
  }
  const known = AWS_METRICS[namespace];
  const sets = known?.metrics[name];
  if (!known || !sets) return `${namespace} ${name} is not a metric this test knows AWS publishes`;
  const keys = pairs.map(([k]) => k).sort();
  if (!sets.some((set) => JSON.stringify([...set].sort()) === JSON.stringify(keys)))
    return `${namespace} ${name} is not published with dimensions ${keys.join(', ')}`;
  const resolved: Record<string, Reference> = {};
  for (const [dimension, value] of pairs) {
    const expected = known.dimensions[dimension] as Dimension;
    const resource = referenceOf(env, tokenOf(d, value));
    if (resource?.Type !== expected.type)
      return `${namespace} ${name}: ${dimension} does not name a ${expected.type}`;
    if (resource.attribute !== expected.attribute)
      return `${namespace} ${name}: ${dimension} is the ${resource.attribute} of ${resource.id}, not its ${expected.attribute}`;
    resolved[dimension] = resource;
    if (namespace === 'AWS/AutoScaling') {
      const collected = JSON.stringify(resource.Properties?.MetricsCollection ?? []);
      if (!collected.includes(name)) return `${resource.id} does not collect ${name}`;
    }
    if (namespace === 'ECS/ContainerInsights' && dimension === 'ClusterName') {
      const settings = JSON.stringify(resource.Properties?.ClusterSettings ?? []);
      if (!/containerInsights.*(enabled|enhanced)/.test(settings))
        return `${resource.id} has no Container Insights`;
    }
  }
  const { LoadBalancer, TargetGroup } = resolved;
  if (LoadBalancer && TargetGroup && !forwardsTo(env, LoadBalancer, TargetGroup))
    return `${namespace} ${name}: ${LoadBalancer.id} does not forward to ${TargetGroup.id}`;
  return undefined;
}

/** The log groups a Logs Insights widget reads (its SOURCE commands). */
function sourcesOf(env: EnvironmentName, d: Dashboard, w: Widget): Array<Reference | undefined> {
  return [...String(w.properties.query).matchAll(/SOURCE '([^']*)'/g)].map((m) =>
    referenceOf(env, tokenOf(d, m[1])),
  );
}

/** What every widget of a dashboard refers to that does not exist. */
function problemsOf(env: EnvironmentName, d: Dashboard): string[] {
  const problems: string[] = [];
  const alarmsOf = resourcesOf(synthPlatform(env).controlPlane);
  for (const w of d.widgets) {
    if (w.type === 'text') continue;
    const where = `${d.name} / ${w.properties.title ?? w.type}`;
    if (w.type === 'log') {
      const sources = sourcesOf(env, d, w);
      if (sources.length === 0) problems.push(`${where}: reads no log group`);
      for (const source of sources)
        if (source?.Type !== 'AWS::Logs::LogGroup' || source.attribute !== 'Ref')
          problems.push(`${where}: a SOURCE is not the name of a log group of the templates`);
      // `@log like '<name>'` picks a source's lines: it must name one of the sources.
      for (const m of String(w.properties.query).matchAll(/@log like '([^']*)'/g)) {
        const named = referenceOf(env, tokenOf(d, m[1]));
        if (!sources.some((s) => s && named && s.stack === named.stack && s.id === named.id))
          problems.push(`${where}: @log like ${m[1]} names no log group the query reads`);
      }
      continue;
    }
    const alarms = [...(w.properties.alarms ?? []), ...(w.properties.annotations?.alarms ?? [])];
    const rows = w.properties.metrics ?? [];
    if (alarms.length + rows.length === 0) problems.push(`${where}: shows nothing`);
    for (const arn of alarms) {
      const id = String((tokenOf(d, arn)?.['Fn::GetAtt'] as unknown[] | undefined)?.[0]);
      if (!/^AWS::CloudWatch::(Composite)?Alarm$/.test(alarmsOf[id]?.Type ?? ''))
        problems.push(`${where}: ${arn} is not an alarm of the template`);
    }
    const ids = new Set(
      rows
        .flatMap((r) =>
          r.filter((x): x is { id: string } => typeof x === 'object' && x !== null && 'id' in x),
        )
        .map((x) => x.id),
    );
    for (const row of rows) {
      const problem = missingMetric(env, d, row, ids);
      if (problem) problems.push(`${where}: ${problem}`);
    }
  }
  return problems;
}

/** The metric rows of a dashboard, parsed, with their widget's title. */
function rowsOf(d: Dashboard) {
  return d.widgets.flatMap((w) =>
    (w.properties.metrics ?? [])
      .filter((r) => typeof r[0] === 'string')
      .map((r) => ({ title: w.properties.title, ...parseRow(r) })),
  );
}

/** The resource (logical id) each dimension of a row names. */
const namedBy = (env: EnvironmentName, d: Dashboard, pairs: Array<[string, unknown]>, dimension: string) =>
  referenceOf(env, tokenOf(d, pairs.find(([k]) => k === dimension)?.[1]))?.id;

/** The runbook paths a text widget links, under the environment's runbook base URL. */
function runbookLinks(env: EnvironmentName, markdown: string): string[] {
  const base = loadConfig({ envName: env, region: TEST_REGION }).env.alerts.runbookBaseUrl;
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((url) => url.startsWith(base))
    .map((url) => url.slice(base.length));
}

/** The console links of a text widget: `[label](https://<region>.console.aws.amazon.com/...)`. */
function consoleLinks(markdown: string): Array<{ label: string; url: string }> {
  // Alarm links hold one balanced pair of parentheses (the console's JSURL filter).
  return [
    ...markdown.matchAll(
      /\[([^\]]+)\]\((https:\/\/[^ ()]*console\.aws\.amazon\.com(?:[^ ()]|\([^ ()]*\))*)\)/g,
    ),
  ].map((m) => ({ label: m[1] as string, url: m[2] as string }));
}

/** Sections of a dashboard: each text widget with the widgets that follow it. */
function sectionsOf(d: Dashboard): Array<{ heading: Widget; widgets: Widget[] }> {
  const sections: Array<{ heading: Widget; widgets: Widget[] }> = [];
  for (const w of d.widgets) {
    if (w.type === 'text') sections.push({ heading: w, widgets: [] });
    else sections.at(-1)?.widgets.push(w);
  }
  return sections;
}

describe.each(ENVIRONMENT_NAMES)('dashboards of %s', (env) => {
  test('two dashboards: the platform overview and the control plane', () => {
    expect(
      dashboards(env)
        .map((d) => d.name)
        .sort(),
    ).toEqual([dashboardNames(env).controlPlane, dashboardNames(env).platform].sort());
    // Every graph keeps its period: an alarm drawn at another period hides its threshold crossings.
    expect(dashboards(env).map((d) => d.periodOverride)).toEqual(['inherit', 'inherit']);
  });

  test('every widget refers to a metric, an alarm or a log group that exists in the templates', () => {
    expect(dashboards(env).flatMap((d) => problemsOf(env, d))).toEqual([]);
  });

  test('each dashboard body stays far under the CloudWatch limits (1 MB, 500 widgets)', () => {
    for (const d of dashboards(env)) {
      // Each placeholder becomes a name or an ARN of at most ~250 characters.
      const bytes = Buffer.byteLength(d.text.replace(/@@\d+@@/g, '')) + d.tokens.length * 250;
      expect(bytes).toBeLessThan(250_000);
      expect(d.widgets.length).toBeLessThan(150);
    }
  });

  test('the platform overview shows every catalogue alarm and every input of a compound condition, in its component section', () => {
    const platform = dashboardOf(env, 'platform');
    const shown = new Set(
      platform.widgets
        .flatMap((w) => [...(w.properties.alarms ?? []), ...(w.properties.annotations?.alarms ?? [])])
        .map((arn) => String((tokenOf(platform, arn)?.['Fn::GetAtt'] as unknown[])[0])),
    );
    const alarms = resourcesOf(synthPlatform(env).controlPlane);
    const catalogued = Object.entries(alarms)
      .filter(([, r]) => /^AWS::CloudWatch::(Composite)?Alarm$/.test(r.Type))
      .filter(([, r]) =>
        [...ALERT_CATALOGUE, ...INTERNAL_ALARM_CATALOGUE].some(
          (a) => String(r.Properties?.AlarmName) === `influencegen-${env}-${a.name}`,
        ),
      )
      .map(([id]) => id);
    expect(catalogued.length).toBeGreaterThan(20);
    expect(catalogued.filter((id) => !shown.has(id))).toEqual([]);
    // In reading order: what reaches the platform, the workloads, then what they stand on.
    expect(
      platform.widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown?.split('\n')[0]),
    ).toEqual([
      '## Load balancer',
      '## Odoo',
      '## n8n',
      '## AI generation pipeline',
      '## PostgreSQL',
      '## Backups',
      '## Security',
      '## Platform',
    ]);
  });

  test('the load balancer section: requests, 5xx, p99 and healthy and unhealthy targets of every target group of the ALB', () => {
    const platform = dashboardOf(env, 'platform');
    const [loadBalancerSection] = sectionsOf(platform);
    const section = { ...platform, widgets: loadBalancerSection?.widgets ?? [] };
    const rows = rowsOf(section).filter((r) => r.namespace === 'AWS/ApplicationELB');
    const workloads = synthPlatform(env).platform.workloads.stackName;
    const targetGroups = Object.entries(resourcesIn(env, workloads))
      .filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup')
      .map(([id]) => id);
    expect(targetGroups.length).toBeGreaterThanOrEqual(3); // Odoo HTTP, Odoo websocket, n8n
    const shownFor = (name: string, stat?: string) =>
      new Set(
        rows
          .filter((r) => r.name === name && (stat === undefined || r.options.stat === stat))
          .filter((r) => r.pairs.some(([k]) => k === 'TargetGroup'))
          .map((r) => namedBy(env, section, r.pairs, 'TargetGroup')),
      );
    for (const [name, stat] of [
      ['RequestCount', 'Sum'],
      ['HTTPCode_Target_5XX_Count', 'Sum'],
      ['TargetResponseTime', 'p99'],
      ['HealthyHostCount', undefined],
      ['UnHealthyHostCount', undefined],
    ] as const)
      expect([name, [...shownFor(name, stat)].sort()]).toEqual([name, [...targetGroups].sort()]);
    // The ALB's own 5xx (no healthy target, timeouts) on the load balancer itself.
    expect(rows.some((r) => r.name === 'HTTPCode_ELB_5XX_Count' && r.pairs.length === 1)).toBe(true);
  });

  test('the PostgreSQL section shows read and write latency and freeable memory of the instance', () => {
    const platform = dashboardOf(env, 'platform');
    const section = sectionsOf(platform).find((s) =>
      s.heading.properties.markdown?.startsWith('## PostgreSQL'),
    );
    const names = rowsOf({ ...platform, widgets: section?.widgets ?? [] })
      .filter((r) => r.namespace === 'AWS/RDS')
      .map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['ReadLatency', 'WriteLatency', 'FreeableMemory']));
  });

  test('the AI pipeline section shows each GPU host: utilisation, memory and temperature as the agent publishes them', () => {
    const platform = dashboardOf(env, 'platform');
    const section = sectionsOf(platform).find((s) =>
      s.heading.properties.markdown?.startsWith('## AI generation pipeline'),
    );
    const searches = (section?.widgets ?? [])
      .flatMap((w) => w.properties.metrics ?? [])
      .map((r) => r[0])
      .filter((x): x is { expression: string } => typeof x === 'object' && x !== null && 'expression' in x)
      .map((x) => x.expression)
      .filter((e) => e.startsWith('SEARCH('));
    // Each resolves against the agent configuration (the test above); here: which metrics.
    const agent = gpuAgent(env);
    const searched = searches.map((e) => parseSearch(e)?.designators.MetricName);
    expect(searched).toEqual(
      expect.arrayContaining(
        ['utilization_gpu', 'utilization_memory', 'temperature_gpu'].map((m) => `nvidia_smi_${m}`),
      ),
    );
    expect(searched.every((m) => agent.metricNames.includes(String(m)))).toBe(true);
    expect(searches.map((e) => missingSearch(env, platform, e))).toEqual(searches.map(() => undefined));
  });

  test('the control plane dashboard shows every metric the handlers emit, and every workflow', () => {
    const cp = dashboardOf(env, 'controlPlane');
    const platform = dashboardOf(env, 'platform');
    const names = (d: Dashboard) =>
      new Set(d.widgets.flatMap((w) => (w.properties.metrics ?? []).map((r) => String(r[1]))));
    const shown = new Set([...names(cp), ...names(platform)]);
    expect(
      Object.values(CONTROL_PLANE_METRICS)
        .map((m) => m.name)
        .filter((n) => !shown.has(n)),
    ).toEqual([]);
    const titles = cp.widgets.map((w) => w.properties.title);
    for (const workflow of WORKFLOW_NAMES) expect(titles).toContain(`${workflow} executions`);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Watching the watcher: the control plane itself',
        'Open incidents: catalogue alarms in ALARM',
      ]),
    );
  });

  test("the control plane dashboard shows every function's duration (p99, max), errors and throttles, and every dead-letter queue's depth", () => {
    const cp = dashboardOf(env, 'controlPlane');
    const rows = rowsOf(cp);
    const functions = Object.entries(
      resourcesOf(synthPlatform(env).controlPlane, 'AWS::Lambda::Function'),
    ).map(([id]) => id);
    expect(functions.length).toBeGreaterThan(10);
    const shown = (name: string, stat: string) =>
      new Set(
        rows
          .filter((r) => r.namespace === 'AWS/Lambda' && r.name === name && r.options.stat === stat)
          .map((r) => namedBy(env, cp, r.pairs, 'FunctionName')),
      );
    for (const [name, stat] of [
      ['Duration', 'p99'],
      ['Duration', 'Maximum'],
      ['Errors', 'Sum'],
      ['Throttles', 'Sum'],
    ] as const)
      expect([name, stat, functions.filter((id) => !shown(name, stat).has(id))]).toEqual([name, stat, []]);
    // The dead-letter queues are the ones the watcher's dlq alarms watch.
    const alarms = Object.values(resourcesOf(synthPlatform(env).controlPlane, 'AWS::CloudWatch::Alarm'));
    const watched = alarms
      .filter((a) => String(a.Properties?.AlarmName).startsWith(`watch-influencegen-${env}-dlq-`))
      .map((a) => {
        const dimension = (a.Properties?.Dimensions as Array<{ Value: Token }>)[0];
        return referenceOf(env, dimension?.Value)?.id;
      });
    expect(watched.length).toBeGreaterThanOrEqual(4);
    const depths = rows
      .filter((r) => r.namespace === 'AWS/SQS' && r.name === 'ApproximateNumberOfMessagesVisible')
      .map((r) => namedBy(env, cp, r.pairs, 'QueueName'));
    expect(watched.filter((id) => !depths.includes(id))).toEqual([]);
    // The depth graph's alarm line is the dlq alarms' threshold.
    const thresholds = alarms
      .filter((a) => String(a.Properties?.AlarmName).startsWith(`watch-influencegen-${env}-dlq-`))
      .map((a) => a.Properties?.Threshold);
    const depthGraph = cp.widgets.find((w) =>
      (w.properties.metrics ?? []).some((r) => r[1] === 'ApproximateNumberOfMessagesVisible'),
    );
    expect(depthGraph?.properties.annotations?.horizontal?.map((a) => a.value)).toEqual([
      ...new Set(thresholds),
    ]);
    // Errors and throttles are drawn at the period the watcher's alarms count them over.
    const watcherPeriods = new Set(
      alarms
        .filter((a) => /^watch-.*-(errors|throttles)$/.test(String(a.Properties?.AlarmName)))
        .map((a) => a.Properties?.Period),
    );
    expect(watcherPeriods.size).toBe(1);
    const drawnPeriods = new Set(
      rows
        .filter((r) => r.namespace === 'AWS/Lambda' && (r.name === 'Errors' || r.name === 'Throttles'))
        // A dashboard row leaves out CloudWatch's default period, 300 s.
        .map((r) => r.options.period ?? 300),
    );
    expect([...drawnPeriods]).toEqual([...watcherPeriods]);
  });

  test('the newest-error tables read every control-plane function log, every workflow log and every workload log', () => {
    const cp = dashboardOf(env, 'controlPlane');
    const read = (title: RegExp) =>
      new Set(
        cp.widgets
          .filter((w) => w.type === 'log' && title.test(String(w.properties.title)))
          .flatMap((w) => sourcesOf(env, cp, w))
          .map((s) => `${s?.stack}/${s?.id}`),
      );
    const synth = synthPlatform(env);
    const cpStack = synth.platform.controlPlane.stackName;
    const refOf = (value: unknown) => JSON.stringify(value).match(/"(?:Ref|Fn::GetAtt)":\[?"(\w+)"/)?.[1];
    const functionLogs = Object.values(resourcesOf(synth.controlPlane, 'AWS::Lambda::Function')).map(
      (f) =>
        `${cpStack}/${refOf((f.Properties?.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup)}`,
    );
    expect(functionLogs.length).toBeGreaterThan(10);
    expect([...read(/functions/)].sort()).toEqual([...new Set(functionLogs)].sort());

    const workflowLogs = Object.values(
      resourcesOf(synth.controlPlane, 'AWS::StepFunctions::StateMachine'),
    ).map((m) => `${cpStack}/${refOf(m.Properties?.LoggingConfiguration)}`);
    expect([...read(/Workflows/)].sort()).toEqual([...new Set(workflowLogs)].sort());

    // Every container of every workload task logs to one of them, and the database's PostgreSQL log.
    const workloads = synth.platform.workloads.stackName;
    const containerLogs = Object.values(resourcesOf(synth.workloads, 'AWS::ECS::TaskDefinition')).flatMap(
      (t) =>
        (
          t.Properties?.ContainerDefinitions as Array<{
            LogConfiguration?: { Options?: Record<string, unknown> };
          }>
        ).map((c) => `${workloads}/${refOf(c.LogConfiguration?.Options?.['awslogs-group'])}`),
    );
    const data = synth.platform.data.stackName;
    const [instance] = Object.entries(resourcesOf(synth.data, 'AWS::RDS::DBInstance'));
    expect(instance?.[1].Properties?.EnableCloudwatchLogsExports).toContain('postgresql');
    const postgresLog = Object.entries(resourcesOf(synth.data, 'AWS::Logs::LogGroup')).find(
      ([, g]) =>
        g.Properties?.LogGroupName ===
        `/aws/rds/instance/${String(instance?.[1].Properties?.DBInstanceIdentifier)}/postgresql`,
    )?.[0];
    expect(postgresLog).toBeDefined();
    expect([...read(/Workloads/)].sort()).toEqual(
      [...new Set([...containerLogs, `${data}/${postgresLog}`])].sort(),
    );

    // The platform's sections each read their own workload log.
    const platform = dashboardOf(env, 'platform');
    const platformLogs = platform.widgets
      .filter((w) => w.type === 'log')
      .flatMap((w) => sourcesOf(env, platform, w).map((s) => `${s?.stack}/${s?.id}`));
    expect([...platformLogs].sort()).toEqual(
      [...new Set([...containerLogs, `${data}/${postgresLog}`])].sort(),
    );
  });

  test('every section starts with a text widget linking its runbooks (files under runbooks/) and its console pages', () => {
    for (const d of dashboards(env)) {
      // sectionsOf starts a section at each text widget: nothing may come before the first.
      expect([d.name, d.widgets[0]?.type]).toEqual([d.name, 'text']);
      for (const { heading } of sectionsOf(d)) {
        const markdown = String(heading.properties.markdown);
        const title = markdown.split('\n')[0];
        expect([title, heading.width]).toEqual([expect.stringMatching(/^## \S/), 24]);
        const missing = runbookLinks(env, markdown).filter((p) => !fs.existsSync(path.join(ROOT, p)));
        expect([title, missing]).toEqual([title, []]);
        const links = consoleLinks(markdown);
        expect([title, links.length > 0]).toEqual([title, true]);
        // Each console link names resources of the templates (where it names one).
        for (const link of links)
          for (const token of tokensIn(d, link.url))
            expect([title, link.label, referenceOf(env, token)?.Type ?? 'unresolved']).toEqual([
              title,
              link.label,
              expect.stringMatching(/^AWS::/),
            ]);
      }
    }
    // Every catalogue alert's runbook is linked in the platform section of its component.
    const platform = dashboardOf(env, 'platform');
    const titleOf: Record<string, string> = {
      odoo: '## Odoo',
      n8n: '## n8n',
      'flux-gpu': '## AI generation pipeline',
      postgresql: '## PostgreSQL',
      backup: '## Backups',
      security: '## Security',
      platform: '## Platform',
    };
    const linked = (title: string) =>
      runbookLinks(
        env,
        String(
          platform.widgets.find((w) => w.properties.markdown?.split('\n')[0] === title)?.properties.markdown,
        ),
      );
    const unlinked = ALERT_CATALOGUE.filter(
      (a) => !linked(titleOf[a.component] as string).includes(a.runbook),
    ).map((a) => `${a.name}: ${a.runbook}`);
    expect(unlinked).toEqual([]);
    // The load balancer section links the runbooks of the alerts on the ALB's metrics.
    expect(linked('## Load balancer')).toContain('runbooks/odoo_page_load_baseline.md');
  });

  test("the console links point at this environment's resources of the right kind", () => {
    const expected: Array<[RegExp, string[]]> = [
      [/\/ecs\/v2\/clusters\/[^/]+\/services\/[^/]+\/health/, ['AWS::ECS::Cluster', 'AWS::ECS::Service']],
      [/#TargetGroup:targetGroupArn=/, ['AWS::ElasticLoadBalancingV2::TargetGroup']],
      [/#LoadBalancer:loadBalancerArn=/, ['AWS::ElasticLoadBalancingV2::LoadBalancer']],
      [/#database:id=/, ['AWS::RDS::DBInstance']],
      [/#AutoScalingGroupDetails:id=/, ['AWS::AutoScaling::AutoScalingGroup']],
      [/#\/statemachines\/view\//, ['AWS::StepFunctions::StateMachine']],
      [/lambda\/home.*#\/functions\//, ['AWS::Lambda::Function']],
      [/sqs\/v3\/home.*#\/queues\//, ['AWS::SQS::Queue']],
    ];
    const seen = new Set<RegExp>();
    for (const d of dashboards(env))
      for (const w of d.widgets.filter((x) => x.type === 'text'))
        for (const link of consoleLinks(String(w.properties.markdown))) {
          const match = expected.find(([pattern]) => pattern.test(link.url));
          if (!match) continue;
          seen.add(match[0]);
          const types = tokensIn(d, link.url).map((t) => referenceOf(env, t)?.Type ?? 'unresolved');
          expect([link.label, types]).toEqual([link.label, match[1]]);
        }
    expect(seen.size).toBe(expected.length);
  });
});

test('a control-plane function created after the control-plane dashboard fails synth: the dashboard would not show it', () => {
  const app = testApp();
  const platform = buildPlatform(app, loadConfig({ envName: 'dev', region: TEST_REGION }));
  new ControlPlaneFunction(platform.controlPlane, 'Late', {
    name: 'alarm-router',
    description: 'created after the dashboard',
    logRetentionDays: 7,
    logKey: platform.controlPlane.key,
  });
  expect(() => app.synth()).toThrow(/Late was created after the control-plane dashboard/);
});
