import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ChannelId } from '../../config/constants';
import {
  DISK_FORECAST_TIMEOUT_SECONDS,
  FORECAST_RUNS_TO_ALARM,
  diskForecastSettings,
  validateDiskForecastConfig,
  type DiskForecastConfig,
} from '../../config/disk-forecast';
import {
  FORECAST_METRICS,
  FORECAST_NAMESPACE,
  RDS_OS_METRICS_LOG_GROUP,
} from '../../config/forecast-metrics';
import { PREDICTIVE_DISK_RUNTIME_ALERT } from '../../config/forecast-alerts';
import { watchAlarmName } from '../../config/naming';
import { ControlPlaneFunction } from '../control-plane-function';
import { acknowledgeWildcards, ANY_RESOURCE } from '../nag';
import { runbookUrl } from './runbook-link';

export interface DiskForecastProps {
  readonly environment: string;
  readonly config: DiskForecastConfig;
  /** The database (DataStack): its identifier and its storage-autoscaling ceiling. */
  readonly database: { readonly instanceIdentifier: string; readonly ceilingGiB: number };
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
  /** Who hears that the forecast itself stopped or is blind: direct alarm actions, as the watcher's. */
  readonly topics: Readonly<Partial<Record<ChannelId, sns.ITopic>>>;
  readonly channels: readonly ChannelId[];
  /** Where runbooks/<name>.md are published (alerts.runbookBaseUrl): the alarms link the procedure. */
  readonly runbookBaseUrl: string;
  /** Where EventBridge puts a scheduled run it could not deliver (the router's dead letters). */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * Seed 004's predictive disk alert: the disk-forecast function (lambdas/disk-forecast) on a schedule
 * (hourly by default), reading CloudWatch and Enhanced Monitoring's log and publishing to
 * InfluenceGen/Forecast, whose DisksPredictedFull the catalogue alarm
 * Odoo_Server_Disk_Space_Free_Predictive reads (CatalogAlarms, like every catalogue alert). The
 * forecast's own failures reach people three ways: a run that fails is the watcher's function-error
 * alarm; no completed run for three periods, and the database unforecastable for three runs, are
 * the two alarms here, acting directly on the channel topics as the watcher's do.
 */
export class DiskForecast extends Construct {
  readonly function: ControlPlaneFunction;
  readonly rule: events.Rule;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: DiskForecastProps) {
    super(scope, id);
    const config = validateDiskForecastConfig(props.config);
    if (!(props.database.ceilingGiB > 0))
      throw new Error(`DiskForecast: database.ceilingGiB must be positive, got ${props.database.ceilingGiB}`);
    const stack = Stack.of(this);
    const period = Duration.minutes(config.scheduleMinutes);

    this.function = new ControlPlaneFunction(this, 'disk-forecast', {
      name: 'disk-forecast',
      description:
        'Predictive disk alert: 30-day linear trend and 90 % prediction interval per disk (database, GPU hosts)',
      environment: {
        DISK_FORECAST_CONFIG: stack.toJsonString(diskForecastSettings(config, props.database)),
      },
      timeout: Duration.seconds(DISK_FORECAST_TIMEOUT_SECONDS),
      logRetentionDays: props.logRetentionDays,
      logKey: props.logKey,
    });
    const fn = this.function.function;
    // The next scheduled run is the retry: a failing run fails once (the watcher sees it), not three times.
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: period });

    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
        resources: ['*'],
      }),
    );
    acknowledgeWildcards(
      this.function.role,
      [{ actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], resources: ANY_RESOURCE }],
      'cloudwatch:GetMetricData and ListMetrics (read-only) support no resource-level permissions or namespace condition.',
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': FORECAST_NAMESPACE } },
      }),
    );
    acknowledgeWildcards(
      this.function.role,
      [
        {
          actions: ['cloudwatch:PutMetricData'],
          resources: ANY_RESOURCE,
          conditionKeys: ['cloudwatch:namespace'],
        },
      ],
      'PutMetricData supports no resource-level permissions; it is limited to the forecast namespace by a condition.',
    );
    // Enhanced Monitoring's log group (RDS's, account-wide): the database's allocated size.
    const osMetrics = logs.LogGroup.fromLogGroupName(this, 'RdsOsMetrics', RDS_OS_METRICS_LOG_GROUP);
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['logs:FilterLogEvents'], resources: [osMetrics.logGroupArn] }),
    );
    acknowledgeWildcards(
      this.function.role,
      [{ actions: ['logs:FilterLogEvents'], resources: /:log-group:RDSOSMetrics:\*$/ }],
      "The log group's ARN form IAM matches for its events (`:*`): the streams of the one RDSOSMetrics group.",
    );

    this.rule = new events.Rule(this, 'Schedule', {
      description: `Predictive disk alert: forecast every disk that can fill, every ${config.scheduleMinutes} minutes`,
      schedule: events.Schedule.rate(period),
      targets: [
        new targets.LambdaFunction(fn, {
          ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
          retryAttempts: 2,
          maxEventAge: period,
        }),
      ],
    });

    const notify = props.channels.flatMap((c) => {
      const topic = props.topics[c];
      return topic ? [new actions.SnsAction(topic)] : [];
    });
    const metric = (name: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: FORECAST_NAMESPACE, metricName: name, period, statistic });
    // A person reads this in an SNS message: the published address of the runbook's section on a
    // broken forecast, not the repository path.
    const runbook = ` Runbook: ${runbookUrl(props.runbookBaseUrl, PREDICTIVE_DISK_RUNTIME_ALERT.runbook, 'when-the-forecast-itself-is-broken')}`;
    const alarm = (
      alarmId: string,
      what: string,
      description: string,
      alarmProps: Omit<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription'>,
    ) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        ...alarmProps,
        alarmName: watchAlarmName(props.environment, what),
        alarmDescription: description + runbook,
      });
      for (const action of notify) created.addAlarmAction(action);
      this.alarms.push(created);
    };
    alarm(
      'ForecastMissing',
      'disk-forecast-missing',
      `No completed disk forecast in ${FORECAST_RUNS_TO_ALARM} runs: the predictive disk alert (${PREDICTIVE_DISK_RUNTIME_ALERT.name}) cannot fire.`,
      {
        metric: metric(FORECAST_METRICS.runs, 'Sum'),
        threshold: 1,
        evaluationPeriods: FORECAST_RUNS_TO_ALARM,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      },
    );
    alarm(
      'ForecastBlind',
      'disk-forecast-blind',
      `A disk that must be forecast (the database) could not be, ${FORECAST_RUNS_TO_ALARM} runs in a row: no data, gaps or read failures (the function's log says which).`,
      {
        metric: metric(FORECAST_METRICS.notForecast, 'Maximum'),
        threshold: 1,
        evaluationPeriods: FORECAST_RUNS_TO_ALARM,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // A missed run is ForecastMissing's to say.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      },
    );
  }
}
