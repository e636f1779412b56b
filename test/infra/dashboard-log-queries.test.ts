import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogMetricSpec, LogSource } from '../../lib/config/alert-schema';
import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import { LOG_SOURCES } from '../../lib/config/constants';
import { WORKLOAD_ERROR_LINES } from '../../lib/constructs/control-plane/dashboard-log-queries';

/**
 * The newest-errors tables of the workload logs show what the catalogue counts as an error or a
 * failure and nothing it counts as a success: every real line in test/fixtures/log-lines that an
 * error or failure metric counts matches its log's pattern, and no line that only calls, latency or
 * slow-statement metrics count does.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'log-lines');

interface Fixture {
  readonly alert: string;
  readonly lines: ReadonlyArray<{
    readonly line: string;
    readonly expect: Readonly<Record<string, unknown>>;
  }>;
}

/** The catalogue's log metrics by name: which log each one reads. */
const LOG_METRICS = new Map<string, LogMetricSpec>(
  [...ALERT_CATALOGUE, ...INTERNAL_ALARM_CATALOGUE]
    .flatMap((a) =>
      a.signal.type === 'log-metric'
        ? [a.signal.logMetric]
        : a.signal.type === 'metric-math'
          ? Object.values(a.signal.metrics).filter((m): m is LogMetricSpec => 'source' in m)
          : [],
    )
    .map((m) => [m.metricName, m]),
);
const isFailure = (metricName: string) => /(Errors|Failures)$/.test(metricName);

/** Every fixture line with the catalogue metrics (of any fixture) that count it, by log. */
function countedLines(): Array<{ source: LogSource; line: string; metrics: string[] }> {
  const byLine = new Map<string, { source: LogSource; metrics: Set<string> }>();
  for (const file of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Fixture;
    for (const { line, expect: counts } of fixture.lines)
      for (const name of Object.keys(counts)) {
        const metric = LOG_METRICS.get(name);
        if (!metric) continue; // a contributor rule's key
        const entry = byLine.get(line) ?? { source: metric.source, metrics: new Set<string>() };
        entry.metrics.add(name);
        byLine.set(line, entry);
      }
  }
  return [...byLine].map(([line, { source, metrics }]) => ({ source, line, metrics: [...metrics] }));
}

const matches = (source: LogSource, line: string) =>
  new RegExp(WORKLOAD_ERROR_LINES[source].source).test(line);

describe('the workload error patterns of the newest-errors tables', () => {
  const lines = countedLines();

  test('match every line an error or failure metric of the catalogue counts', () => {
    const failures = lines.filter((l) => l.metrics.some(isFailure));
    expect(new Set(failures.map((l) => l.source))).toEqual(new Set(['odoo', 'n8n']));
    expect(failures.filter((l) => !matches(l.source, l.line)).map((l) => `${l.source}: ${l.line}`)).toEqual(
      [],
    );
  });

  test('match no line that only calls, latency or slow-statement metrics count', () => {
    const successes = lines.filter((l) => !l.metrics.some(isFailure));
    expect(new Set(successes.map((l) => l.source))).toEqual(new Set(['odoo', 'n8n', 'postgresql']));
    expect(successes.filter((l) => matches(l.source, l.line)).map((l) => `${l.source}: ${l.line}`)).toEqual(
      [],
    );
  });

  test("match the logs' own error levels", () => {
    // Odoo's format (odoo/netsvc.py), an ERROR record of odoo.sql_db from the fixtures.
    expect(
      matches('odoo', '2026-11-23 10:00:07,031 27 ERROR influencegen odoo.sql_db: bad query: SELECT 1/0'),
    ).toBe(true);
    expect(matches('odoo', 'Traceback (most recent call last):')).toBe(true);
    // RDS PostgreSQL's log_line_prefix `%t:%r:%u@%d:[%p]:`, as in the slow-statement fixture.
    const prefix = '2026-12-03 14:51:18 UTC:127.0.0.1(60222):odoo@influencegen:[12800]:';
    expect(matches('postgresql', `${prefix}ERROR:  relation "res_partner_x" does not exist`)).toBe(true);
    expect(matches('postgresql', `${prefix}FATAL:  password authentication failed for user "odoo"`)).toBe(
      true,
    );
    expect(matches('postgresql', `${prefix}LOG:  checkpoint complete`)).toBe(false);
    expect(matches('flux-gpu', 'Traceback (most recent call last):')).toBe(true);
  });

  test('are plain regular expressions a Logs Insights `like /.../` can hold', () => {
    for (const source of LOG_SOURCES) {
      const pattern = WORKLOAD_ERROR_LINES[source];
      expect([source, pattern.flags, pattern.source.includes('/')]).toEqual([source, '', false]);
    }
  });
});
