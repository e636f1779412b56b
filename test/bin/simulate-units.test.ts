import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../lib/config';
import { simulate } from '../../bin/ops/simulate';
import { defaultModel, jobsPerMinute } from '../../sim/run/model';
import {
  defaultUnitCapacity,
  toTwinLoad,
  twinLoadPerRequest,
  twinLoadUnit,
} from '../../sim/trace/trace-units';
import { ops } from './run-ops';

/**
 * `--unit-capacity R` is, for every component, the requests per minute one instance (an Odoo task,
 * an n8n worker, a GPU) serves at 100 % utilisation; for flux-gpu a request is one generation job.
 */
const prod = loadConfig({ envName: 'prod', region: 'eu-west-1' });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-units-'));

/** A flat trace: `perMinute` rows' worth each minute for `minutes` minutes from 09:00 UTC. */
function flatTrace(name: string, perMinute: number, minutes = 90): string {
  const file = path.join(dir, name);
  const rows = Array.from(
    { length: minutes },
    (_, i) => `${new Date(Date.UTC(2026, 10, 23, 9, i)).toISOString()},${perMinute}`,
  );
  fs.writeFileSync(file, ['time,requests', ...rows].join('\n'));
  return file;
}

describe('trace units (sim/trace/trace-units.ts)', () => {
  test('defaults: a GPU serves the config jobs per GPU per minute, an n8n worker 40, Odoo has none', () => {
    expect(prod.env.flux.jobsPerGpuPerMinute).toBe(4);
    expect(defaultUnitCapacity('flux-gpu', prod.env)).toBe(4);
    expect(defaultUnitCapacity('n8n', prod.env)).toBe(40);
    expect(defaultUnitCapacity('odoo', prod.env)).toBeUndefined();
  });

  test('flux-gpu: 8 jobs a minute at the default unit capacity are 8 jobs a minute in the twin', () => {
    expect(toTwinLoad('flux-gpu', [8, 8], 4, prod.env)).toEqual([8, 8]);
    expect(twinLoadPerRequest('flux-gpu', 4, prod.env)).toBe(1);
    expect(twinLoadUnit('flux-gpu', prod.env)).toMatch(/^generation jobs\/min/);
  });

  test('flux-gpu: with a unit capacity of 2, 8 requests a minute are 4 GPUs worth: 16 jobs a minute', () => {
    expect(toTwinLoad('flux-gpu', [8], 2, prod.env)).toEqual([16]);
  });

  test('n8n: 40 requests a minute at the default are one full worker, which the twin runs as 40 jobs a minute', () => {
    const [load] = toTwinLoad('n8n', [40], 40, prod.env);
    expect(load).toBe(1);
    const model = defaultModel('n8n', prod.components.n8n, prod.env);
    expect(model.queue && jobsPerMinute(model.queue, load ?? 0)).toBe(40);
  });

  test('odoo: the trace divided by the unit capacity, in tasks at 100 % CPU', () => {
    expect(toTwinLoad('odoo', [300, 100, 0], 100, prod.env)).toEqual([3, 1, 0]);
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a unit capacity of %p', (r) => {
    expect(() => toTwinLoad('odoo', [1], r, prod.env)).toThrow(RangeError);
  });
});

describe('ops simulate: the unit end to end', () => {
  test('a flux-gpu trace of 8 jobs a minute reaches the twin as 8 jobs a minute by default', async () => {
    const out = await simulate({
      trace: flatTrace('jobs.csv', 8),
      timeColumn: 'time',
      valueColumn: 'requests',
      component: 'flux-gpu',
      out: path.join(dir, 'jobs-default'),
      envName: 'prod',
    });
    expect(new Set(out.result.load)).toEqual(new Set([8]));
    expect(out.result.start).toBe(Date.UTC(2026, 10, 23, 9) / 1000);
    expect(out.profile).toEqual([
      'profile: prod (automatic scaling on; flux-gpu capacity 1..5; unit capacity 4 requests/min per instance)',
    ]);
    const summary = JSON.parse(fs.readFileSync(out.summary, 'utf8')) as { input: unknown };
    expect(summary.input).toMatchObject({
      minutes: 90,
      start: '2026-11-23T09:00:00.000Z',
      unitCapacity: { requestsPerMinutePerInstance: 4, default: true },
      twinLoad: { perRequestPerMinute: 1 },
    });
  });

  test('with a unit capacity of 2 the twin gets 16 jobs a minute (4 per GPU-minute x 8 / 2)', async () => {
    const out = await simulate({
      trace: flatTrace('jobs-2-in-process.csv', 8),
      timeColumn: 'time',
      valueColumn: 'requests',
      component: 'flux-gpu',
      unitCapacity: '2',
      out: path.join(dir, 'jobs-2-in-process'),
      envName: 'prod',
    });
    expect(new Set(out.result.load)).toEqual(new Set([16]));
  });

  test('the CLI states and records --unit-capacity 2 for that trace', () => {
    const out = path.join(dir, 'jobs-2');
    const r = ops(
      'simulate',
      '--trace',
      flatTrace('jobs-2.csv', 8),
      '--time-column',
      'time',
      '--value-column',
      'requests',
      '--component',
      'flux-gpu',
      '--unit-capacity',
      '2',
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // A report for people even when stdout is not a terminal (no --env: the prod profile).
    expect(r.stdout.split('\n')[0]).toBe(
      'profile: prod (automatic scaling on; flux-gpu capacity 1..5; unit capacity 2 requests/min per instance)',
    );
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
      input: { unitCapacity: unknown; twinLoad: { perRequestPerMinute: number } };
    };
    expect(summary.input.unitCapacity).toEqual({ requestsPerMinutePerInstance: 2, default: false });
    expect(8 * summary.input.twinLoad.perRequestPerMinute).toBe(16);
  });
});
