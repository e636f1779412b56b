import { cpuUtilisation, GenerationBacklog, latencyP95Ms } from '../../sim/twin/load';

describe('twin load model', () => {
  test('CPU is demand over capacity, capped at 100 %; no capacity is no datapoint', () => {
    expect(cpuUtilisation(7, 10)).toBe(70);
    expect(cpuUtilisation(25, 10)).toBe(100);
    expect(cpuUtilisation(5, 0)).toBeNull();
  });

  test('p95 latency grows as 1 / (1 - rho) and is capped at the timeout', () => {
    expect(latencyP95Ms(0, 10, 200, 30_000)).toBe(200);
    expect(latencyP95Ms(5, 10, 200, 30_000)).toBe(400); // rho 0.5: 200 / 0.5
    expect(latencyP95Ms(9, 10, 200, 30_000)).toBeCloseTo(2000); // rho 0.9: 200 / 0.1
    expect(latencyP95Ms(10, 10, 200, 30_000)).toBe(30_000);
    expect(latencyP95Ms(1, 0, 200, 30_000)).toBeNull();
  });

  test('the generation backlog: arrivals join, working GPUs serve, the rest waits', () => {
    const queue = new GenerationBacklog();
    // 2 GPUs at 4 jobs/min over 1 minute serve 8 of 10 arrivals.
    expect(queue.step(10, 2, 4, 60)).toEqual({ served: 8, backlog: 2, gpuUtilisation: 100 });
    // 3 arrive, 5 wait in all, 8 could be served: all 5 go, GPUs busy 5/8 of the time.
    expect(queue.step(3, 2, 4, 60)).toEqual({ served: 5, backlog: 0, gpuUtilisation: 62.5 });
    // A stalled fleet (no working GPU) serves nothing and reports no utilisation.
    expect(queue.step(6, 0, 4, 60)).toEqual({ served: 0, backlog: 6, gpuUtilisation: null });
  });
});
