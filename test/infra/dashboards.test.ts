import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE, LOG_METRIC_NAMESPACES } from '../../lib/config/alerts';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../lib/config/constants';
import {
  CONTROL_PLANE_METRICS,
  DIMENSION_VALUES,
  controlPlaneNamespace,
} from '../../lib/config/control-plane-metrics';
import { dashboardNames, WORKFLOW_NAMES } from '../../lib/config/naming';
import { resourcesOf, synthPlatform, type CfnResources } from './synth';

/**
 * Every dashboard widget refers to a metric or an alarm that exists: alarms are alarms of the
 * template; the control plane's own metrics are the ones its handlers emit (the EMF catalogue) or
 * its metric filters produce; an AWS metric is one AWS publishes for that kind of resource, and
 * each of its dimensions names a resource of that kind in one of the environment's templates
 * (following cross-stack outputs), with the collection it needs switched on.
 */

type Token = Record<string, unknown>;
interface Widget {
  type: string;
  properties: {
    title?: string;
    metrics?: unknown[][];
    alarms?: string[];
    annotations?: { alarms?: string[] };
    markdown?: string;
  };
}
interface Dashboard {
  name: string;
  periodOverride?: string;
  widgets: Widget[];
  /** Placeholders `@@n@@` in the body stand for these CloudFormation expressions. */
  tokens: Token[];
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
    };
  });
}

const tokenOf = (d: Dashboard, value: unknown): Token | undefined => {
  const m = /^@@(\d+)@@$/.exec(String(value));
  return m ? d.tokens[Number(m[1])] : undefined;
};

/** The resource a Ref, Fn::GetAtt or Fn::GetStackOutput names, in whichever template holds it. */
function resourceOf(env: EnvironmentName, token: Token | undefined, home: string) {
  const synth = synthPlatform(env);
  if (!token) return undefined;
  if ('Fn::GetStackOutput' in token) {
    const { StackName, OutputName } = token['Fn::GetStackOutput'] as {
      StackName: string;
      OutputName: string;
    };
    const template = synth.all[StackName]?.toJSON() as
      { Outputs?: Record<string, { Value: Token }> } | undefined;
    return resourceOf(env, template?.Outputs?.[OutputName]?.Value, StackName);
  }
  const id =
    'Ref' in token
      ? String(token.Ref)
      : 'Fn::GetAtt' in token
        ? String((token['Fn::GetAtt'] as unknown[])[0])
        : undefined;
  const resources = synth.all[home]?.toJSON().Resources as CfnResources | undefined;
  return id && resources?.[id] ? { id, ...resources[id] } : undefined;
}

/** What AWS publishes, per namespace: the metric names and the resource type each dimension names. */
const AWS_METRICS: Record<string, { names: string[]; dimensions: Record<string, string> }> = {
  'AWS/ECS': {
    names: ['CPUUtilization', 'MemoryUtilization'],
    dimensions: { ClusterName: 'AWS::ECS::Cluster', ServiceName: 'AWS::ECS::Service' },
  },
  'ECS/ContainerInsights': {
    names: ['RunningTaskCount'],
    dimensions: { ClusterName: 'AWS::ECS::Cluster', ServiceName: 'AWS::ECS::Service' },
  },
  'AWS/SQS': {
    names: [
      'NumberOfMessagesSent',
      'NumberOfMessagesDeleted',
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
    ],
    dimensions: { QueueName: 'AWS::SQS::Queue' },
  },
  'AWS/AutoScaling': {
    names: ['GroupInServiceInstances'],
    dimensions: { AutoScalingGroupName: 'AWS::AutoScaling::AutoScalingGroup' },
  },
  'AWS/RDS': {
    names: ['CPUUtilization', 'DatabaseConnections', 'FreeStorageSpace'],
    dimensions: { DBInstanceIdentifier: 'AWS::RDS::DBInstance' },
  },
  'AWS/States': {
    names: ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'],
    dimensions: { StateMachineArn: 'AWS::StepFunctions::StateMachine' },
  },
};

/** Why a metric row of a widget does not exist, or undefined when it does. */
function missingMetric(
  env: EnvironmentName,
  d: Dashboard,
  row: unknown[],
  ids: Set<string>,
): string | undefined {
  const [first] = row;
  if (typeof first === 'object' && first !== null && 'expression' in first) {
    const used = String((first as { expression: string }).expression).match(/\b[a-z][a-zA-Z0-9_]*\b/g) ?? [];
    const unknown = used.filter((id) => !ids.has(id));
    return unknown.length > 0 ? `expression uses undefined ids ${unknown.join(', ')}` : undefined;
  }
  const [namespace, name, ...rest] = row as [string, string, ...unknown[]];
  const pairs: Array<[string, unknown]> = [];
  for (let i = 0; i + 1 < rest.length && typeof rest[i] === 'string'; i += 2)
    pairs.push([String(rest[i]), rest[i + 1]]);
  const home = synthPlatform(env).platform.controlPlane.stackName;
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
  const known = AWS_METRICS[namespace];
  if (!known?.names.includes(name))
    return `${namespace} ${name} is not a metric this test knows AWS publishes`;
  for (const [dimension, value] of pairs) {
    const type = known.dimensions[dimension];
    const resource = resourceOf(env, tokenOf(d, value), home);
    if (!type || resource?.Type !== type)
      return `${namespace} ${name}: ${dimension} does not name a ${type ?? '?'}`;
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
  return Object.keys(known.dimensions).every((k) => pairs.some(([p]) => p === k))
    ? undefined
    : `${namespace} ${name} lacks a dimension`;
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

  test('every widget refers to a metric or an alarm that exists in the templates', () => {
    const problems: string[] = [];
    const alarmsOf = resourcesOf(synthPlatform(env).controlPlane);
    for (const d of dashboards(env)) {
      for (const w of d.widgets) {
        if (w.type === 'text') continue;
        const where = `${d.name} / ${w.properties.title ?? w.type}`;
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
    }
    expect(problems).toEqual([]);
  });

  test('the platform overview shows every catalogue alarm and every input of a compound condition, in its component section', () => {
    const platform = dashboards(env).find((d) => d.name === dashboardNames(env).platform) as Dashboard;
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
    expect(
      platform.widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown?.split('\n')[0]),
    ).toEqual([
      '## Odoo',
      '## n8n',
      '## AI generation pipeline',
      '## PostgreSQL',
      '## Backups',
      '## Security',
      '## Platform',
    ]);
  });

  test('the control plane dashboard shows every metric the handlers emit, and every workflow', () => {
    const cp = dashboards(env).find((d) => d.name === dashboardNames(env).controlPlane) as Dashboard;
    const platform = dashboards(env).find((d) => d.name === dashboardNames(env).platform) as Dashboard;
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
});
