import { catalogueSchemaProblems } from '../../lib/config';
import { ALERT_CATALOGUE, catalogueProblems, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import { ESCALATION_PATHS, SECURITY_CHANNELS, SEVERITY_CHANNELS } from '../../lib/config/escalation';
import { n8nQueueMetric } from '../../lib/config/n8n';
import { scalingQueries } from '../../lambdas/core/scaling/queries';

describe('the alert catalogue', () => {
  test('validates against its schema and its cross-entry rules', () => {
    expect(catalogueSchemaProblems()).toEqual([]);
    expect(catalogueProblems(ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE)).toEqual([]);
  });

  test("holds every alert of seed 004's project-specific configuration with its severity", () => {
    const severity = Object.fromEntries(ALERT_CATALOGUE.map((a) => [a.name, a.severity]));
    expect(severity).toMatchObject({
      High_Odoo_N8N_API_Error_Rate: 'High',
      High_N8N_AI_Service_API_Error_Rate: 'Critical',
      High_N8N_Odoo_Callback_Error_Rate: 'Critical',
      High_AI_Image_Generation_P95_Latency: 'High',
      Odoo_Server_High_CPU: 'High',
      Odoo_Server_Low_Disk_Space: 'Critical',
      PostgreSQL_High_Connection_Usage: 'High',
      Odoo_Backup_Failure: 'Critical',
      KYC_Service_Outage: 'High',
      Admin_Account_Multiple_Failed_Logins: 'Critical',
      AI_Service_Stalled: 'Critical',
    });
  });

  test('seed 004 parent/child and topology rules', () => {
    const parent = Object.fromEntries(ALERT_CATALOGUE.filter((a) => a.parent).map((a) => [a.name, a.parent]));
    expect(parent).toEqual({
      AI_Image_Generation_Failure_Rate: 'High_N8N_AI_Service_API_Error_Rate',
      N8N_Workflow_Queue_Length: 'High_N8N_AI_Service_API_Error_Rate',
      Odoo_Database_Connection_Errors: 'PostgreSQL_Unavailable',
    });
  });

  test('security and backup alerts are never suppressed by maintenance', () => {
    for (const a of ALERT_CATALOGUE.filter((x) => x.security || x.kind === 'backup'))
      expect(a.suppressedByMaintenance).toBe(false);
  });

  test.each<[string, (a: (typeof ALERT_CATALOGUE)[number]) => unknown, RegExp]>([
    ['a missing parent', (a) => ({ ...a, parent: 'Nope' }), /parent: Nope is not in the catalogue/],
    [
      'a suppressible security alert',
      (a) => ({ ...a, security: true, suppressedByMaintenance: true }),
      /never suppressed by a maintenance window/,
    ],
    [
      'confirmations without a window',
      (a) => ({ ...a, confirmation: { count: 3, windowMinutes: 0 } }),
      /more than one confirmation needs a window/,
    ],
  ])('%s is refused', (_name, mutate, message) => {
    const [first, ...rest] = ALERT_CATALOGUE;
    const alerts = [mutate(first as (typeof ALERT_CATALOGUE)[number]), ...rest] as typeof ALERT_CATALOGUE;
    expect(catalogueProblems(alerts, INTERNAL_ALARM_CATALOGUE).join('\n')).toMatch(message);
  });

  test('a schema violation names the alert and the field', () => {
    const [first] = ALERT_CATALOGUE;
    expect(catalogueSchemaProblems([{ ...first, runbook: 'docs/x.txt' }], [])).toEqual([
      `alerts.${first?.name}.runbook: must be runbooks/<name>.md`,
    ]);
  });
});

describe("n8n's queue scale alarms", () => {
  test('read jobs waiting plus running per running worker, the metric math the plan reads too', () => {
    const alarm = ALERT_CATALOGUE.find((a) => a.name === 'Scale_n8n_queue_high');
    expect(alarm).toMatchObject({ kind: 'scale', component: 'n8n', severity: 'Low' });
    expect(alarm?.signal).toEqual({
      type: 'metric-math',
      expression: '(waiting + active) / MAX([tasks, 1])',
      metrics: {
        waiting: n8nQueueMetric('waiting', 'Maximum'),
        active: n8nQueueMetric('active', 'Maximum'),
        tasks: {
          namespace: 'ECS/ContainerInsights',
          metricName: 'RunningTaskCount',
          dimensions: { ClusterName: 'cluster', ServiceName: 'service:n8n' },
          statistic: 'Average',
        },
      },
      comparison: '>',
      threshold: 7,
      evaluation: {
        periodSeconds: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: 'missing',
      },
    });
    const plan = scalingQueries('n8n', {
      cluster: 'c',
      services: { odoo: 'o', n8n: 'workers', 'flux-gpu': 'f' },
      queue: 'q',
      loadBalancer: 'lb',
      targetGroup: 'tg',
      database: 'db',
    });
    const id = plan.signals['workflow-queue-per-worker'];
    expect(plan.queries.find((q) => q.Id === id)?.Expression).toBe(
      alarm?.signal.type === 'metric-math' ? alarm.signal.expression : undefined,
    );
    expect(plan.queries.find((q) => q.Id === 'waiting')?.MetricStat?.Metric).toEqual({
      Namespace: 'InfluenceGen/N8n',
      MetricName: 'n8n_scaling_mode_queue_jobs_waiting',
      Dimensions: [{ Name: 'ServiceName', Value: 'workers' }],
    });
    expect(ALERT_CATALOGUE.find((a) => a.name === 'Scale_n8n_queue_low')?.signal).toMatchObject({
      comparison: '<=',
      threshold: 3,
    });
  });
});

describe("seed 004's routing and escalation", () => {
  test('channels by severity, and the security channels', () => {
    expect(SEVERITY_CHANNELS).toEqual({
      Critical: ['pagerduty', 'sms', 'slack', 'email'],
      High: ['pagerduty', 'slack', 'email'],
      Medium: ['slack', 'email'],
      Low: ['email'],
    });
    expect(SECURITY_CHANNELS).toEqual(['pagerduty-security', 'slack-security', 'email-security']);
  });

  test('Critical: L0 now, L1 at 15, L2 at 30, ultimate at 45 (3 escalations), comment required; High: L1 at 30, at most 2', () => {
    expect(
      [...ESCALATION_PATHS.Critical.levels, ESCALATION_PATHS.Critical.ultimate].map((l) => l.afterMinutes),
    ).toEqual([0, 15, 30, 45]);
    expect(ESCALATION_PATHS.Critical.acknowledgementRequiresComment).toBe(true);
    expect(
      [...ESCALATION_PATHS.High.levels, ESCALATION_PATHS.High.ultimate].map((l) => l.afterMinutes),
    ).toEqual([0, 30, 60]);
    expect(ESCALATION_PATHS.High.acknowledgementRequiresComment).toBe(false);
    expect(ESCALATION_PATHS.Medium.requiresAcknowledgement).toBe(false);
  });
});
