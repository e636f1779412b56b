import { WorkflowQueue } from '../../sim/twin/workflow-queue';

/** n8n's defaults in the twin: 10 jobs at once per worker, 15 s each (40 a minute per worker). */
const queue = () => new WorkflowQueue({ concurrency: 10, jobSeconds: 15 });

/** Runs `minutes` of 15-s steps at `perMinute` arrivals on `workers`; returns the last step. */
function run(q: WorkflowQueue, from: number, minutes: number, perMinute: number, workers: number) {
  let last = q.step(from, 15, perMinute / 4, workers);
  for (let k = 1; k < minutes * 4; k++) last = q.step(from + k * 15, 15, perMinute / 4, workers);
  return last;
}

describe("n8n's job queue in the twin", () => {
  test('below its slots a worker starts every job at once: 20 a minute keep 5 running, none waiting', () => {
    const step = run(queue(), 0, 5, 20, 1);
    expect(step).toEqual({ waiting: 0, active: 5, slotUtilisation: 50, longestWaitSeconds: 0 });
  });

  test('beyond its slots the jobs wait, and the gauges follow them: 80 a minute on one worker leave 40 more waiting each minute', () => {
    const q = queue();
    const first = run(q, 0, 1, 80, 1);
    const second = run(q, 60, 1, 80, 1);
    expect(first.active).toBe(10);
    expect(second.active).toBe(10);
    expect(second.waiting - first.waiting).toBe(40);
    expect(first.slotUtilisation).toBe(100);
    // Jobs are conserved: 160 arrived; 40 a minute finished after the first 15 s.
    expect(second.waiting + second.active).toBe(160 - 70);
    expect(second.longestWaitSeconds).toBeGreaterThan(first.longestWaitSeconds);
  });

  test('workers that come up drain the queue, oldest job first', () => {
    const q = queue();
    const built = run(q, 0, 3, 80, 1);
    expect(built.waiting).toBeGreaterThan(100);
    expect(built.longestWaitSeconds).toBeGreaterThan(60);
    const drained = run(q, 180, 2, 80, 4);
    expect(drained).toMatchObject({ waiting: 0, longestWaitSeconds: 0 });
    expect(drained.active).toBe(20); // 80 a minute for 15 s each
  });

  test('a stopped worker finishes the jobs it holds and takes no new one', () => {
    const q = queue();
    run(q, 0, 1, 80, 2); // 20 running on 2 workers
    const after = q.step(60, 15, 0, 1); // one stopped; nothing new arrives
    expect(after.waiting).toBe(0);
    expect(after.active).toBe(0); // every job started by 60 s finished by 75 s
    const busy = run(q, 75, 1, 80, 1);
    expect(busy.active).toBe(10);
  });

  test('no worker running: nothing starts, and there is no utilisation to report', () => {
    const step = run(queue(), 0, 1, 12, 0);
    expect(step).toMatchObject({ waiting: 12, active: 0, slotUtilisation: null });
    expect(step.longestWaitSeconds).toBeGreaterThan(50);
  });

  test('fractions of a job are carried, not lost: 1 job a minute arrives as 1 job a minute', () => {
    const q = queue();
    let arrived = 0;
    for (let k = 0; k < 40; k++) {
      const before = q.waiting + q.active;
      q.step(k * 15, 15, 0.25, 0);
      arrived += q.waiting + q.active - before;
    }
    expect(arrived).toBe(10);
  });

  test('refuses a fleet that cannot run a job', () => {
    expect(() => new WorkflowQueue({ concurrency: 0, jobSeconds: 15 })).toThrow(/concurrency/);
    expect(() => queue().step(0, 15, 1, 1.5)).toThrow(/workers/);
  });
});
