import { loadConfig } from '../../lib/config';
import type { ComponentId } from '../../lib/config/constants';
import { defaultModel } from '../../sim/run/model';
import { instancesNeeded } from '../../sim/run/run-policy';
import type { Scenario } from '../../sim/run/scenario';
import {
  CROWDS,
  GPU_BURSTS,
  MINUTES_PER_WEEK,
  officeHours,
  SERVABLE,
  syntheticScenarios,
} from '../../sim/scenarios/synthetic';
import { GenerationBacklog } from '../../sim/twin/load';

const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
const scenarios = syntheticScenarios();
const COMPONENTS: readonly ComponentId[] = ['odoo', 'n8n', 'flux-gpu'];

function scenario(name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name}`);
  return found;
}

function load(name: string, component: ComponentId): readonly number[] {
  const found = scenario(name).components.find((c) => c.component === component);
  if (!found) throw new Error(`${name} has no ${component}`);
  return found.load;
}

/** A component's full scale in the shapes: SERVABLE, but n8n follows Odoo at 40 % of its. */
const scale = (component: ComponentId) => (component === 'n8n' ? 0.4 * SERVABLE.odoo : SERVABLE[component]);

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The means of consecutive `size`-minute windows. */
const windowMeans = (values: readonly number[], size: number) =>
  Array.from({ length: Math.floor(values.length / size) }, (_, i) =>
    mean(values.slice(i * size, (i + 1) * size)),
  );

/** Runs of consecutive minutes for which `inside` holds, as [first, last] minute. */
function runs(values: readonly number[], inside: (v: number) => boolean): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  values.forEach((v, minute) => {
    if (!inside(v)) return;
    const last = found[found.length - 1];
    if (last && last[1] === minute - 1) last[1] = minute;
    else found.push([minute, minute]);
  });
  return found;
}

describe('synthetic scenarios', () => {
  test('are the six named shapes, each with Odoo, n8n and the GPU fleet, no faults, a title and notes', () => {
    expect(scenarios.map((s) => s.name)).toEqual([
      'diurnal-week',
      'noisy',
      'slow-ramp',
      'sawtooth',
      'flash-crowds',
      'gpu-backlog-burst',
    ]);
    for (const s of scenarios) {
      expect(s.components.map((c) => c.component)).toEqual(COMPONENTS);
      expect(s.components.every((c) => c.faults.length === 0)).toBe(true);
      expect(s.title).not.toBe('');
      expect(s.notes.join(' ')).toMatch(/seed \d+/);
    }
  });

  test('are deterministic: two calls give the same loads', () => {
    expect(syntheticScenarios()).toEqual(syntheticScenarios());
  });

  test('last a week (10,080 minutes) or a day (1,440), every value finite and >= 0', () => {
    for (const s of scenarios)
      for (const c of s.components) {
        expect(c.load).toHaveLength(s.name === 'diurnal-week' ? MINUTES_PER_WEEK : 1440);
        expect(c.load.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      }
    expect(MINUTES_PER_WEEK).toBe(10_080);
  });

  test("SERVABLE is what prod's maximum capacity serves within the SLO", () => {
    for (const component of COMPONENTS) {
      const model = defaultModel(component, config.components[component], config.env);
      const max = config.components[component].capacity.max;
      expect(instancesNeeded(model, SERVABLE[component])).toBe(max);
      expect(instancesNeeded(model, SERVABLE[component] * 1.01)).toBe(max + 1);
    }
  });

  test('keep demand above the prod maximum to under 2 % of their minutes (brief peaks only)', () => {
    const overLong: string[] = [];
    for (const s of scenarios)
      for (const c of s.components) {
        const model = defaultModel(c.component, config.components[c.component], config.env);
        const max = config.components[c.component].capacity.max;
        const over = c.load.filter((v) => instancesNeeded(model, v) > max).length;
        if (over >= 0.02 * c.load.length) overLong.push(`${s.name} ${c.component}: ${over} minutes`);
      }
    expect(overLong).toEqual([]);
  });

  test('diurnal-week: weekends below weekdays, Monday the highest peak, nights below days', () => {
    for (const component of COMPONENTS) {
      const days = windowMeans(load('diurnal-week', component), 1440);
      const weekday = mean(days.slice(0, 5));
      const weekend = mean(days.slice(5));
      expect(weekend).toBeLessThan(0.75 * weekday);
      const peaks = Array.from({ length: 7 }, (_, d) =>
        Math.max(...windowMeans(load('diurnal-week', component).slice(d * 1440, (d + 1) * 1440), 60)),
      );
      expect(peaks.indexOf(Math.max(...peaks))).toBe(0);
      const hours = windowMeans(load('diurnal-week', component).slice(0, 1440), 60);
      expect(Math.max(...hours)).toBeGreaterThan(4 * (hours[2] ?? 0));
    }
  });

  test("noisy: the per-minute coefficient of variation is above 0.15, the hourly means' below 0.05", () => {
    for (const component of COMPONENTS) {
      const values = load('noisy', component);
      const m = mean(values);
      const cv = (v: readonly number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2))) / mean(v);
      expect(m).toBeGreaterThan(0.3 * scale(component));
      expect(m).toBeLessThan(0.7 * scale(component));
      expect(cv(values)).toBeGreaterThan(0.15);
      expect(cv(windowMeans(values, 60))).toBeLessThan(0.05);
    }
  });

  test('slow-ramp: hourly means rise through the 16-hour climb to near the maximum, then fall', () => {
    for (const component of COMPONENTS) {
      const hours = windowMeans(load('slow-ramp', component), 60);
      const climb = hours.slice(2, 18);
      for (let h = 1; h < climb.length; h++) expect(climb[h]).toBeGreaterThan(climb[h - 1] ?? Infinity);
      expect(Math.max(...hours)).toBeGreaterThan(0.8 * scale(component));
      expect(hours[0]).toBeLessThan(0.15 * scale(component));
      expect(hours[22]).toBeLessThan(0.15 * scale(component));
      const fall = hours.slice(18, 22);
      for (let h = 1; h < fall.length; h++) expect(fall[h]).toBeLessThan(fall[h - 1] ?? -Infinity);
    }
  });

  test('sawtooth: 24 sudden drops of more than half the range, about 45 minutes of climb apart', () => {
    for (const component of COMPONENTS) {
      const values = load('sawtooth', component);
      const drops = values.flatMap((v, minute) =>
        minute > 0 && (values[minute - 1] ?? 0) - v > 0.5 * scale(component) ? [minute] : [],
      );
      expect(drops).toHaveLength(24);
      for (let i = 1; i < drops.length; i++) expect((drops[i] ?? 0) - (drops[i - 1] ?? 0)).toBe(60);
      // Before each drop, a climb: the 45 minutes before rise by at least half the range.
      for (const d of drops)
        expect((values[d - 1] ?? 0) - (values[d - 45] ?? 0)).toBeGreaterThan(0.5 * scale(component));
    }
  });

  test('flash-crowds: six crowds of 10-40 minutes over the office-hours base, of different heights', () => {
    expect(CROWDS).toHaveLength(6);
    expect(new Set(CROWDS.map((c) => c.share)).size).toBe(6);
    for (const component of COMPONENTS) {
      const values = load('flash-crowds', component);
      // A crowd minute stands out of the base the generator draws (12 % + 28 % of the office-hours
      // sine) by more than the noise (at most ±5 %, n8n ±15 %, of a level under 1).
      const excess = values.map(
        (v, minute) => v - (0.12 + 0.28 * officeHours(minute, 8, 20)) * scale(component),
      );
      const crowds = runs(excess, (e) => e > 0.08 * scale(component));
      expect(crowds).toHaveLength(6);
      for (const [first, last] of crowds) {
        expect(last - first + 1).toBeGreaterThanOrEqual(8);
        expect(last - first + 1).toBeLessThanOrEqual(40);
      }
      const heights = crowds.map(
        ([first, last]) => mean(excess.slice(first + 3, last + 1)) / scale(component),
      );
      expect(Math.max(...heights)).toBeGreaterThan(3 * Math.min(...heights));
    }
  });

  test('gpu-backlog-burst: six bursts of 40-120 jobs within 1-3 minutes leave the full prod fleet a backlog', () => {
    const values = load('gpu-backlog-burst', 'flux-gpu');
    const bursts = runs(values, (v) => v > 10);
    expect(bursts).toHaveLength(GPU_BURSTS.length);
    for (const [first, last] of bursts) {
      expect(last - first + 1).toBeLessThanOrEqual(3);
      const jobs = values.slice(first, last + 1).reduce((a, b) => a + b, 0);
      expect(jobs).toBeGreaterThanOrEqual(40);
      expect(jobs).toBeLessThanOrEqual(130);
    }
    // Even prod's largest fleet (5 GPUs, all serving) cannot keep up: the queue holds a backlog.
    const queue = new GenerationBacklog();
    const { jobsPerGpuPerMinute } = config.env.flux;
    const backlog = values.map(
      (v) => queue.step(v, config.components['flux-gpu'].capacity.max, jobsPerGpuPerMinute, 60).backlog,
    );
    expect(Math.max(...backlog)).toBeGreaterThan(50);
    // Between bursts the base is quiet: one GPU serves it.
    const quiet = values.filter((v) => v <= 10);
    expect(Math.max(...quiet)).toBeLessThan(jobsPerGpuPerMinute);
    // Odoo and n8n are quiet office hours: never more than a third of SERVABLE.
    for (const component of ['odoo', 'n8n'] as const)
      expect(Math.max(...load('gpu-backlog-burst', component))).toBeLessThan(SERVABLE[component] / 3);
  });

  test('n8n follows Odoo at about 40 %', () => {
    for (const s of scenarios) {
      const ratio = mean(load(s.name, 'n8n')) / mean(load(s.name, 'odoo'));
      expect(ratio).toBeGreaterThan(0.37);
      expect(ratio).toBeLessThan(0.43);
    }
  });
});
