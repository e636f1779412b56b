import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOG_METRIC_NAMESPACES } from '../../config/alerts';
import type {
  AlarmEvaluation,
  AlertDefinition,
  AlertSignal,
  DimensionTarget,
  InternalAlarm,
  LogMetricSpec,
  LogSource,
  MetricSpec,
} from '../../config/alert-schema';
import { alarmName } from '../../config/naming';

export interface CatalogAlarmsProps {
  readonly environment: string;
  readonly alerts: readonly AlertDefinition[];
  readonly internal: readonly InternalAlarm[];
  /** The deployed value of every dimension target the catalogue names. */
  readonly targets: Readonly<Record<DimensionTarget, string>>;
  /** The log group of every log source the catalogue reads. */
  readonly logGroups: Readonly<Record<LogSource, logs.ILogGroup>>;
  /** PostgreSQL's max_connections: the connection alarm's threshold is a share of it. */
  readonly databaseMaxConnections: number;
}

const COMPARISON: Record<string, cloudwatch.ComparisonOperator> = {
  '>': cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  '>=': cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  '<': cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  '<=': cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};
const MISSING: Record<AlarmEvaluation['treatMissingData'], cloudwatch.TreatMissingData> = {
  breaching: cloudwatch.TreatMissingData.BREACHING,
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
  ignore: cloudwatch.TreatMissingData.IGNORE,
  missing: cloudwatch.TreatMissingData.MISSING,
};

/**
 * One CloudWatch alarm per catalogue alert (and per composite input), named
 * `influencegen-<env>-<name>`, with no actions: EventBridge delivers their state changes to the
 * alarm router. Log-derived signals get their metric filters (one namespace per workload) and
 * the brute-force alert its Contributor Insights rule. Event-raised alerts (AWS Backup, ECS
 * service actions) have no alarm; the router's rules deliver their events.
 */
export class CatalogAlarms extends Construct {
  readonly alarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  private readonly filters = new Set<string>();

  constructor(
    scope: Construct,
    id: string,
    private readonly props: CatalogAlarmsProps,
  ) {
    super(scope, id);
    const alarms: Record<string, cloudwatch.IAlarm> = {};
    for (const internal of props.internal) {
      alarms[internal.name] = this.alarm(internal.name, internal.description, internal.signal);
    }
    for (const alert of props.alerts) {
      if (alert.signal.type === 'event' || alert.signal.type === 'workflow') continue;
      if (alert.signal.type === 'composite') {
        alarms[alert.name] = new cloudwatch.CompositeAlarm(this, alert.name, {
          compositeAlarmName: alarmName(props.environment, alert.name),
          alarmDescription: `${alert.severity}: ${alert.description} Runbook: ${alert.runbook}`,
          alarmRule: cloudwatch.AlarmRule.allOf(
            ...alert.signal.allOf.map((input) =>
              cloudwatch.AlarmRule.fromAlarm(alarms[input] as cloudwatch.IAlarm, cloudwatch.AlarmState.ALARM),
            ),
          ),
        });
        continue;
      }
      alarms[alert.name] = this.alarm(
        alert.name,
        `${alert.severity}: ${alert.description} Runbook: ${alert.runbook}`,
        alert.signal,
      );
    }
    this.alarms = alarms;
  }

  private alarm(name: string, description: string, signal: AlertSignal): cloudwatch.IAlarm {
    const common = {
      alarmName: alarmName(this.props.environment, name),
      alarmDescription: description,
      actionsEnabled: false,
    };
    switch (signal.type) {
      case 'metric':
      case 'log-metric': {
        const metric =
          signal.type === 'metric'
            ? this.metric(signal.metric, signal.evaluation)
            : this.logMetric(signal.logMetric, signal.evaluation);
        return this.thresholdAlarm(
          name,
          common,
          metric,
          signal.comparison,
          this.threshold(name, signal.threshold),
          signal.evaluation,
        );
      }
      case 'metric-math': {
        const usingMetrics = Object.fromEntries(
          Object.entries(signal.metrics).map(([id, m]) => [
            id,
            'source' in m ? this.logMetric(m, signal.evaluation) : this.metric(m, signal.evaluation),
          ]),
        );
        const expression = new cloudwatch.MathExpression({
          expression: signal.expression,
          usingMetrics,
          period: Duration.seconds(signal.evaluation.periodSeconds),
          label: name,
        });
        return this.thresholdAlarm(
          name,
          common,
          expression,
          signal.comparison,
          signal.threshold,
          signal.evaluation,
        );
      }
      case 'contributor': {
        const rule = new cloudwatch.CfnInsightRule(this, `${name}Rule`, {
          ruleName: `${alarmName(this.props.environment, name)}`,
          ruleState: 'ENABLED',
          ruleBody: JSON.stringify({
            Schema: { Name: 'CloudWatchLogRule', Version: 1 },
            LogGroupNames: [this.props.logGroups[signal.source].logGroupName],
            LogFormat: 'JSON',
            Contribution: {
              Keys: signal.keys,
              Filters: signal.filters.map((f) => ({ Match: f.match, In: f.in })),
            },
            AggregateOn: 'Count',
          }),
        });
        const expression = new cloudwatch.MathExpression({
          expression: `INSIGHT_RULE_METRIC('${rule.ruleName}', 'MaxContributorValue')`,
          usingMetrics: {},
          period: Duration.seconds(signal.evaluation.periodSeconds),
          label: name,
        });
        const alarm = this.thresholdAlarm(
          name,
          common,
          expression,
          signal.comparison,
          signal.threshold,
          signal.evaluation,
        );
        alarm.node.addDependency(rule);
        return alarm;
      }
      case 'anomaly': {
        const metric = this.metric(signal.metric, signal.evaluation);
        // CloudWatch anomaly detection: the threshold is the band, so this is an L1 alarm.
        const alarm = new cloudwatch.CfnAlarm(this, name, {
          ...common,
          comparisonOperator: 'GreaterThanUpperThreshold',
          evaluationPeriods: signal.evaluation.evaluationPeriods,
          datapointsToAlarm: signal.evaluation.datapointsToAlarm,
          treatMissingData: signal.evaluation.treatMissingData,
          thresholdMetricId: 'band',
          metrics: [
            {
              id: 'm1',
              returnData: true,
              metricStat: {
                metric: {
                  namespace: metric.namespace,
                  metricName: metric.metricName,
                  dimensions: Object.entries(metric.dimensions ?? {}).map(([n, v]) => ({
                    name: n,
                    value: String(v),
                  })),
                },
                period: signal.evaluation.periodSeconds,
                stat: signal.metric.statistic,
              },
            },
            {
              id: 'band',
              expression: `ANOMALY_DETECTION_BAND(m1, ${signal.bandStandardDeviations})`,
              returnData: true,
            },
          ],
        });
        return cloudwatch.Alarm.fromAlarmArn(this, `${name}Ref`, alarm.attrArn);
      }
      default:
        throw new Error(`${name}: a ${signal.type} signal has no alarm of its own`);
    }
  }

  private thresholdAlarm(
    name: string,
    common: { alarmName: string; alarmDescription: string; actionsEnabled: boolean },
    metric: cloudwatch.IMetric,
    comparison: string,
    threshold: number,
    evaluation: AlarmEvaluation,
  ): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, name, {
      ...common,
      metric,
      threshold,
      comparisonOperator: COMPARISON[comparison],
      evaluationPeriods: evaluation.evaluationPeriods,
      datapointsToAlarm: evaluation.datapointsToAlarm,
      treatMissingData: MISSING[evaluation.treatMissingData],
    });
  }

  /** The connection alarm's threshold is a percentage of max_connections; others are absolute. */
  private threshold(name: string, value: number): number {
    return name === 'PostgreSQL_High_Connection_Usage'
      ? Math.floor((this.props.databaseMaxConnections * value) / 100)
      : value;
  }

  private metric(spec: MetricSpec, evaluation: AlarmEvaluation): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: spec.namespace,
      metricName: spec.metricName,
      dimensionsMap: Object.fromEntries(
        Object.entries(spec.dimensions).map(([n, target]) => [n, this.props.targets[target]]),
      ),
      statistic: spec.statistic,
      period: Duration.seconds(evaluation.periodSeconds),
    });
  }

  /** A metric from a workload's logs; its filter is created once, however many alarms read it. */
  private logMetric(spec: LogMetricSpec, evaluation: AlarmEvaluation): cloudwatch.Metric {
    const namespace = LOG_METRIC_NAMESPACES[spec.source];
    const key = `${spec.source}/${spec.metricName}`;
    if (!this.filters.has(key)) {
      this.filters.add(key);
      new logs.MetricFilter(this, `Filter-${spec.source}-${spec.metricName}`, {
        logGroup: this.props.logGroups[spec.source],
        filterPattern: logs.FilterPattern.literal(spec.filterPattern),
        metricNamespace: namespace,
        metricName: spec.metricName,
        metricValue: spec.value,
        // Counters report 0 rather than nothing when no line matches, so rates stay defined.
        ...(spec.value === '1' ? { defaultValue: 0 } : {}),
      });
    }
    return new cloudwatch.Metric({
      namespace,
      metricName: spec.metricName,
      statistic: spec.statistic,
      period: Duration.seconds(evaluation.periodSeconds),
    });
  }
}
