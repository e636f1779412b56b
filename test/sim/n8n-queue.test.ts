import { loadConfig } from '../../lib/config';
import type { Controller, Observation } from '../../sim/baselines/types';
import { defaultModel } from '../../sim/run/model';
import { runPolicy } from '../../sim/run/run-policy';
import { simulateComponent, trackedSignal, type ComponentResult } from '../../sim/run/simulate';

const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
const model = defaultModel('n8n', config.components.n8n, config.env);

/** Holds the fleet where it is and keeps what each minute published. */
function recorder(): Controller & { readonly seen: Array<Observation['metrics']> } {
  const seen: Array<Observation['metrics']> = [];
  return {
    name: 'fixed',
    periodSeconds: 60,
    seen,
    decide: (obs) => {
      seen.push(obs.metrics);
      return obs.desired;
    },
  };
}

describe("n8n's queue as the twin publishes it (one worker, held)", () => {
  // 5 minutes at half a worker (20 jobs a minute), 5 at two workers' worth (80 a minute).
  const load = [...Array(5).fill(0.5), ...Array(5).fill(2)];
  let run: Awaited<ReturnType<typeof runPolicy>>;
  let seen: Array<Observation['metrics']>;
  beforeAll(async () => {
    const controller = recorder();
    run = await runPolicy(model, load, controller);
    seen = controller.seen;
  });

  test("n8n's gauges follow the jobs: 5 running while they fit, then 10 running and 40 more waiting each minute", () => {
    const waiting = seen.map((m) => m.n8n_scaling_mode_queue_jobs_waiting);
    const active = seen.map((m) => m.n8n_scaling_mode_queue_jobs_active);
    expect(active.slice(0, 5)).toEqual([5, 5, 5, 5, 5]);
    expect(waiting.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(active.slice(6)).toEqual([10, 10, 10, 10]);
    const growth = (waiting.slice(6) as number[]).map((w, i) => w - (waiting[5 + i] as number));
    expect(growth).toEqual([40, 40, 40, 40]);
    expect(run.queue?.waiting).toEqual(waiting);
  });

  test('the scale alarms read jobs per running worker, and CPU follows the busy slots', () => {
    for (const m of seen) {
      const jobs = (m.n8n_scaling_mode_queue_jobs_waiting ?? 0) + (m.n8n_scaling_mode_queue_jobs_active ?? 0);
      expect(m['workflow-queue-per-worker']).toBe(jobs / (m.RunningTaskCount ?? 1));
    }
    expect(seen.map((m) => m['cpu-utilization']).slice(1, 5)).toEqual([50, 50, 50, 50]);
    expect(seen.map((m) => m['cpu-utilization']).slice(6)).toEqual([100, 100, 100, 100]);
  });

  test('an SLO-violation minute is one in which a job waited more than 60 s to start', () => {
    const late = (run.queue?.longestWaitSeconds ?? []).filter((w) => w > 60).length;
    expect(late).toBeGreaterThan(0);
    expect(run.metrics.sloViolationMinutes).toBe(late);
    expect(run.queue?.longestWaitSeconds.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('a burst of jobs, then a drained queue (the four policies in the twin)', () => {
  // 20 minutes at half a worker, 20 at 3.5 workers' worth (140 jobs a minute), 50 back at half.
  const load = [...Array(20).fill(0.5), ...Array(20).fill(3.5), ...Array(50).fill(0.5)];
  let result: ComponentResult;
  beforeAll(async () => {
    result = await simulateComponent(config, 'n8n', load);
  });

  test('the control plane sizes the workers from the backlog in one step, and the queue drains', () => {
    const cp = result.runs['control-plane'];
    const scales = cp.timeline.filter((e) => e.kind === 'scale');
    // The first minute of the burst passes the right-sizing trigger (9.5 jobs a worker): the decision
    // at its end sizes every job, waiting or running, at 95 % of the slots, capped at the maximum.
    expect(scales[0]).toMatchObject({ time: 21 * 60 });
    expect(scales[0]?.text).toMatch(/^1 -> 5 \(queue-above-target\): .*workers' worth of jobs .* at 95 %/);
    const waiting = cp.queue?.waiting ?? [];
    expect(Math.max(...waiting.slice(20, 23))).toBeGreaterThan(100);
    expect(waiting.slice(28)).toEqual(Array(62).fill(0));
    expect(cp.metrics.sloViolationMinutes).toBeLessThanOrEqual(
      result.runs['target-tracking'].metrics.sloViolationMinutes,
    );
  });

  test('the control plane scales the workers back in once the peak of 15 minutes allows, several at once', () => {
    const cp = result.runs['control-plane'];
    const ins = cp.timeline.filter((e) => e.kind === 'scale').slice(1);
    // The burst's 3.5 workers' worth needs 4 at 95 % (after the backlog's minutes leave the window);
    // once 15 minutes at half a worker have passed, one worker is enough.
    expect(ins.map((e) => e.text.split(' (')[0])).toEqual(['5 -> 4', '4 -> 1']);
    expect(ins.every((e) => e.time >= 40 * 60)).toBe(true);
    expect(cp.desired.at(-1)).toBe(1);
  });

  test.each(['target-tracking', 'hpa', 'step-seed'] as const)(
    '%s scales out on the burst and back in after it',
    (policy) => {
      const run = result.runs[policy];
      expect(Math.max(...run.desired.slice(20, 40))).toBe(5);
      expect(run.desired.at(-1)).toBe(1);
    },
  );

  test('target tracking and the HPA track jobs per worker at the queue rule threshold (7)', () => {
    expect(trackedSignal(config.components.n8n)).toEqual({ metric: 'workflow-queue-per-worker', target: 7 });
    expect(trackedSignal(config.components.odoo)).toEqual({ metric: 'cpu-utilization', target: 70 });
  });
});
