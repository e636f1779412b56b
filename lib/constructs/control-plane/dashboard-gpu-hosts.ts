import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { GPU_METRIC_NAMES, GPU_METRICS_NAMESPACE } from '../../config/gpu-metrics';
import { GRID, MINUTE } from './dashboard-grid';

type GpuMetric = keyof typeof GPU_METRIC_NAMES;

/**
 * Every GPU host of one Auto Scaling group, one line per host, for a GPU metric the CloudWatch
 * agent publishes (lib/constructs/workloads/gpu-agent-config.ts).
 *
 * A SEARCH expression rather than a metric per host: the hosts are not known at synth and they come
 * and go (scaling, the stalled-GPU workflow replacing one), so a fixed list would show hosts long
 * gone and miss new ones; the search finds every host that reported in the graph's time range (up to
 * two weeks back, 500 series at most). It is scoped to this environment's fleet by the
 * AutoScalingGroupName the agent appends: the agent's per-instance rollup ({InstanceId} alone)
 * carries no group, so it would also show the hosts of another environment in the same account and
 * region. The bare term `InstanceId` keeps the series that name a host and drops the fleet rollup
 * ({AutoScalingGroupName} alone). The agent also sends each GPU's index and model name, so a host
 * with several GPUs draws a line per GPU.
 */
function gpuHostSearch(
  autoScalingGroupName: string,
  metric: GpuMetric,
  statistic: 'Maximum' | 'Average',
  label: string,
): cloudwatch.SearchExpression {
  const terms = [
    `Namespace="${GPU_METRICS_NAMESPACE}"`,
    `MetricName="${GPU_METRIC_NAMES[metric]}"`,
    `AutoScalingGroupName="${autoScalingGroupName}"`,
    'InstanceId',
  ];
  return new cloudwatch.SearchExpression({
    expression: `SEARCH('${terms.join(' ')}', '${statistic}', ${MINUTE.toSeconds()})`,
    // A dynamic label: each line is named after its host.
    label: `\${PROP('Dim.InstanceId')} ${label}`,
    period: MINUTE,
  });
}

/** Per host: GPU utilisation, memory (the controller's utilisation and what is in use) and temperature. */
export function gpuHostWidgets(autoScalingGroupName: string): cloudwatch.GraphWidget[] {
  const search = (metric: GpuMetric, label: string) =>
    gpuHostSearch(autoScalingGroupName, metric, 'Maximum', label);
  return [
    new cloudwatch.GraphWidget({
      title: 'GPU utilisation per host (%)',
      width: GRID.third,
      left: [search('utilization', 'GPU %')],
      leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'GPU memory per host: controller busy (%) and in use (MiB)',
      width: GRID.third,
      left: [search('memoryUtilization', 'memory %')],
      right: [search('memoryUsed', 'MiB used')],
      leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
      rightYAxis: { min: 0, label: 'MiB', showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'GPU temperature per host (°C)',
      width: GRID.third,
      left: [search('temperature', '°C')],
      leftYAxis: { min: 0, label: '°C', showUnits: false },
    }),
  ];
}
