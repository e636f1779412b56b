import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../lib/config';
import { ops } from '../bin/run-ops';
import { METRIC_KEYS } from '../../sim/run/run-policy';
import { simulateComponent, type ComponentResult } from '../../sim/run/simulate';
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
  /** A counts-per-minute trace of `file` for Odoo, without the unit capacity. */
  const odooTrace = (file: string) => [
    '--trace',
    file,
    '--time-column',
    'time',
    '--value-column',
    'requests',
    '--component',
    'odoo',
  ];
  const odoo = (out: string, ...more: string[]) => [
    'simulate',
    ...odooTrace(counts()),
    '--unit-capacity',
    '100',
    '--out',
    out,
    ...more,
  ];
  const readSummary = (out: string) =>
    JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
      component: string;
      steps: number;
      profile: {
        env: string;
        capacity: { min: number; max: number };
        automaticScaling: boolean;
        note?: string;
      };
      policies: Record<string, Record<string, unknown>>;
      frontier?: Record<string, { target: number }[]>;
      oracle?: Record<string, unknown>;
    };

  test('replays a counts-per-minute CSV and writes summary.json and report.html', () => {
    const out = path.join(dir, 'out');
    const r = ops(...odoo(out));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = readSummary(out);
    expect(summary).toMatchObject({ component: 'odoo', steps: 180 });
    expect(Object.keys(summary.policies)).toEqual(['control-plane', 'target-tracking', 'step-seed', 'hpa']);
    expect(Object.keys(summary.policies['control-plane'] ?? {})).toEqual(
      expect.arrayContaining([...METRIC_KEYS, 'controlPlaneCostPerMonthUsd']),
    );
    expect(summary.frontier).toBeUndefined();
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<svg class="chart"');
  });

  test('uses the prod profile unless --env says otherwise, and prints it before the table', () => {
    const out = path.join(dir, 'default-profile');
    const r = ops(...odoo(out));
    expect(r.status).toBe(0);
    const [first, second] = r.stdout.split('\n');
    expect(first).toBe(
      'profile: prod (automatic scaling on; odoo capacity 2..10; unit capacity 100 requests/min per instance)',
    );
    expect(second).toBe('');
    expect(r.stdout).not.toMatch(/^note:/m);
    expect(readSummary(out).profile).toEqual({
      env: 'prod',
      capacity: { min: 2, max: 10 },
      automaticScaling: true,
    });
  });

  test('--env dev says in one line, and in summary.json, that automatic scaling is off', () => {
    const out = path.join(dir, 'dev-profile');
    const r = ops(...odoo(out, '--env', 'dev'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [profile, note] = r.stdout.split('\n');
    expect(profile).toBe(
      'profile: dev (automatic scaling off; odoo capacity 2..2; unit capacity 100 requests/min per instance)',
    );
    expect(note).toMatch(/^note: automatic scaling is off in dev: .*odoo.*--env prod or staging/);
    const summary = readSummary(out);
    expect(summary.profile).toMatchObject({ env: 'dev', automaticScaling: false });
    expect(note).toBe(`note: ${summary.profile.note}`);
  });

  test('--frontier adds the swept baselines and the oracle to summary.json', () => {
    const out = path.join(dir, 'frontier');
    const r = ops(...odoo(out, '--frontier'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = readSummary(out);
    expect(Object.keys(summary.frontier ?? {})).toEqual(['target-tracking', 'hpa']);
    expect(summary.frontier?.['target-tracking']?.map((p) => Math.round(p.target * 100))).toEqual([
      40, 45, 50, 55, 60, 65, 70, 75, 80, 85,
    ]);
    expect(Object.keys(summary.oracle ?? {})).toEqual(expect.arrayContaining(METRIC_KEYS));
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
    expect(r.stdout).toMatch(/^profile: prod \(.*; unit capacity 40 requests\/min per instance\)$/m);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { steps: number };
    expect(summary.steps).toBe(30);
  });

  test('a window that holds no rows fails naming it and writes nothing', () => {
    const out = path.join(dir, 'never-written');
    const r = ops(...odoo(out, '--from', '2027-01-01T00:00:00Z'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no rows left after filtering from 2027-01-01T00:00:00Z/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test.each<[string, () => string[], RegExp]>([
    [
      'a missing column',
      () => ['--trace', counts(), '--time-column', 'when', '--component', 'odoo', '--unit-capacity', '100'],
      /time column "?when"?/,
    ],
    [
      'an unparsable time',
      () => [...odooTrace(write('bad-time.csv', 'time,requests\nyesterday,4\n')), '--unit-capacity', '100'],
      /yesterday/,
    ],
    [
      'an empty file',
      () => [
        '--trace',
        write('empty.csv', ''),
        '--time-column',
        'time',
        '--component',
        'odoo',
        '--unit-capacity',
        '100',
      ],
      /empty|no header|no rows/i,
    ],
    [
      'an unknown component',
      () => ['--trace', counts(), '--time-column', 'time', '--component', 'kafka'],
      /--component: kafka is not one of/,
    ],
    ['odoo without a unit capacity', () => odooTrace(counts()), /^ops: --unit-capacity: required for odoo/],
    [
      'a unit capacity that is not a positive number',
      () => ['--trace', counts(), '--time-column', 'time', '--component', 'n8n', '--unit-capacity', '0'],
      /^ops: --unit-capacity: 0 is not a positive number/,
    ],
    [
      'an unknown environment',
      () => ['--trace', counts(), '--time-column', 'time', '--component', 'n8n', '--env', 'qa'],
      /^ops: --env: qa is not one of/,
    ],
  ])('%s exits with 2 and one clear line', (_name, args, message) => {
    const out = path.join(dir, 'failed');
    const r = ops('simulate', ...args(), '--out', out);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('--help states the unit, the default per component, the default profile and --frontier', () => {
    const r = ops('simulate', '--help');
    expect(r.status).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    expect(help).toContain(
      '--unit-capacity R requests per minute one instance (an Odoo task, an n8n worker, a GPU) serves at 100 % utilisation',
    );
    expect(help).toContain('Defaults: odoo none (required: measure it); n8n 40');
    expect(help).toContain(
      "flux-gpu 4 (the config's jobs per GPU per minute, a request being one generation job)",
    );
    expect(help).toContain('(default prod;');
    expect(help).toContain('--frontier also run target tracking and the HPA at targets 40, 45, ..., 85 %');
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

  test('the flash crowd trips no runaway pause: a ramp the load justifies never reverses', () => {
    const { timeline } = odoo.runs['control-plane'];
    expect(timeline.filter((e) => e.kind === 'pause')).toEqual([]);
    // It did follow the crowd: several scale-outs between 11:00 and 11:45.
    const crowd = timeline.filter((e) => e.kind === 'scale' && e.time >= 11 * 3600 && e.time < 11.75 * 3600);
    expect(crowd.length).toBeGreaterThanOrEqual(2);
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
