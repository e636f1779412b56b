import { BACKUP_RESOURCE_IDS } from '../../config/constants';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import type { AlertComponent, AlertDefinition, InternalAlarm, LogSource } from '../../config/alert-schema';
import type { ComponentId } from '../../config/constants';
import { CONTROL_PLANE_METRICS, controlPlaneNamespace } from '../../config/control-plane-metrics';
import { GPU_ON_DEMAND_USD_PER_HOUR } from '../../config/gpu-instance-types';
import { alarmNamePrefix, dashboardNames } from '../../config/naming';
import { databaseWidgets } from './dashboard-database';
import { gpuHostWidgets } from './dashboard-gpu-hosts';
import { FIVE_MINUTES, GRID, MINUTE } from './dashboard-grid';
import { ConsoleLinks, type Link } from './dashboard-links';
import { loadBalancerWidgets, type DashboardTargetGroup } from './dashboard-load-balancer';
import { workloadErrors } from './dashboard-log-queries';
import { alertsAbout, runbooksOf, sectionHeading } from './dashboard-section';

export interface PlatformDashboardProps {
  readonly config: PlatformConfig;
  readonly alerts: readonly AlertDefinition[];
  /** The inputs of compound conditions: drawn beside the condition they feed. */
  readonly internal: readonly InternalAlarm[];
  /** The catalogue's alarms by catalogue name (CatalogAlarms.alarms). */
  readonly alarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  readonly clusterName: string;
  readonly services: Readonly<Record<ComponentId, ecs.BaseService>>;
  readonly generationQueue: sqs.IQueue;
  readonly gpuAutoScalingGroupName: string;
  readonly database: rds.IDatabaseInstance;
  readonly backupVerification: sfn.IStateMachine;
  /** The ALB in front of Odoo and n8n, and its target groups. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroups: readonly DashboardTargetGroup[];
  /** The workload logs (the same the catalogue's metric filters read), for their newest errors. */
  readonly logGroups: Readonly<Record<LogSource, logs.ILogGroup>>;
  readonly backupVaultName: string;
  /** The web ACL in front of the ALB, for its console page. */
  readonly webAcl: { readonly name: string; readonly id: string };
}

/** The front door: not a catalogue component, so its alarms show in the Odoo section. */
type SectionId = 'load-balancer' | AlertComponent;

/**
 * The sections, in the order an on-call engineer reads them: what reaches the platform, the three
 * workloads, then what they stand on.
 */
const SECTIONS: ReadonlyArray<{ id: SectionId; title: string; about: string }> = [
  {
    id: 'load-balancer',
    title: 'Load balancer',
    about: 'the ALB in front of Odoo and n8n: requests, 5xx, slowest responses, targets in service',
  },
  { id: 'odoo', title: 'Odoo', about: 'ERP workers behind the ALB' },
  { id: 'n8n', title: 'n8n', about: 'workflow automation' },
  {
    id: 'flux-gpu',
    title: 'AI generation pipeline',
    about: 'n8n request → generation queue → Flux on GPU hosts → image',
  },
  { id: 'postgresql', title: 'PostgreSQL', about: 'the RDS instance Odoo and n8n share' },
  { id: 'backup', title: 'Backups', about: 'recovery points against the RPO, and the verification' },
  { id: 'security', title: 'Security', about: '' },
  { id: 'platform', title: 'Platform', about: 'ECS placement' },
];

/** The catalogue's dimension targets that name the ALB and its target groups. */
const LOAD_BALANCER_TARGETS = ['alb', 'target-group:odoo'] as const;

const { half: HALF, third: THIRD } = GRID;

/**
 * The platform at a glance (seed 004): the load balancer, then one section per catalogue component,
 * generated from the catalogue and the config. Each section starts with a heading that links the
 * runbooks of its alerts and the console pages of its resources, then shows what the component is
 * doing (traffic and 5xx at the ALB, capacity against its configured floor and ceiling, the
 * pipeline from request to image, GPU spend and each GPU host, the database's latency and memory,
 * the newest restorable backup against the RPO, the newest error lines of its log) and then every
 * catalogue alarm of that component as its metric against its threshold; composite alarms, which
 * have no metric, as their state.
 */
export class PlatformDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  private readonly links: ConsoleLinks;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const { env } = props.config;
    this.links = new ConsoleLinks(this);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: dashboardNames(env.name).platform,
      defaultInterval: Duration.hours(3),
      // Each graph keeps its own period: an alarm's graph at its evaluation period, counts per minute.
      periodOverride: cloudwatch.PeriodOverride.INHERIT,
    });
    for (const section of SECTIONS) {
      const alerts =
        section.id === 'load-balancer' ? [] : props.alerts.filter((a) => a.component === section.id);
      const overview = this.overview(section.id, props);
      if (alerts.length === 0 && overview.length === 0) continue;
      const runbooks = runbooksOf(
        section.id === 'load-balancer' ? alertsAbout(props.alerts, LOAD_BALANCER_TARGETS) : alerts,
      );
      this.dashboard.addWidgets(
        sectionHeading(env.alerts.runbookBaseUrl, {
          title: section.title,
          about: section.about,
          runbooks,
          console: [...this.consolePages(section.id, props), this.alarmsPage(env.name)],
        }),
      );
      this.dashboard.addWidgets(...overview, ...this.alarmWidgets(alerts, props));
    }
  }

  /** What a section is doing, beyond its alarms. */
  private overview(section: SectionId, props: PlatformDashboardProps): cloudwatch.IWidget[] {
    switch (section) {
      case 'load-balancer':
        return loadBalancerWidgets(props.loadBalancer, props.targetGroups);
      case 'odoo':
      case 'n8n':
        return [this.capacity(section, props), this.newestErrors(section, props)];
      case 'flux-gpu':
        return [
          this.capacity(section, props),
          ...this.pipeline(props),
          this.gpuSpend(props),
          ...gpuHostWidgets(props.gpuAutoScalingGroupName),
          this.newestErrors(section, props),
        ];
      case 'postgresql':
        return [...databaseWidgets(props.database), this.newestErrors(section, props)];
      case 'backup':
        return this.backups(props);
      default:
        return [];
    }
  }

  /** The console pages of a section's resources. */
  private consolePages(section: SectionId, props: PlatformDashboardProps): Link[] {
    const l = this.links;
    const service = (component: ComponentId, label: string): Link => ({
      label,
      url: l.ecsService(props.clusterName, props.services[component].serviceName),
    });
    const targetGroups = (component?: ComponentId): Link[] =>
      props.targetGroups
        .filter((t) => component === undefined || t.component === component)
        .map((t) => ({ label: `target group ${t.label}`, url: l.targetGroup(t.targetGroup.targetGroupArn) }));
    switch (section) {
      case 'load-balancer':
        return [{ label: 'ALB', url: l.loadBalancer(props.loadBalancer.loadBalancerArn) }, ...targetGroups()];
      case 'odoo':
        return [service('odoo', 'Odoo service'), ...targetGroups('odoo')];
      case 'n8n':
        return [service('n8n', 'n8n workers'), ...targetGroups('n8n')];
      case 'flux-gpu':
        return [
          service('flux-gpu', 'Flux service'),
          { label: 'GPU Auto Scaling group', url: l.autoScalingGroup(props.gpuAutoScalingGroupName) },
          { label: 'generation queue', url: l.queue(props.generationQueue.queueName) },
        ];
      case 'postgresql':
        return [{ label: 'RDS instance', url: l.database(props.database.instanceIdentifier) }];
      case 'backup':
        return [
          { label: 'backup vault', url: l.backupVault(props.backupVaultName) },
          { label: 'verification workflow', url: l.stateMachine(props.backupVerification.stateMachineArn) },
        ];
      case 'security':
        return [{ label: 'web ACL', url: l.webAcl(props.webAcl.name, props.webAcl.id) }];
      case 'platform':
        return [{ label: 'ECS cluster', url: l.ecsCluster(props.clusterName) }];
    }
  }

  private alarmsPage(environment: string): Link {
    return {
      label: `alarms ${alarmNamePrefix(environment)}*`,
      url: this.links.alarms(alarmNamePrefix(environment)),
    };
  }

  /** The newest error lines of the component's log. */
  private newestErrors(source: LogSource, props: PlatformDashboardProps): cloudwatch.IWidget {
    return workloadErrors(`${source}: newest error lines`, { [source]: props.logGroups[source] });
  }

  /** Tasks running against the configured floor and ceiling, with the service's CPU and memory. */
  private capacity(component: ComponentId, props: PlatformDashboardProps): cloudwatch.GraphWidget {
    const { capacity } = props.config.components[component];
    const service = props.services[component];
    const running = new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: props.clusterName, ServiceName: service.serviceName },
      statistic: 'Average',
      period: MINUTE,
      label: 'tasks running',
    });
    return new cloudwatch.GraphWidget({
      title: `${component}: tasks (${capacity.min}..${capacity.max}) and utilisation`,
      width: HALF,
      left: [running],
      leftYAxis: { min: 0, label: 'tasks', showUnits: false },
      leftAnnotations: [
        { value: capacity.min, label: `minimum ${capacity.min}` },
        { value: capacity.max, label: `maximum ${capacity.max}` },
      ],
      right: [
        service.metricCpuUtilization({ period: MINUTE, label: 'CPU %' }),
        service.metricMemoryUtilization({ period: MINUTE, label: 'memory %' }),
      ],
      rightYAxis: { min: 0, max: 100, label: '%', showUnits: false },
    });
  }

  /** Requests in, images out, and what waits between them. */
  private pipeline(props: PlatformDashboardProps): cloudwatch.IWidget[] {
    const q = props.generationQueue;
    return [
      new cloudwatch.GraphWidget({
        title: 'Generation requests queued and finished (per minute)',
        width: THIRD,
        left: [
          q.metricNumberOfMessagesSent({ period: MINUTE, statistic: 'Sum', label: 'requests queued' }),
          // Flux deletes a job when it is finished with it, image or final failure (its failures are alarmed below).
          q.metricNumberOfMessagesDeleted({ period: MINUTE, statistic: 'Sum', label: 'jobs finished' }),
        ],
        leftYAxis: { min: 0, showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Waiting for a GPU',
        width: THIRD,
        left: [
          q.metricApproximateNumberOfMessagesVisible({
            period: MINUTE,
            statistic: 'Maximum',
            label: 'jobs waiting',
          }),
        ],
        right: [
          q.metricApproximateAgeOfOldestMessage({
            period: MINUTE,
            statistic: 'Maximum',
            label: 'oldest job (s)',
          }),
        ],
        leftYAxis: { min: 0, showUnits: false },
        rightYAxis: { min: 0, label: 's', showUnits: false },
      }),
    ];
  }

  /**
   * An estimate, not the bill: hosts in service times the on-demand list price of the preferred
   * (first) instance type; the group launches the others only when that type has no capacity.
   * The environment's cost budget holds the billed figure.
   */
  private gpuSpend(props: PlatformDashboardProps): cloudwatch.GraphWidget {
    const [preferred] = props.config.env.flux.instanceTypes;
    const price = preferred ? GPU_ON_DEMAND_USD_PER_HOUR[preferred] : undefined;
    if (!preferred || price === undefined)
      throw new Error(`flux.instanceTypes: ${preferred ?? 'none'} has no on-demand price for the GPU spend`);
    const hosts = new cloudwatch.Metric({
      namespace: 'AWS/AutoScaling',
      metricName: 'GroupInServiceInstances',
      dimensionsMap: { AutoScalingGroupName: props.gpuAutoScalingGroupName },
      statistic: 'Average',
      period: FIVE_MINUTES,
    });
    return new cloudwatch.GraphWidget({
      title: `GPU spend estimate (USD per hour, ${preferred} at ${price})`,
      width: THIRD,
      left: [
        new cloudwatch.MathExpression({
          expression: `hosts * ${price}`,
          usingMetrics: { hosts },
          period: FIVE_MINUTES,
          label: 'USD per hour',
        }),
      ],
      right: [hosts.with({ label: 'GPU hosts in service' })],
      leftYAxis: { min: 0, label: 'USD/h', showUnits: false },
      rightYAxis: { min: 0, label: 'hosts', showUnits: false },
    });
  }

  /** The newest restorable point of each resource against the RPO, and the hourly verification. */
  private backups(props: PlatformDashboardProps): cloudwatch.IWidget[] {
    const { rpoMinutes, filestoreBackupEveryMinutes } = props.config.env.backup;
    const age = CONTROL_PLANE_METRICS.recoveryPointAge;
    const ageOf = (resource: string) =>
      new cloudwatch.Metric({
        namespace: controlPlaneNamespace(props.config.env.name),
        metricName: age.name,
        dimensionsMap: { resource },
        statistic: 'Maximum',
        period: Duration.hours(1),
        label: `${resource} (s)`,
      });
    const run = props.backupVerification;
    return [
      new cloudwatch.GraphWidget({
        title: `Newest restorable backup, age at each hourly check (RPO ${rpoMinutes} min)`,
        width: HALF,
        left: BACKUP_RESOURCE_IDS.map(ageOf),
        leftYAxis: { min: 0, label: 's', showUnits: false },
        // The filestore (EFS) is backed up hourly at best: its objective is its schedule, not the RPO.
        leftAnnotations: [
          { value: rpoMinutes * 60, label: `RPO ${rpoMinutes} min (database, images)`, color: '#d62728' },
          {
            value: filestoreBackupEveryMinutes * 60,
            label: `filestore objective ${filestoreBackupEveryMinutes} min`,
            color: '#ff7f0e',
          },
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Backup verification runs',
        width: HALF,
        left: [
          run.metricSucceeded({ period: Duration.hours(1), statistic: 'Sum', label: 'succeeded' }),
          run.metricFailed({ period: Duration.hours(1), statistic: 'Sum', label: 'failed' }),
        ],
        leftYAxis: { min: 0, showUnits: false },
      }),
    ];
  }

  /** Each alarm as its metric against its threshold; composites as their state. */
  private alarmWidgets(
    alerts: readonly AlertDefinition[],
    props: PlatformDashboardProps,
  ): cloudwatch.IWidget[] {
    const widgets: cloudwatch.IWidget[] = [];
    const composites: cloudwatch.IAlarm[] = [];
    for (const alert of alerts) {
      const alarm = props.alarms[alert.name];
      if (!alarm) continue; // raised by events or by a workflow: no alarm to show
      if (alert.signal.type === 'composite') {
        composites.push(alarm);
        // A composite has no metric: its inputs show what it is made of (GPU utilisation, queue).
        for (const input of props.internal.filter((i) => i.inputOf === alert.name)) {
          const inputAlarm = props.alarms[input.name];
          if (inputAlarm)
            widgets.push(
              new cloudwatch.AlarmWidget({
                title: `${alert.name} input: ${input.name}`,
                alarm: inputAlarm,
                width: THIRD,
                leftYAxis: { min: 0 },
              }),
            );
        }
        continue;
      }
      widgets.push(
        new cloudwatch.AlarmWidget({
          title: `${alert.severity}: ${alert.name}`,
          alarm,
          width: THIRD,
          leftYAxis: { min: 0 },
        }),
      );
    }
    if (composites.length > 0)
      widgets.unshift(
        new cloudwatch.AlarmStatusWidget({
          title: 'Compound conditions',
          alarms: composites,
          width: THIRD,
          height: 3,
        }),
      );
    return widgets;
  }
}
