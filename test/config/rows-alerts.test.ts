import * as fs from 'node:fs';
import * as path from 'node:path';
import { AlertDefinitionSchema } from '../../lib/config/alert-schema';
import { ALERT_CATALOGUE, composeAlerts } from '../../lib/config/alerts';
import { ROWS_RUNTIME_ALERTS } from '../../lib/config/rows-alerts';
import {
  ACCESS_DENIED_ALERT,
  ACCESS_DENIED_LINES,
  ROWS_ALERT_INFRASTRUCTURE,
  WAL_RETAINED_ALERT_BYTES,
} from '../../lib/config/rows-alerts-infrastructure';
import { matchesFilter, metricValueOf } from '../support/metric-filter';
import { resourcesOf, synthPlatform } from '../infra/synth';

/**
 * Two catalogue gaps of seed 004 (issue 19), as the halves the lead splices into the catalogue:
 * PostgreSQL_Replication_Lag on a metric the database's topology publishes, and unauthorised
 * access attempts on a line stock Odoo 18 writes.
 */

const ROOT = path.join(__dirname, '..', '..');
const composed = composeAlerts(ROWS_RUNTIME_ALERTS, ROWS_ALERT_INFRASTRUCTURE);
const byName = (name: string) => composed.alerts.find((a) => a.name === name);

describe('the two halves', () => {
  test('compose without problems into valid catalogue entries, each in the catalogue once, each with its runbook', () => {
    expect(composed.problems).toEqual([]);
    expect(composed.alerts.map((a) => a.name)).toEqual([
      'PostgreSQL_Replication_Lag',
      'Unauthorized_Access_Attempts',
    ]);
    for (const alert of composed.alerts) {
      expect(AlertDefinitionSchema.safeParse(alert).error).toBeUndefined();
      expect(ALERT_CATALOGUE.filter((a) => a.name === alert.name)).toEqual([alert]);
      expect(fs.existsSync(path.join(ROOT, alert.runbook))).toBe(true);
    }
  });

  test("seed 004's severities and routing: replication lag High in db_performance; access attempts High, security, never held by maintenance", () => {
    expect(byName('PostgreSQL_Replication_Lag')).toMatchObject({
      severity: 'High',
      component: 'postgresql',
      correlationGroup: 'db_performance',
      security: false,
    });
    expect(byName('Unauthorized_Access_Attempts')).toMatchObject({
      severity: 'High',
      component: 'security',
      correlationGroup: 'security_incidents',
      security: true,
      suppressedByMaintenance: false,
    });
  });
});

describe('PostgreSQL_Replication_Lag reads a metric the deployed topology publishes', () => {
  test('the database is one Multi-AZ DB instance (no cluster, no read replica): ReplicaLag would never arrive', () => {
    const data = synthPlatform('prod').data;
    expect(Object.keys(resourcesOf(data, 'AWS::RDS::DBCluster'))).toEqual([]);
    const instances = Object.values(resourcesOf(data, 'AWS::RDS::DBInstance'));
    expect(instances).toHaveLength(1);
    expect(instances[0]?.Properties).toMatchObject({ Engine: 'postgres', MultiAZ: true });
    expect(instances[0]?.Properties?.SourceDBInstanceIdentifier).toBeUndefined();
  });

  test('so it alarms on the WAL held on the instance (TransactionLogsDiskUsage, every RDS PostgreSQL publishes it)', () => {
    const signal = byName('PostgreSQL_Replication_Lag')?.signal;
    expect(signal).toMatchObject({
      type: 'metric',
      metric: {
        namespace: 'AWS/RDS',
        metricName: 'TransactionLogsDiskUsage',
        dimensions: { DBInstanceIdentifier: 'database' },
        statistic: 'Maximum',
      },
      comparison: '>',
      threshold: 10 * 1024 ** 3,
      evaluation: { periodSeconds: 60, evaluationPeriods: 10, datapointsToAlarm: 10 },
    });
    // Above RDS for PostgreSQL 16's default max_wal_size (2 GiB), and well under every environment's disk.
    expect(WAL_RETAINED_ALERT_BYTES).toBeGreaterThan(2 * 1024 ** 3);
  });
});

describe('Unauthorized_Access_Attempts counts the refusals stock Odoo 18 logs', () => {
  const fixture = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'test/fixtures/log-lines/Unauthorized_Access_Attempts.json'), 'utf8'),
  ) as { alert: string; lines: Array<{ line: string; expect: Record<string, number> }> };
  const signal = byName('Unauthorized_Access_Attempts')?.signal;
  if (signal?.type !== 'log-metric') throw new Error('a log-metric alert');
  const { filterPattern, value, metricName } = signal.logMetric;

  test.each(fixture.lines.map((l) => [l.line, l.expect] as const))('%s', (line, expected) => {
    const counted = matchesFilter(filterPattern, line)
      ? metricValueOf(filterPattern, value, line)
      : undefined;
    expect(counted === undefined ? {} : { [metricName]: counted }).toEqual(expected);
  });

  test('it alarms on more than 20 in one 15-minute period, the figures its description and condition give', () => {
    expect(signal).toMatchObject({
      comparison: '>',
      threshold: ACCESS_DENIED_ALERT.refusals,
      evaluation: { periodSeconds: ACCESS_DENIED_ALERT.windowSeconds, evaluationPeriods: 1 },
    });
    const { refusals, windowSeconds } = ACCESS_DENIED_ALERT;
    const alert = byName('Unauthorized_Access_Attempts');
    expect(alert?.condition).toContain(`> ${refusals} in ${windowSeconds / 60} minutes`);
    expect(alert?.description).toContain(`more than ${refusals} operations in ${windowSeconds / 60} minutes`);
  });

  test('the example line is one of them, and both kinds of refusal count', () => {
    expect(fixture.alert).toBe('Unauthorized_Access_Attempts');
    expect(signal.logMetric.exampleLine).toBe(ACCESS_DENIED_LINES.rule);
    expect(fixture.lines.map((l) => l.line)).toEqual(
      expect.arrayContaining([ACCESS_DENIED_LINES.acl, ACCESS_DENIED_LINES.rule]),
    );
  });
});
