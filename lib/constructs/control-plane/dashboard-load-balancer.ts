import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { ComponentId } from '../../config/constants';
import { GRID, MINUTE, TAIL_PERCENTILE } from './dashboard-grid';

/** A target group of the ALB, named for the dashboard, with the workload it serves. */
export interface DashboardTargetGroup {
  readonly label: string;
  readonly component: ComponentId;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
}

/**
 * The front door as the load balancer sees it: requests, 5xx (its own and its targets'), the
 * slowest responses and the targets it can send to, one line per target group.
 */
export function loadBalancerWidgets(
  loadBalancer: elbv2.ApplicationLoadBalancer,
  targetGroups: readonly DashboardTargetGroup[],
): cloudwatch.GraphWidget[] {
  // Dimensioned as the catalogue's alarms are: the ALB's and the target group's full names (the
  // target groups' own metrics() would derive the ALB's name from their listener's ARN instead).
  const metric = (metricName: string, statistic: string, label: string, targetGroup?: DashboardTargetGroup) =>
    new cloudwatch.Metric({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensionsMap: {
        LoadBalancer: loadBalancer.loadBalancerFullName,
        ...(targetGroup ? { TargetGroup: targetGroup.targetGroup.targetGroupFullName } : {}),
      },
      statistic,
      period: MINUTE,
      label,
    });
  const each = (metricName: string, statistic: string, label: (t: DashboardTargetGroup) => string) =>
    targetGroups.map((t) => metric(metricName, statistic, label(t), t));
  return [
    new cloudwatch.GraphWidget({
      title: 'ALB requests per minute',
      width: GRID.quarter,
      left: [
        metric('RequestCount', 'Sum', 'all, redirects included'),
        ...each('RequestCount', 'Sum', (t) => t.label),
      ],
      leftYAxis: { min: 0, showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'ALB 5xx per minute: the ALB itself and each target group',
      width: GRID.quarter,
      left: [
        // No healthy target, a target timing out or closing the connection: answered by the ALB.
        metric('HTTPCode_ELB_5XX_Count', 'Sum', 'ALB 5xx'),
        ...each('HTTPCode_Target_5XX_Count', 'Sum', (t) => `${t.label} 5xx`),
      ],
      leftYAxis: { min: 0, showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: `Target response time ${TAIL_PERCENTILE} (s)`,
      width: GRID.quarter,
      left: each('TargetResponseTime', TAIL_PERCENTILE, (t) => t.label),
      leftYAxis: { min: 0, label: 's', showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'Targets healthy (left) and unhealthy (right)',
      width: GRID.quarter,
      left: each('HealthyHostCount', 'Minimum', (t) => `${t.label} healthy`),
      right: each('UnHealthyHostCount', 'Maximum', (t) => `${t.label} unhealthy`),
      leftYAxis: { min: 0, showUnits: false },
      rightYAxis: { min: 0, showUnits: false },
    }),
  ];
}
