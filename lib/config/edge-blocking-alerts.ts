import type { AlertInfrastructure } from './alerts';
import { EDGE_METRICS } from './edge-blocking-metrics';

/** The alarms of the edge-block detector's alerts (their runtime half: lib/config/edge-blocking-alert-runtime.ts). */
export const EDGE_CATALOGUE_INFRASTRUCTURE: Readonly<Record<string, AlertInfrastructure>> = {
  Multiple_Admin_Failed_Logins_Different_Accounts_Same_IP: {
    signal: {
      type: 'metric',
      metric: {
        namespace: EDGE_METRICS.namespace,
        metricName: EDGE_METRICS.maxDistinctAdmins,
        dimensions: {},
        statistic: 'Maximum',
      },
      comparison: '>',
      threshold: 3,
      // One datapoint per run (every 5 minutes), each over the last 15 minutes of the log.
      evaluation: {
        periodSeconds: 300,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'notBreaching',
      },
    },
    source: 'seed 004 Compound Conditions: Admin_Account_Brute_Force_Suspected (second condition)',
  },
  Edge_Blocking_Detector_Failing: {
    signal: {
      type: 'metric',
      metric: {
        namespace: EDGE_METRICS.namespace,
        metricName: EDGE_METRICS.failures,
        dimensions: {},
        statistic: 'Sum',
      },
      comparison: '>=',
      threshold: 3,
      evaluation: {
        periodSeconds: 900,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'notBreaching',
      },
    },
    source:
      'seed 004 "monitor the monitor"; issue 19 edge blocking (a failing query or WAF update ends in a page)',
  },
};
