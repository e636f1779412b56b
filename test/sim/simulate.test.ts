import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../lib/config';
import { ops } from '../bin/run-ops';
import { METRIC_KEYS } from '../../sim/run/run-policy';
import { simulateComponent, type ComponentResult } from '../../sim/run/simulate';
import { OPERATOR_RESUME_SECONDS } from '../../sim/policies/control-plane-workflows';
import { generationDay, odooDay } from '../../sim/run/scenario';

describe('simulation summary', () => {
  test('has every policy with the SPEC-RG metrics, and the control plane its own monthly cost', async () => {
    const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
    const { summary } = await simulateComponent(config, 'odoo', odooDay());
    expect(summary.component).toBe('odoo');
    expect(summary.steps).toBe(1440);
    expect(Object.keys(summary.policies)).toEqual(['control-plane', 'target-tracking', 'step-seed', 'hpa']);
    for (const metrics of Object.values(summary.policies))
      expect(Object.keys(metrics)).toEqual(expect.arrayContaining(METRIC_KEYS));
    expect(summary.policies['control-plane'].controlPlaneCostPerMonthUsd).toBeGreaterThan(0);
  });
});

describe('ops simulate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const counts = () => {
    const rows = Array.from(
      { length: 180 },
      (_, i) => `${new Date(Date.UTC(2026, 10, 23, 9, i)).toISOString()},${i > 60 && i < 120 ? 300 : 100}`,
    );
    return write('requests.csv', ['time,requests', ...rows].join('\n'));
  };

  test('replays a counts-per-minute CSV and writes summary.json and report.html', () => {
    const out = path.join(dir, 'out');
    const r = ops(
      'simulate',
      '--trace',
      counts(),
      '--time-column',
      'time',
      '--value-column',
      'requests',
      '--component',
      'odoo',
      '--unit-capacity',
      '100',
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
      component: string;
      steps: number;
      policies: Record<string, Record<string, unknown>>;
    };
    expect(summary).toMatchObject({ component: 'odoo', steps: 180 });
    expect(Object.keys(summary.policies)).toEqual(['control-plane', 'target-tracking', 'step-seed', 'hpa']);
    expect(Object.keys(summary.policies['control-plane'] ?? {})).toEqual(
      expect.arrayContaining([...METRIC_KEYS, 'controlPlaneCostPerMonthUsd']),
    );
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<svg class="chart"');
  });

  test('counts one row per request when no value column is given', () => {
    const out = path.join(dir, 'per-request');
    const rows = Array.from({ length: 600 }, (_, i) =>
      new Date(Date.UTC(2026, 10, 23, 9, Math.floor(i / 20), i % 20)).toISOString(),
    );
    const trace = write('per-request.csv', ['at', ...rows].join('\n'));
    const r = ops('simulate', '--trace', trace, '--time-column', 'at', '--component', 'n8n', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { steps: number };
    expect(summary.steps).toBe(30);
  });

  test('a window that holds no rows fails naming it and writes nothing', () => {
    const out = path.join(dir, 'never-written');
    const r = ops(
      'simulate',
      '--trace',
      counts(),
      '--time-column',
      'time',
      '--value-column',
      'requests',
      '--component',
      'odoo',
      '--from',
      '2027-01-01T00:00:00Z',
      '--out',
      out,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no rows left after filtering from 2027-01-01T00:00:00Z/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test.each<[string, () => string[], RegExp]>([
    [
      'a missing column',
      () => ['--trace', counts(), '--time-column', 'when', '--component', 'odoo'],
      /time column "?when"?/,
    ],
    [
      'an unparsable time',
      () => [
        '--trace',
        write('bad-time.csv', 'time,requests\nyesterday,4\n'),
        '--time-column',
        'time',
        '--value-column',
        'requests',
        '--component',
        'odoo',
      ],
      /yesterday/,
    ],
    [
      'an empty file',
      () => ['--trace', write('empty.csv', ''), '--time-column', 'time', '--component', 'odoo'],
      /empty|no header|no rows/i,
    ],
    [
      'an unknown component',
      () => ['--trace', counts(), '--time-column', 'time', '--component', 'kafka'],
      /--component: kafka is not one of/,
    ],
  ])('%s exits with 2 and one clear line', (_name, args, message) => {
    const r = ops('simulate', ...args());
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('control plane timeline', () => {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  let odoo: ComponentResult;
  let gpu: ComponentResult;
  beforeAll(async () => {
    odoo = await simulateComponent(config, 'odoo', odooDay());
    gpu = await simulateComponent(config, 'flux-gpu', generationDay());
  });

  test('after the flash crowd, runaway protection pauses Odoo; nothing scales until the assumed operator resumes', () => {
    const { timeline } = odoo.runs['control-plane'];
    const pause = timeline.find((e) => e.kind === 'pause');
    const resume = timeline.find((e) => e.kind === 'resume');
    expect(pause).toBeDefined();
    expect(timeline).toContainEqual(
      expect.objectContaining({
        kind: 'escalate',
        time: pause?.time,
        text: expect.stringMatching(/^Scaling_Runaway_Paused/),
      }),
    );
    expect((resume?.time ?? 0) - (pause?.time ?? 0)).toBeGreaterThanOrEqual(OPERATOR_RESUME_SECONDS);
    expect(
      timeline.filter(
        (e) => e.kind === 'scale' && e.time > (pause?.time ?? 0) && e.time < (resume?.time ?? 0),
      ),
    ).toEqual([]);
  });

  test('the GPU burst beyond the fleet maximum escalates Max_Instances_Reached', () => {
    const { timeline } = gpu.runs['control-plane'];
    expect(timeline).toContainEqual(
      expect.objectContaining({
        kind: 'escalate',
        text: expect.stringMatching(/^Max_Instances_Reached: flux-gpu/),
      }),
    );
  });

  test('the baselines keep no timeline: they page nobody', () => {
    const { runs } = odoo;
    expect(runs['target-tracking'].timeline).toEqual([]);
  });
});
