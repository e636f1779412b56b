import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { FIVE_MINUTES, GRID, MINUTE } from './dashboard-grid';

/**
 * The RDS instance: CPU and connections, storage, disk latency and queue, memory and swap. RDS
 * publishes these every minute; latency is the average time per disk operation.
 */
export function databaseWidgets(database: rds.IDatabaseInstance): cloudwatch.GraphWidget[] {
  const perMinute = (metricName: string, statistic: string, label: string) =>
    database.metric(metricName, { period: MINUTE, statistic, label });
  return [
    new cloudwatch.GraphWidget({
      title: 'PostgreSQL: CPU and connections',
      width: GRID.quarter,
      left: [database.metricCPUUtilization({ period: MINUTE, label: 'CPU %' })],
      right: [
        database.metricDatabaseConnections({ period: MINUTE, statistic: 'Maximum', label: 'connections' }),
      ],
      leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
      rightYAxis: { min: 0, showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'PostgreSQL: read and write latency (s), disk queue',
      width: GRID.quarter,
      left: [
        perMinute('ReadLatency', 'Average', 'read latency'),
        perMinute('WriteLatency', 'Average', 'write latency'),
      ],
      right: [perMinute('DiskQueueDepth', 'Maximum', 'disk queue')],
      leftYAxis: { min: 0, label: 's', showUnits: false },
      rightYAxis: { min: 0, showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'PostgreSQL: freeable memory and swap',
      width: GRID.quarter,
      left: [
        database.metricFreeableMemory({ period: MINUTE, statistic: 'Minimum', label: 'freeable memory' }),
      ],
      right: [perMinute('SwapUsage', 'Maximum', 'swap in use')],
      leftYAxis: { min: 0 },
      rightYAxis: { min: 0 },
    }),
    new cloudwatch.GraphWidget({
      title: 'PostgreSQL: free storage',
      width: GRID.quarter,
      left: [
        database.metricFreeStorageSpace({ period: FIVE_MINUTES, statistic: 'Minimum', label: 'free bytes' }),
      ],
      leftYAxis: { min: 0 },
    }),
  ];
}
