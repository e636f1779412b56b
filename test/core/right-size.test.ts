import { scalingInput } from '../support/scaling-input';
import { loadConfig } from '../../lib/config';
import type { ComponentPolicy } from '../../lib/config/schema';
import { componentLoad } from '../../lambdas/core/scaling/load';
import { rightSize, slope } from '../../lambdas/core/scaling/right-size';
import type { ScalingInput, Series, Signal } from '../../lambdas/core/scaling/types';

const PROD = loadConfig({ envName: 'prod', region: 'eu-west-1' }).components;
/** Odoo: target 70 %, peak of 5 minutes, trend over 10, lead 2, scale-in after 10. */
const ODOO = PROD.odoo.rightSizing;
/** flux-gpu: target 90 %, peak of 5 minutes, trend over 10, lead 9, scale-in after 16. */
const GPU = PROD['flux-gpu'].rightSizing;
const flat = (value: number, minutes: number): number[] => Array.from({ length: minutes }, () => value);
/** `minutes` values from `start`, `step` apart (computed as start + i x step: no drift). */
const ramp = (start: number, step: number, minutes: number): number[] =>
  Array.from({ length: minutes }, (_, i) => start + i * step);

describe('the production right-sizing of each component', () => {
  test('is what the scale decisions are computed with', () => {
    expect(ODOO).toEqual({
      targetUtilisation: 70,
      peakMinutes: 5,
      trendMinutes: 10,
      leadMinutes: 2,
      scaleInAfterMinutes: 10,
    });
    expect(PROD.n8n.rightSizing).toEqual({
      targetUtilisation: 95,
      peakMinutes: 1,
      trendMinutes: 10,
      leadMinutes: 2,
      scaleInAfterMinutes: 10,
    });
    expect(GPU).toEqual({
      targetUtilisation: 90,
      peakMinutes: 5,
      trendMinutes: 10,
      leadMinutes: 9,
      scaleInAfterMinutes: 16,
    });
  });
});

describe('slope: least squares per minute over the present datapoints', () => {
  test.each<[string, Series, number]>([
    ['no datapoint', [], 0],
    ['one datapoint', [5], 0],
    ['two present among nulls', [null, 4, null], 0],
    ['flat', [2, 2, 2], 0],
    ['rising 1 a minute', [1, 2, 3], 1],
    ['falling 1 a minute (negative: rightSize keeps only growth)', [3, 2, 1], -1],
    // x 0..2, mean 1; y mean 2: ((-1)(-1) + 0 + (1)(0)) / ((-1)^2 + 0 + 1^2) = 1 / 2
    ['noisy: [1, 3, 2]', [1, 3, 2], 0.5],
    // A gap keeps the minutes apart: (0, 1) and (2, 3) are 2 minutes apart, not 1.
    ['a missing minute between two points', [1, null, 3], 1],
    // x 0..9, mean 4.5; y mean 1: num 2 x (0.5 + 1.5 + 2.5 + 3.5 + 4.5) = 25, den 82.5.
    ['a step from 0 to 2 halfway through 10 minutes', [...flat(0, 5), ...flat(2, 5)], 25 / 82.5],
  ])('%s', (_name, values, expected) => {
    expect(slope(values)).toBeCloseTo(expected, 10);
  });
});

describe('rightSize (Odoo: 70 %, peak of 5 min, trend of 10 min, lead 2 min, scale-in after 10 min)', () => {
  test('no datapoint in the peak window: no answer (no signal is not idle)', () => {
    expect(rightSize([], ODOO)).toBeUndefined();
    expect(rightSize([1, 1, 1, null, null, null, null, null], ODOO)).toBeUndefined();
  });

  test('a flat load of 1.4 for 5 minutes: up 2 (1.4 / 0.7), no down (5 of the 10 minutes)', () => {
    expect(rightSize(flat(1.4, 5), ODOO)).toEqual({
      up: 2,
      down: undefined,
      peak: 1.4,
      projected: 1.4,
      slopePerMinute: 0,
    });
  });

  test('exactly at the target is enough: 2.1 needs 3 (2.1 / 0.7), not 4', () => {
    expect(rightSize(flat(0.7 * 3, 5), ODOO)).toMatchObject({ up: 3 });
    expect(rightSize(flat(2.11, 5), ODOO)).toMatchObject({ up: 4 });
  });

  test('the peak of the last 5 minutes is sized, not the last value nor an older peak', () => {
    // 2.7 four minutes ago: ceil(2.7 / 0.7) = ceil(3.86) = 4.
    expect(rightSize([1, 2.7, 1, 1, 1], ODOO)).toMatchObject({ up: 4, peak: 2.7 });
    // 2.7 six minutes ago is out of the peak window: 1 / 0.7 asks for 2.
    expect(rightSize([2.7, 1, 1, 1, 1, 1], ODOO)).toMatchObject({ up: 2, peak: 1 });
  });

  test('a rising load adds its growth over the lead: 0.5 .. 1.4 (0.1 a minute) asks for 3, its flat peak for 2', () => {
    const rising = ramp(0.5, 0.1, 10);
    const sized = rightSize(rising, ODOO);
    expect(sized?.slopePerMinute).toBeCloseTo(0.1, 10);
    expect(sized?.peak).toBeCloseTo(1.4, 10);
    // 1.4 + 0.1 x 2 = 1.6; 1.6 / 0.7 = 2.29 -> 3.
    expect(sized?.projected).toBeCloseTo(1.6, 10);
    expect(sized?.up).toBe(3);
    expect(rightSize(flat(1.4, 10), ODOO)?.up).toBe(2);
  });

  test('a falling load adds nothing: the projection is the peak', () => {
    // 2.0 .. 1.1: the peak of the last 5 minutes is 1.5; 1.5 / 0.7 = 2.14 -> 3.
    const falling = rightSize(ramp(2, -0.1, 10), ODOO);
    expect(falling).toMatchObject({ slopePerMinute: 0, up: 3 });
    expect(falling?.peak).toBeCloseTo(1.5, 10);
    expect(falling?.projected).toBe(falling?.peak);
  });

  test('only the last 10 minutes are fitted: a steep rise before them is no trend', () => {
    const risenThenFlat = [...ramp(0.1, 0.3, 10), ...flat(1.4, 10)];
    expect(rightSize(risenThenFlat, ODOO)).toMatchObject({ slopePerMinute: 0, up: 2 });
  });

  test('missing datapoints are skipped, not read as zero', () => {
    // Peak of the present 5-minute values: 1.4; the trend fits (5, 1.2) and (9, 1.4) only.
    const sized = rightSize([null, null, null, null, null, 1.2, null, null, null, 1.4], ODOO);
    expect(sized?.peak).toBe(1.4);
    expect(sized?.slopePerMinute).toBeCloseTo(0.05, 10);
    // 1.4 + 0.05 x 2 = 1.5; 1.5 / 0.7 = 2.14 -> 3.
    expect(sized?.up).toBe(3);
  });

  describe('down: what the peak of the last 10 minutes needs', () => {
    /** Odoo's scale-in window: 10 minutes (pinned above). */
    const WINDOW = ODOO.scaleInAfterMinutes;

    test('10 minutes at 0.5 need 1 (0.5 / 0.7)', () => {
      expect(rightSize(flat(0.5, WINDOW), ODOO)).toMatchObject({ up: 1, down: 1 });
    });

    test('one high minute anywhere in the 10 holds capacity for it; out of the window it does not', () => {
      const spike = [0.5, 0.5, 2.7, ...flat(0.5, 7)];
      expect(spike).toHaveLength(10);
      // ceil(2.7 / 0.7) = 4, though the last 5 minutes need 1 (the spike's fall is no growth).
      expect(rightSize(spike, ODOO)).toMatchObject({ up: 1, down: 4 });
      // One minute later the spike is still inside the 10; three minutes later it is out.
      expect(rightSize([...spike, 0.5], ODOO)).toMatchObject({ down: 4 });
      expect(rightSize([...spike, 0.5, 0.5, 0.5], ODOO)).toMatchObject({ down: 1 });
    });

    test('fewer than 10 minutes: no down', () => {
      expect(rightSize(flat(0.5, 9), ODOO)?.down).toBeUndefined();
    });

    test('a missing datapoint inside the 10 minutes: no down; older than 10 minutes it does not matter', () => {
      const gap = [...flat(0.5, 4), null, ...flat(0.5, 5)];
      expect(gap).toHaveLength(WINDOW);
      expect(rightSize(gap, ODOO)).toMatchObject({ up: 1, down: undefined });
      expect(rightSize([null, ...flat(0.5, WINDOW)], ODOO)).toMatchObject({ down: 1 });
    });

    test('down is never below up: a rise whose trend needs more than the window peak', () => {
      // 0.3 .. 4.5, 0.3 a minute: up = ceil((4.5 + 0.3 x 2) / 0.7) = ceil(7.29) = 8; the peak of
      // the last 10 minutes (1.8 .. 4.5) alone needs ceil(4.5 / 0.7) = ceil(6.43) = 7.
      const steep = ramp(0.3, 0.3, 15);
      expect(rightSize(steep, ODOO)).toMatchObject({ up: 8, down: 8 });
    });
  });
});

describe('rightSize (flux-gpu: 90 %, lead 9 min, scale-in after 16 min)', () => {
  test('the longer lead of a GPU boot: 0.5 .. 1.0 rising 0.125 a minute asks for 3, its flat peak for 2', () => {
    const rising = ramp(0.5, 0.125, 5);
    // 1.0 + 0.125 x 9 = 2.125; 2.125 / 0.9 = 2.36 -> 3. Flat: 1.0 / 0.9 = 1.11 -> 2.
    expect(rightSize(rising, GPU)).toMatchObject({ up: 3, peak: 1, projected: 2.125 });
    expect(rightSize(flat(1, 5), GPU)?.up).toBe(2);
  });

  test('16 minutes of data for a down; 15 are not enough', () => {
    expect(rightSize(flat(1.25, 16), GPU)).toMatchObject({ up: 2, down: 2 });
    expect(rightSize(flat(1.25, 15), GPU)?.down).toBeUndefined();
  });
});

describe('componentLoad: metrics as instances worth of work per minute', () => {
  const input = (
    policy: ComponentPolicy,
    metrics: Partial<Record<Signal, Series>>,
    over: Partial<ScalingInput> = {},
  ): ScalingInput => scalingInput(policy, over, metrics);
  const close = (values: Series, expected: Array<number | null>) => {
    expect(values).toHaveLength(expected.length);
    values.forEach((v, i) => {
      const e = expected[i];
      if (e === null || e === undefined) expect(v).toBeNull();
      else expect(v).toBeCloseTo(e, 10);
    });
  };

  describe('Odoo: CPU / 100 x the tasks running that minute', () => {
    test('with the task count of each minute: 50 % on 2, 90 % on 3', () => {
      const load = componentLoad(input(PROD.odoo, { 'cpu-utilization': [50, 90] }, { tasks: [2, 3] }), 10);
      close(load.values, [1, 2.7]);
      expect(load.unit).toBe('tasks at 100 % CPU');
      expect(load.signals).toEqual(['cpu-utilization', 'api-latency-p95-ms']);
    });

    test('without a task count (or a minute without one), the tasks running now', () => {
      const running = (n: number) => ({ fleet: { desired: n, running: n, pending: 0 } });
      close(
        componentLoad(input(PROD.odoo, { 'cpu-utilization': [90, 90] }, running(3)), 10).values,
        [2.7, 2.7],
      );
      close(
        componentLoad(
          input(PROD.odoo, { 'cpu-utilization': [50, 50] }, { ...running(3), tasks: [null, 4] }),
          10,
        ).values,
        [1.5, 2],
      );
    });

    test('a shorter task series is aligned on the latest minute', () => {
      const load = componentLoad(input(PROD.odoo, { 'cpu-utilization': [50, 50, 50] }, { tasks: [4] }), 10);
      close(load.values, [1, 1, 2]);
    });

    test('a missing CPU datapoint is a missing load, not zero; no CPU series is no load', () => {
      close(componentLoad(input(PROD.odoo, { 'cpu-utilization': [50, null, 70] }), 10).values, [
        1,
        null,
        1.4,
      ]);
      expect(componentLoad(input(PROD.odoo, { 'memory-utilization': [90, 90] }), 10).values).toEqual([]);
    });
  });

  describe("n8n: jobs waiting or running (per worker x workers) over one worker's slots", () => {
    test('5 a worker on 2 and 12 a worker on 3, 10 slots each: 1 and 3.6 workers worth', () => {
      const load = componentLoad(
        input(PROD.n8n, { 'workflow-queue-per-worker': [5, 12] }, { tasks: [2, 3] }),
        10,
      );
      close(load.values, [1, 3.6]);
      expect(load.unit).toBe("workers' worth of jobs (10 slots each)");
      expect(load.signals).toEqual(['workflow-queue-per-worker', 'cpu-utilization']);
    });

    test('without a task count, the workers running now; never fewer than one', () => {
      close(componentLoad(input(PROD.n8n, { 'workflow-queue-per-worker': [15] }), 10).values, [3]);
      const none = { fleet: { desired: 1, running: 0, pending: 1 } };
      close(componentLoad(input(PROD.n8n, { 'workflow-queue-per-worker': [15] }, none), 10).values, [1.5]);
    });

    test('CPU is no part of the load, and a missing datapoint stays missing', () => {
      close(
        componentLoad(
          input(PROD.n8n, { 'workflow-queue-per-worker': [5, null], 'cpu-utilization': [99, 99] }),
          10,
        ).values,
        [1, null],
      );
      expect(componentLoad(input(PROD.n8n, { 'cpu-utilization': [99, 99] }), 10).values).toEqual([]);
    });
  });

  describe('flux-gpu: arrivals over one GPU throughput, plus the backlog over the drain time', () => {
    const gpu = { backlog: 0, arrivalsPerMinute: 0, jobsPerGpuPerMinute: 4, drainMinutes: 10 };

    test('8 a minute and 600 queued at 4 a minute per GPU, 10 minutes to drain: 2 + 15 = 17 GPUs worth', () => {
      const load = componentLoad(
        input(PROD['flux-gpu'], { 'queue-backlog': [600, 0, 40] }, { gpu, arrivals: [8, null, 4] }),
        10,
      );
      // 8 / 4 + 600 / 40 = 17; a minute without arrivals is missing; 4 / 4 + 40 / 40 = 2.
      close(load.values, [17, null, 2]);
      expect(load.unit).toBe("GPUs' worth of jobs (4/min each, backlog over 10 min)");
      expect(load.signals).toEqual(['queue-backlog', 'active-gpu-tasks-per-node', 'cpu-utilization']);
    });

    test('a minute without a backlog datapoint counts arrivals only; the backlog aligns on the latest minute', () => {
      const load = componentLoad(
        input(PROD['flux-gpu'], { 'queue-backlog': [null, 80] }, { gpu, arrivals: [4, 4, 4] }),
        10,
      );
      // Backlog [-, null, 80] against arrivals [4, 4, 4]: 1, 1, 1 + 80 / 40 = 3.
      close(load.values, [1, 1, 3]);
    });

    test('no arrivals series: no load (the seed rules step instead)', () => {
      expect(
        componentLoad(input(PROD['flux-gpu'], { 'queue-backlog': [150, 160] }, { gpu }), 10).values,
      ).toEqual([]);
    });
  });
});
