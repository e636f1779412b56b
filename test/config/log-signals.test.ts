import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AlertSignal, LogMetricSpec } from '../../lib/config/alert-schema';
import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import { contributorOf, matchesFilter, metricValueOf, type ContributorRule } from '../support/metric-filter';
import { startPostgres } from '../support/postgres';

/**
 * Every catalogue alarm that reads a log must fire on a line the deployed software really writes:
 * stock Odoo 18, n8n 1.122, RDS PostgreSQL, the influencegen_signals Odoo addon and the generation
 * workflow's Code node. test/fixtures/log-lines/<alert>.json holds each alert's real lines (with where
 * they come from) and near misses, each with the metrics it must produce; lines made by the project's
 * own code are made again here by running that code (python3, node), and PostgreSQL's by a real server.
 */

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'log-lines');

interface FixtureLine {
  readonly line: string;
  readonly what: string;
  readonly source: string;
  /** The command (run from the repository root) whose standard output contains the line. */
  readonly run?: readonly string[];
  /** Metric name -> the value the line publishes, or `contributor` -> the contributor it counts for. */
  readonly expect: Readonly<Record<string, number | readonly string[]>>;
}
interface Fixture {
  readonly alert: string;
  readonly lines: readonly FixtureLine[];
}

interface LogReaders {
  readonly name: string;
  readonly metrics: readonly LogMetricSpec[];
  readonly contributor?: ContributorRule & { readonly exampleLine: string };
}

/** The parts of a signal that read a log: metric-filter metrics and the Contributor Insights rule. */
function logReaders(name: string, signal: AlertSignal): LogReaders | undefined {
  switch (signal.type) {
    case 'log-metric':
      return { name, metrics: [signal.logMetric] };
    case 'metric-math': {
      const metrics = Object.values(signal.metrics).filter((m): m is LogMetricSpec => 'source' in m);
      return metrics.length > 0 ? { name, metrics } : undefined;
    }
    case 'contributor':
      return { name, metrics: [], contributor: signal };
    default:
      return undefined;
  }
}

const LOG_ALERTS: readonly LogReaders[] = [...ALERT_CATALOGUE, ...INTERNAL_ALARM_CATALOGUE].flatMap((a) => {
  const readers = logReaders(a.name, a.signal);
  return readers === undefined ? [] : [readers];
});

function fixtureOf(alert: string): Fixture {
  const file = path.join(FIXTURES, `${alert}.json`);
  if (!fs.existsSync(file)) throw new Error(`${alert} reads a log but has no fixture ${file}`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Fixture;
}

const outputs = new Map<string, string[]>();
/** The standard output lines of `command`, run once from the repository root. */
function outputOf(command: readonly string[]): string[] {
  const key = JSON.stringify(command);
  const cached = outputs.get(key);
  if (cached !== undefined) return cached;
  const [program, ...args] = command as [string, ...string[]];
  // `node` is the Node.js running the tests, whatever else PATH holds.
  const result = spawnSync(program === 'node' ? process.execPath : program, args, {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.error !== undefined) {
    throw new Error(
      `${program} could not be run (${result.error.message}): the ${program === 'python3' ? "Odoo addon's" : "n8n Code node's"} ` +
        `lines are produced by running its code, so ${program} must be installed and on PATH`,
    );
  }
  if (result.status !== 0)
    throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr}`);
  const lines = result.stdout.split('\n').filter((l) => l !== '');
  outputs.set(key, lines);
  return lines;
}

test('the catalogue has log-reading alerts and every one has a fixture; no fixture is left over', () => {
  expect(LOG_ALERTS.length).toBeGreaterThanOrEqual(13);
  const fixtures = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  expect(fixtures).toEqual(LOG_ALERTS.map((a) => a.name).sort());
});

test('python3 runs the Odoo addon and prints exactly the fixture lines that name it', () => {
  const command = ['python3', 'test/fixtures/log-lines/odoo-signal-lines.py'];
  const printed = outputOf(command);
  const recorded = LOG_ALERTS.flatMap((a) => fixtureOf(a.name).lines)
    .filter((l) => JSON.stringify(l.run) === JSON.stringify(command))
    .map((l) => l.line);
  // Both ways: no fixture line the addon does not print, no printed line without a fixture.
  expect([...new Set(recorded)].sort()).toEqual([...printed].sort());
  for (const line of printed) expect(() => JSON.parse(line)).not.toThrow();
});

describe.each(LOG_ALERTS.map((a) => [a.name, a] as const))('%s', (name, readers) => {
  const fixture = fixtureOf(name);

  test('its fixture names it and every line says where it comes from', () => {
    expect(fixture.alert).toBe(name);
    for (const line of fixture.lines) {
      expect(line.source.length).toBeGreaterThan(20);
      expect(line.what.length).toBeGreaterThan(5);
    }
  });

  const generated = fixture.lines.filter((l) => l.run !== undefined);
  if (generated.length > 0) {
    test('lines made by the project’s code are what that code prints today', () => {
      for (const line of generated) expect(outputOf(line.run as readonly string[])).toContain(line.line);
    });
  }

  for (const metric of readers.metrics) {
    const { metricName } = metric;
    test(`${metricName}: matches its real lines with their values, and no near miss`, () => {
      const matching = fixture.lines.filter((l) => metricName in l.expect);
      expect(matching.length).toBeGreaterThan(0);
      expect(fixture.lines.length).toBeGreaterThan(matching.length);
      for (const line of fixture.lines) {
        const expected = line.expect[metricName];
        const published = metricValueOf(metric.filterPattern, metric.value, line.line);
        if (expected === undefined) {
          expect({ what: line.what, matches: matchesFilter(metric.filterPattern, line.line) }).toEqual({
            what: line.what,
            matches: false,
          });
        } else {
          expect({ what: line.what, published }).toEqual({ what: line.what, published: expected });
          // A value taken from the line is the number written in it.
          if (metric.value !== '1') expect(line.line).toContain(String(expected));
        }
      }
      expect(matching.map((l) => l.line)).toContain(metric.exampleLine);
    });
  }

  if (readers.contributor !== undefined) {
    const rule = readers.contributor;
    test('its Contributor Insights rule counts its real lines under (ip, login), and no near miss', () => {
      expect(fixture.lines.some((l) => l.expect.contributor !== undefined)).toBe(true);
      for (const line of fixture.lines) {
        expect({ what: line.what, contributor: contributorOf(rule, line.line) }).toEqual({
          what: line.what,
          contributor: line.expect.contributor,
        });
      }
      expect(fixture.lines.filter((l) => l.expect.contributor !== undefined).map((l) => l.line)).toContain(
        rule.exampleLine,
      );
    });
  }
});

describe('PostgreSQL_Slow_Queries_Count against a real PostgreSQL', () => {
  // RDS for PostgreSQL's log_line_prefix (not modifiable on RDS); DataStack sets
  // log_min_duration_statement to 5000 ms, lowered here so the test sleeps 0.3 s, not 5.
  const settings = {
    log_line_prefix: '%t:%r:%u@%d:[%p]:',
    log_min_duration_statement: '200',
    log_timezone: 'UTC',
    lc_messages: 'C',
  };
  const slowQueries = ALERT_CATALOGUE.find((a) => a.name === 'PostgreSQL_Slow_Queries_Count');
  const spec = slowQueries?.signal.type === 'log-metric' ? slowQueries.signal.logMetric : undefined;
  const SHAPE =
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC:[\d.]+\(\d+\):\w+@\w+:\[\d+\]:LOG: {2}duration: \d+\.\d+ ms {2}statement: .+$/;

  test('counts the duration line of a slow statement once, and none of the server’s other lines', async () => {
    if (spec === undefined) throw new Error('PostgreSQL_Slow_Queries_Count is not a log-metric alert');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-log-'));
    const logFile = path.join(dir, 'postgresql.log');
    const pg = await startPostgres({ settings, logFile });
    try {
      await pg.sql('postgres', 'SELECT 1');
      await pg.sql('postgres', 'SELECT pg_sleep(0.3)');
    } finally {
      await pg.stop();
    }
    const lines = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    fs.rmSync(dir, { recursive: true, force: true });

    const matched = lines.filter((l) => matchesFilter(spec.filterPattern, l));
    expect(matched).toHaveLength(1);
    expect(matched[0]).toMatch(SHAPE);
    expect(matched[0]).toContain('statement: SELECT pg_sleep(0.3)');
    expect(lines.length).toBeGreaterThan(3);
    // The catalogue's example line is one such line, recorded with RDS's 5000 ms threshold.
    expect(spec.exampleLine).toMatch(SHAPE);
  });
});
