import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { watchAlarmName } from '../../config/naming';
import { HEARTBEAT_SCHEDULE } from '../../config/constants';
import type { ChannelId } from '../../config';
import { controlPlaneNamespace } from '../../config/control-plane-metrics';
import { functionsUnder } from '../control-plane-function';
import { Workflow } from '../workflow';
import type { AlarmRouter } from './alarm-router';
import { runbookUrl } from './runbook-link';
import type { ControlPlaneRuntime } from './runtime';

/** The sections of runbooks/control_plane_watch.md, one per kind of watch alarm. */
export type WatchRunbookSection =
  | 'function-errors'
  | 'function-throttles'
  | 'workflow-failed'
  | 'workflow-timed-out'
  | 'heartbeat-missing'
  | 'workflow-heartbeat-missing'
  | 'router-ignoring'
  | 'dead-letters';

export const WATCH_RUNBOOK = 'runbooks/control_plane_watch.md';

/** The address of one section of the watch runbook, under alerts.runbookBaseUrl. */
export function watchRunbookUrl(runbookBaseUrl: string, section: WatchRunbookSection): string {
  return runbookUrl(runbookBaseUrl, WATCH_RUNBOOK, section);
}

export interface ControlPlaneWatchProps {
  readonly runtime: ControlPlaneRuntime;
  readonly router: AlarmRouter;
  /** Who hears of the control plane's own failures (seed 004: a failed monitor is a critical risk). */
  readonly channels: readonly ChannelId[];
  /** Router deliveries ignored in 15 minutes above which something is off (a new event shape, a rename). */
  readonly ignoredPer15Minutes: number;
  /**
   * A workflow the control plane starts on a schedule every `everySeconds` (the stalled-GPU
   * check): its successful executions are the workflow half of the heartbeat.
   */
  readonly canary: { readonly workflow: sfn.IStateMachine; readonly everySeconds: number };
  /** How often the router beats, and how many missed beats alarm. */
  readonly heartbeat: { readonly everyMinutes: number; readonly missedBeatsToAlarm: number };
}

/**
 * Watching the watcher: alarms on the control plane's own failures - every function's errors and
 * throttles, every workflow's failed and timed-out executions, the router ignoring input at an
 * unusual rate - and a heartbeat in two halves: the router is invoked every 5 minutes (15 minutes
 * without one alarm), and the scheduled stall check must succeed (three missed periods alarm);
 * missing data counts as breaching. They act through direct SNS alarm actions on the
 * channel topics, not through the router and the escalation workflow they watch. Their names do
 * not start with the catalogue's prefix, so the router's own rule does not pick them up.
 * Add it last: it watches the functions and workflows the stack holds when it is created.
 */
export class ControlPlaneWatch extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  /** The router's heartbeats and ignored deliveries (metric filters on its log), for the dashboard. */
  readonly routerHeartbeat: cloudwatch.Metric;
  readonly routerIgnored: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: ControlPlaneWatchProps) {
    super(scope, id);
    const { runtime } = props;
    const stack = Stack.of(this);
    const beat = Duration.minutes(props.heartbeat.everyMinutes);
    const missed = props.heartbeat.missedBeatsToAlarm;
    const notify = props.channels.map((c) => new actions.SnsAction(runtime.topics[c]));
    const name = (what: string) => watchAlarmName(runtime.environment, what);
    // These alarms reach people straight from SNS, not through the escalation's notification
    // templates: the description, which the alarm's SNS message carries, holds the runbook's URL.
    const runbook = (section: WatchRunbookSection) => watchRunbookUrl(runtime.runbookBaseUrl, section);
    const alarm = (
      id: string,
      what: string,
      description: string,
      section: WatchRunbookSection,
      props: cloudwatch.AlarmProps | Omit<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription'>,
    ) => {
      const created = new cloudwatch.Alarm(this, id, {
        ...props,
        alarmName: name(what),
        alarmDescription: `${description} Runbook: ${runbook(section)}`,
      });
      for (const action of notify) created.addAlarmAction(action);
      this.alarms.push(created);
      return created;
    };
    const anyInABeat = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };

    for (const fn of functionsUnder(stack)) {
      const label = fn.node.path.split('/').slice(1).join('-');
      alarm(
        `${label}-Errors`,
        `${label}-errors`,
        `Control-plane function ${fn.node.path} failed.`,
        'function-errors',
        {
          ...anyInABeat,
          metric: fn.function.metricErrors({ period: beat, statistic: 'Sum' }),
        },
      );
      alarm(
        `${label}-Throttles`,
        `${label}-throttles`,
        `Control-plane function ${fn.node.path} was throttled.`,
        'function-throttles',
        {
          ...anyInABeat,
          metric: fn.function.metricThrottles({ period: beat, statistic: 'Sum' }),
        },
      );
    }
    const workflows = stack.node.findAll().filter((c): c is Workflow => c instanceof Workflow);
    for (const wf of workflows) {
      const label = wf.node.path.split('/').slice(1, -1).join('-') || wf.node.id;
      alarm(
        `${label}-Failed`,
        `${label}-failed`,
        `Workflow ${wf.node.path} had a failed execution.`,
        'workflow-failed',
        {
          ...anyInABeat,
          metric: wf.stateMachine.metricFailed({ period: beat, statistic: 'Sum' }),
        },
      );
      alarm(
        `${label}-TimedOut`,
        `${label}-timed-out`,
        `Workflow ${wf.node.path} had an execution time out.`,
        'workflow-timed-out',
        {
          ...anyInABeat,
          metric: wf.stateMachine.metricTimedOut({ period: beat, statistic: 'Sum' }),
        },
      );
    }

    // The router's log lines (Powertools JSON) become the heartbeat and the ignored-input metrics.
    const namespace = controlPlaneNamespace(runtime.environment);
    const logGroup = props.router.function.logGroup;
    const heartbeat = (this.routerHeartbeat = new logs.MetricFilter(this, 'HeartbeatFilter', {
      logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', 'heartbeat'),
      metricNamespace: namespace,
      metricName: 'RouterHeartbeat',
      metricValue: '1',
    }).metric({ period: beat, statistic: 'Sum' }));
    const ignored = (this.routerIgnored = new logs.MetricFilter(this, 'IgnoredFilter', {
      logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', 'ignored'),
      metricNamespace: namespace,
      metricName: 'RouterIgnored',
      metricValue: '1',
    }).metric({ period: Duration.minutes(15), statistic: 'Sum' }));

    new events.Rule(this, 'Heartbeat', {
      description: `The control plane heartbeat: the router is invoked every ${props.heartbeat.everyMinutes} minutes`,
      schedule: events.Schedule.rate(beat),
      targets: [
        new targets.LambdaFunction(props.router.function.function, {
          event: events.RuleTargetInput.fromObject({ schedule: HEARTBEAT_SCHEDULE }),
          // A beat EventBridge could not deliver is kept (and paged on) like any other delivery.
          deadLetterQueue: props.router.deadLetters,
          retryAttempts: 2,
          maxEventAge: beat,
        }),
      ],
    });
    alarm(
      'HeartbeatMissing',
      'heartbeat-missing',
      `No control-plane heartbeat for ${missed * props.heartbeat.everyMinutes} minutes: the router (or EventBridge reaching it) is down.`,
      'heartbeat-missing',
      {
        metric: heartbeat,
        threshold: 1,
        evaluationPeriods: missed,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      },
    );
    // Missed runs of the scheduled workflow: Step Functions, its functions or the schedule are down.
    alarm(
      'WorkflowHeartbeatMissing',
      'workflow-heartbeat-missing',
      `No successful run of the scheduled workflow ${props.canary.workflow.node.path} in ${missed} of its periods.`,
      'workflow-heartbeat-missing',
      {
        metric: props.canary.workflow.metricSucceeded({
          period: Duration.seconds(props.canary.everySeconds),
          statistic: 'Sum',
        }),
        threshold: 1,
        evaluationPeriods: missed,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      },
    );
    alarm(
      'RouterIgnoring',
      'router-ignoring',
      `The router ignored more than ${props.ignoredPer15Minutes} deliveries in 15 minutes: a new event shape or a renamed alarm?`,
      'router-ignoring',
      {
        metric: ignored,
        threshold: props.ignoredPer15Minutes,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    );
  }
}
