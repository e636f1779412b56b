import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { COMPONENT_IDS, type EnvironmentName } from '../../config/constants';
import {
  CONTROL_PLANE_METRICS,
  DIMENSION_VALUES,
  controlPlaneNamespace,
  type ControlPlaneMetricKey,
} from '../../config/control-plane-metrics';
import { dashboardNames, WORKFLOW_NAMES, type WorkflowName } from '../../config/naming';

export interface ControlPlaneDashboardProps {
  readonly environment: EnvironmentName;
  readonly workflows: Readonly<Record<WorkflowName, sfn.IStateMachine>>;
  /** The catalogue's alarms: one in ALARM is an open incident. */
  readonly catalogueAlarms: readonly cloudwatch.IAlarm[];
  /** Watching the watcher: the control plane's own failure and heartbeat alarms. */
  readonly watchAlarms: readonly cloudwatch.IAlarm[];
  readonly routerHeartbeat: cloudwatch.Metric;
  readonly routerIgnored: cloudwatch.Metric;
  /** Seed 002's time-to-scale KPI, drawn on the time-to-scale graph. */
  readonly timeToScaleKpiSeconds: number;
}

const FIVE_MINUTES = Duration.minutes(5);
const HOUR = Duration.hours(1);

/**
 * What the control plane decided and did (issue 8): its own health first (the watcher's alarms,
 * open incidents), then per component its decisions and the guardrails that held them, the
 * actions and how long they took, the workflows' executions, pages by severity and the
 * remediations it made before paging. The scaling and paging figures are the EMF metrics of
 * lib/config/control-plane-metrics.ts, one line per dimension value.
 */
export class ControlPlaneDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: ControlPlaneDashboardProps) {
    super(scope, id);
    this.namespace = controlPlaneNamespace(props.environment);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: dashboardNames(props.environment).controlPlane,
      defaultInterval: Duration.hours(24),
      // Each graph keeps its own period: an alarm's graph at its evaluation period, counts per minute.
      periodOverride: cloudwatch.PeriodOverride.INHERIT,
    });

    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Watching the watcher: the control plane itself',
        alarms: [...props.watchAlarms],
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        width: 8,
        height: 6,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Open incidents: catalogue alarms in ALARM',
        alarms: [...props.catalogueAlarms],
        states: [cloudwatch.AlarmState.ALARM],
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        width: 8,
        height: 6,
      }),
      // Workflow- and event-raised incidents have no alarm: their flow shows here (`ops incidents` lists them).
      new cloudwatch.GraphWidget({
        title: 'Incidents opened and resolved, by severity',
        width: 8,
        height: 6,
        left: DIMENSION_VALUES.severity.map((severity) =>
          this.metric('incidentsOpened', { severity }, 'Sum', `${severity} opened`, HOUR),
        ),
        right: DIMENSION_VALUES.severity.map((severity) =>
          this.metric('incidentsResolved', { severity }, 'Sum', `${severity} resolved`, HOUR),
        ),
        leftYAxis: { min: 0, label: 'opened', showUnits: false },
        rightYAxis: { min: 0, label: 'resolved', showUnits: false },
      }),
    );

    for (const component of COMPONENT_IDS) {
      this.dashboard.addWidgets(
        this.graph(`${component}: scale decisions`, 'decisions', { component }, 'decision'),
        this.graph(`${component}: changes held, by guardrail`, 'holds', { component }, 'reason'),
      );
    }

    const perComponent = (key: ControlPlaneMetricKey, statistic: string) =>
      COMPONENT_IDS.map((component) => this.metric(key, { component }, statistic, component));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Scaling actions, by outcome',
        width: 8,
        stacked: true,
        left: COMPONENT_IDS.flatMap((component) =>
          DIMENSION_VALUES.outcome.map((outcome) =>
            this.metric('scalingActions', { component, outcome }, 'Sum', `${component} ${outcome}`),
          ),
        ),
        leftYAxis: { min: 0, showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Time to scale (decision to stable), slowest',
        width: 8,
        left: perComponent('timeToScale', 'Maximum'),
        leftYAxis: { min: 0, label: 's', showUnits: false },
        leftAnnotations: [
          {
            value: props.timeToScaleKpiSeconds,
            label: `KPI ${props.timeToScaleKpiSeconds / 60} min`,
            color: '#d62728',
          },
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Time from alarm to action, slowest',
        width: 8,
        left: perComponent('alarmToAction', 'Maximum'),
        leftYAxis: { min: 0, label: 's', showUnits: false },
      }),
    );

    this.dashboard.addWidgets(
      ...WORKFLOW_NAMES.map((name) => {
        const workflow = props.workflows[name];
        const at = { period: FIVE_MINUTES, statistic: 'Sum' };
        return new cloudwatch.GraphWidget({
          title: `${name} executions`,
          width: 6,
          left: [
            workflow.metricStarted({ ...at, label: 'started' }),
            workflow.metricSucceeded({ ...at, label: 'succeeded' }),
            workflow.metricFailed({ ...at, label: 'failed' }),
            workflow.metricTimedOut({ ...at, label: 'timed out' }),
          ],
          leftYAxis: { min: 0, showUnits: false },
        });
      }),
    );

    this.dashboard.addWidgets(
      this.graph('Pages, by severity', 'pages', {}, 'severity', { width: 8, period: HOUR }),
      new cloudwatch.GraphWidget({
        title: 'Remediations before anyone is paged',
        width: 8,
        stacked: true,
        left: [
          this.metric(
            'remediations',
            { workflow: 'stalled-gpu', action: 'restart' },
            'Sum',
            'GPU task restarts',
            HOUR,
          ),
          this.metric(
            'remediations',
            { workflow: 'stalled-gpu', action: 'replace' },
            'Sum',
            'GPU host replacements',
            HOUR,
          ),
          this.metric(
            'remediations',
            { workflow: 'backup-verification', action: 'backup-rerun' },
            'Sum',
            'backup re-runs',
            HOUR,
          ),
        ],
        leftYAxis: { min: 0, showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Router: heartbeats and ignored deliveries',
        width: 8,
        left: [props.routerHeartbeat.with({ label: 'heartbeats (every 5 min)' })],
        right: [props.routerIgnored.with({ label: 'ignored (per 15 min)' })],
        leftYAxis: { min: 0, showUnits: false },
        rightYAxis: { min: 0, showUnits: false },
      }),
    );
  }

  /** Counts stacked, one line per value of `by`, the other dimensions fixed. */
  private graph(
    title: string,
    key: ControlPlaneMetricKey,
    fixed: Readonly<Record<string, string>>,
    by: keyof typeof DIMENSION_VALUES,
    { width = 12, period = FIVE_MINUTES }: { width?: number; period?: Duration } = {},
  ): cloudwatch.GraphWidget {
    return new cloudwatch.GraphWidget({
      title,
      width,
      stacked: true,
      left: DIMENSION_VALUES[by].map((value) =>
        this.metric(key, { ...fixed, [by]: value }, 'Sum', value, period),
      ),
      leftYAxis: { min: 0, showUnits: false },
    });
  }

  private metric(
    key: ControlPlaneMetricKey,
    dimensions: Readonly<Record<string, string>>,
    statistic: string,
    label: string,
    period = FIVE_MINUTES,
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: CONTROL_PLANE_METRICS[key].name,
      dimensionsMap: { ...dimensions },
      statistic,
      period,
      label,
    });
  }
}
