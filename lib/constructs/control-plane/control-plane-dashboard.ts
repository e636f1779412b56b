import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import type { AlertDefinition, AlertKind, LogSource } from '../../config/alert-schema';
import { COMPONENT_IDS, type EnvironmentName } from '../../config/constants';
import {
  CONTROL_PLANE_METRICS,
  DIMENSION_VALUES,
  controlPlaneNamespace,
  type ControlPlaneMetricKey,
} from '../../config/control-plane-metrics';
import {
  alarmNamePrefix,
  dashboardNames,
  watchAlarmNamePrefix,
  WORKFLOW_NAMES,
  type WorkflowName,
} from '../../config/naming';
import { functionsUnder, type ControlPlaneFunction } from '../control-plane-function';
import type { Workflow } from '../workflow';
import { deadLetterWidgets } from './dashboard-dead-letters';
import { functionLabel, functionWidgets } from './dashboard-functions';
import { FIVE_MINUTES, GRID, HOUR, WATCHER_PERIOD } from './dashboard-grid';
import { integrationWidgets } from './dashboard-integrations';
import { ConsoleLinks, type Link } from './dashboard-links';
import { functionErrors, workflowFailures, workloadErrors } from './dashboard-log-queries';
import { runbooksOf, sectionHeading } from './dashboard-section';
import type { WatchedDeadLetters } from './dead-letters';

/** A construct that owns a workflow and its functions (EscalationWorkflow, ScaleDecisionWorkflow, ...). */
export interface WorkflowOwner extends IConstruct {
  readonly workflow: Workflow;
}

export interface ControlPlaneDashboardProps {
  readonly environment: EnvironmentName;
  readonly runbookBaseUrl: string;
  /** The catalogue: each workflow section links the runbooks of the alerts it handles. */
  readonly alerts: readonly AlertDefinition[];
  readonly workflows: Readonly<Record<WorkflowName, WorkflowOwner>>;
  /** Workflows started only by hand (the major-incident workflow): their failures are listed too. */
  readonly manualWorkflows?: readonly WorkflowOwner[];
  /** The catalogue's alarms: one in ALARM is an open incident. */
  readonly catalogueAlarms: readonly cloudwatch.IAlarm[];
  /** Watching the watcher: the control plane's own failure and heartbeat alarms. */
  readonly watchAlarms: readonly cloudwatch.IAlarm[];
  readonly routerHeartbeat: cloudwatch.Metric;
  readonly routerIgnored: cloudwatch.Metric;
  /** Seed 002's time-to-scale KPI, drawn on the time-to-scale graph. */
  readonly timeToScaleKpiSeconds: number;
  /** The dead-letter queues DeadLetterAlarms watches, by the same labels. */
  readonly deadLetters: Readonly<Record<string, WatchedDeadLetters>>;
  /** DeadLetterAlarms' alarms: the depth graph draws their threshold. */
  readonly deadLetterAlarms: readonly cloudwatch.Alarm[];
  /** The workload logs, for their newest errors beside the control plane's. */
  readonly workloadLogs: Readonly<Record<LogSource, logs.ILogGroup>>;
  /** Where the health-probe agents run (HealthProbes.zones): one line per agent on the probe graph. */
  readonly probeZones: readonly string[];
  /** The constructs of the integrations (edge blocking, health probes, disk forecast): their functions are linked. */
  readonly integrations: readonly IConstruct[];
}

/** The alerts of the integrations section: its runbooks. */
const INTEGRATION_ALERTS = [
  'Ticketing_Integration_Failing',
  'Edge_Blocking_Detector_Failing',
  'Odoo_Cluster_Node_Unhealthy',
  'Odoo_Server_Disk_Space_Free_Predictive',
];

/** Each workflow's section: what it does, and the alerts (by kind) it acts on. */
const WORKFLOW_SECTIONS: Readonly<
  Record<WorkflowName, { title: string; about: string; kinds: readonly AlertKind[] }>
> = {
  escalation: {
    title: 'Escalation workflow',
    about: 'opens or joins an incident, pages by severity until someone acknowledges, resolves',
    kinds: [],
  },
  'scale-decision': {
    title: 'Scale decisions',
    about:
      'per component: what it decided, the guardrails that held a change, the actions and how long they took',
    kinds: ['scale'],
  },
  'stalled-gpu': {
    title: 'Stalled GPUs',
    about: 'idle GPUs with jobs waiting: restart the task, then replace the host, then page',
    kinds: ['stall'],
  },
  'backup-verification': {
    title: 'Backup verification',
    about: 'the hourly recovery-point check, restore tests and the one automatic re-run',
    kinds: ['backup'],
  },
};

/**
 * What the control plane decided and did (issue 8), in the order an on-call engineer reads it:
 * its own health (the watcher's alarms, open incidents, the router, pages and remediations), the
 * dead letters nobody acted on, the newest errors (its functions, its workflows, the workloads),
 * then a section per workflow: its executions, what it decided, and each of its functions' duration,
 * errors and throttles. Every section starts with a heading that links its runbooks and console
 * pages. The functions are found in the stack, not listed: a function added to the control plane
 * appears in its workflow's section (or the health section), and synth fails if one is missing.
 * The scaling and paging figures are the EMF metrics of lib/config/control-plane-metrics.ts, one
 * line per dimension value.
 */
export class ControlPlaneDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  private readonly namespace: string;
  private readonly links: ConsoleLinks;

  constructor(scope: Construct, id: string, props: ControlPlaneDashboardProps) {
    super(scope, id);
    this.namespace = controlPlaneNamespace(props.environment);
    this.links = new ConsoleLinks(this);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: dashboardNames(props.environment).controlPlane,
      defaultInterval: Duration.hours(24),
      // Each graph keeps its own period: an alarm's graph at its evaluation period, counts per minute.
      periodOverride: cloudwatch.PeriodOverride.INHERIT,
    });

    const byWorkflow = new Map(WORKFLOW_NAMES.map((name) => [name, functionsUnder(props.workflows[name])]));
    const grouped = new Set([...byWorkflow.values()].flat());
    const allFunctions = functionsUnder(Stack.of(this));
    const others = allFunctions.filter((fn) => !grouped.has(fn));
    // A function created after the dashboard would be missing from it.
    this.node.addValidation({
      validate: () =>
        functionsUnder(Stack.of(this))
          .filter((fn) => !allFunctions.includes(fn))
          .map(
            (fn) => `${fn.node.path} was created after the control-plane dashboard, which does not show it`,
          ),
    });

    this.health(props, others);
    this.deadLetters(props);
    this.newestErrors(props, allFunctions);
    this.integrations(props);
    for (const name of WORKFLOW_NAMES) this.workflowSection(name, props, byWorkflow.get(name) ?? []);
  }

  private heading(
    props: ControlPlaneDashboardProps,
    title: string,
    about: string,
    runbooks: string[],
    console: Link[],
  ) {
    this.dashboard.addWidgets(sectionHeading(props.runbookBaseUrl, { title, about, runbooks, console }));
  }

  private functionLinks(functions: readonly ControlPlaneFunction[]): Link[] {
    return functions.map((fn) => ({
      label: `λ ${functionLabel(fn)}`,
      url: this.links.lambdaFunction(fn.function.functionName),
    }));
  }

  /** The watcher, open incidents, the router, pages and remediations; functions of no workflow. */
  private health(props: ControlPlaneDashboardProps, functions: readonly ControlPlaneFunction[]): void {
    this.heading(
      props,
      'Control plane health',
      "the watcher's alarms, open incidents, the router's heartbeat, pages and what was repaired before paging",
      [],
      [
        {
          label: `watcher alarms ${watchAlarmNamePrefix(props.environment)}*`,
          url: this.links.alarms(watchAlarmNamePrefix(props.environment)),
        },
        {
          label: `catalogue alarms ${alarmNamePrefix(props.environment)}*`,
          url: this.links.alarms(alarmNamePrefix(props.environment)),
        },
        ...this.functionLinks(functions),
      ],
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Watching the watcher: the control plane itself',
        alarms: [...props.watchAlarms],
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        width: GRID.third,
        height: 6,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Open incidents: catalogue alarms in ALARM',
        alarms: [...props.catalogueAlarms],
        states: [cloudwatch.AlarmState.ALARM],
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        width: GRID.third,
        height: 6,
      }),
      // Workflow- and event-raised incidents have no alarm: their flow shows here (`ops incidents` lists them).
      new cloudwatch.GraphWidget({
        title: 'Incidents opened and resolved, by severity',
        width: GRID.third,
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
    this.dashboard.addWidgets(
      this.graph('Pages, by severity', 'pages', {}, 'severity', { width: GRID.third, period: HOUR }),
      new cloudwatch.GraphWidget({
        title: 'Remediations before anyone is paged',
        width: GRID.third,
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
        width: GRID.third,
        left: [
          props.routerHeartbeat.with({
            label: `heartbeats (per ${props.routerHeartbeat.period.toMinutes()} min)`,
          }),
        ],
        right: [
          props.routerIgnored.with({ label: `ignored (per ${props.routerIgnored.period.toMinutes()} min)` }),
        ],
        leftYAxis: { min: 0, showUnits: false },
        rightYAxis: { min: 0, showUnits: false },
      }),
    );
    if (functions.length > 0) this.dashboard.addWidgets(...functionWidgets(functions));
  }

  private deadLetters(props: ControlPlaneDashboardProps): void {
    this.heading(
      props,
      'Dead letters',
      'deliveries nobody acted on: read them, fix the cause, then redrive or delete them',
      [],
      Object.entries(props.deadLetters).map(([label, { queue }]) => ({
        label: `queue ${label}`,
        url: this.links.queue(queue.queueName),
      })),
    );
    this.dashboard.addWidgets(...deadLetterWidgets(props.deadLetters, props.deadLetterAlarms));
  }

  private newestErrors(props: ControlPlaneDashboardProps, functions: readonly ControlPlaneFunction[]): void {
    this.heading(
      props,
      'Newest errors',
      'the latest error lines of the control-plane functions, the failed workflow executions and the workloads',
      [],
      [{ label: 'Logs Insights', url: this.links.logsInsights() }],
    );
    this.dashboard.addWidgets(
      functionErrors(
        'Control-plane functions: newest errors',
        functions.map((fn) => fn.logGroup),
      ),
      workflowFailures('Workflows: newest failed, timed-out or aborted executions', [
        ...WORKFLOW_NAMES.map((name) => props.workflows[name].workflow.logGroup),
        ...(props.manualWorkflows ?? []).map((owner) => owner.workflow.logGroup),
      ]),
      workloadErrors(
        'Workloads: newest error lines (Odoo, n8n, Flux, PostgreSQL)',
        props.workloadLogs,
        GRID.full,
      ),
    );
  }

  /** Tickets, edge blocks, health probes and the disk forecast: what reaches outside the workflows. */
  private integrations(props: ControlPlaneDashboardProps): void {
    const alerts = INTEGRATION_ALERTS.map((name) => {
      const alert = props.alerts.find((a) => a.name === name);
      if (!alert) throw new Error(`the integrations section names ${name}, which is not in the catalogue`);
      return alert;
    });
    this.heading(
      props,
      'Integrations',
      'tickets that could not be opened, edge blocks, the health probes per AZ and the disk forecast',
      runbooksOf(alerts),
      this.functionLinks(props.integrations.flatMap((c) => functionsUnder(c))),
    );
    this.dashboard.addWidgets(...integrationWidgets(props.probeZones));
  }

  /** A workflow's heading, executions, what it decided (scaling) and its functions. */
  private workflowSection(
    name: WorkflowName,
    props: ControlPlaneDashboardProps,
    functions: readonly ControlPlaneFunction[],
  ): void {
    const section = WORKFLOW_SECTIONS[name];
    const { stateMachine } = props.workflows[name].workflow;
    const handled = props.alerts.filter(
      (a) => section.kinds.includes(a.kind) || (a.signal.type === 'workflow' && a.signal.raisedBy === name),
    );
    this.heading(props, section.title, section.about, runbooksOf(handled), [
      { label: `state machine ${name}`, url: this.links.stateMachine(stateMachine.stateMachineArn) },
      ...this.functionLinks(functions),
    ]);
    // At the watcher's period: a failed or timed-out point is one of its alarms.
    const at = { period: WATCHER_PERIOD, statistic: 'Sum' };
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${name} executions`,
        width: GRID.quarter,
        left: [
          stateMachine.metricStarted({ ...at, label: 'started' }),
          stateMachine.metricSucceeded({ ...at, label: 'succeeded' }),
          stateMachine.metricFailed({ ...at, label: 'failed' }),
          stateMachine.metricTimedOut({ ...at, label: 'timed out' }),
        ],
        leftYAxis: { min: 0, showUnits: false },
      }),
      ...functionWidgets(functions),
    );
    if (name === 'scale-decision') this.scaling(props);
  }

  /** Per component its decisions and holds; the actions, time to scale and alarm to action. */
  private scaling(props: ControlPlaneDashboardProps): void {
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
        width: GRID.third,
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
        width: GRID.third,
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
        width: GRID.third,
        left: perComponent('alarmToAction', 'Maximum'),
        leftYAxis: { min: 0, label: 's', showUnits: false },
      }),
    );
  }

  /** Counts stacked, one line per value of `by`, the other dimensions fixed. */
  private graph(
    title: string,
    key: ControlPlaneMetricKey,
    fixed: Readonly<Record<string, string>>,
    by: keyof typeof DIMENSION_VALUES,
    { width = GRID.half, period = FIVE_MINUTES }: { width?: number; period?: Duration } = {},
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
