import { loadConfig } from '../../lib/config';
import { oracle, oracleCapacity } from '../../sim/baselines/oracle';
import { defaultModel } from '../../sim/run/model';
import { instancesNeeded, runPolicy } from '../../sim/run/run-policy';

describe('the oracle (perfect foresight)', () => {
  test('asks at each minute for the most the next boot delay needs, within [min, max]', () => {
    const need = [1, 1, 4, 1, 1, 1, 9, 1];
    // Minute 0 with a 2-minute horizon: minutes 0, 1, 2 -> 4.
    expect(oracleCapacity(need, 0, 3, 1, 5)).toBe(4);
    expect(oracleCapacity(need, 3, 3, 1, 5)).toBe(1);
    // Capped by the maximum; past the trace's end, the minimum.
    expect(oracleCapacity(need, 5, 3, 1, 5)).toBe(5);
    expect(oracleCapacity(need, 8, 3, 2, 5)).toBe(2);
  });

  test('in the twin, it never falls short where the maximum and the first boot allow (Fargate, 1 minute)', async () => {
    const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
    const model = defaultModel('odoo', config.components.odoo, config.env);
    // 10 quiet minutes, a step to 4.2 (6 tasks at 70 %), then back, then beyond the maximum (10).
    const load = [
      ...Array(10).fill(1),
      ...Array(10).fill(4.2),
      ...Array(10).fill(1),
      ...Array(5).fill(8),
      ...Array(5).fill(1),
    ];
    const need = load.map((v) => instancesNeeded(model, v));
    const run = await runPolicy(model, load, oracle({ need, maxBootSeconds: 60, min: 2, max: 10 }));
    expect(run.supply.slice(10, 20)).toEqual(Array(10).fill(6));
    // Released at once when the next minute no longer needs it.
    expect(run.supply[21]).toBe(2);
    // 8 / 0.7 = 11.4 -> 12 tasks, above the maximum of 10: those 5 minutes no policy can serve.
    expect(run.metrics.sloViolationMinutes).toBe(5);
    expect(run.supply.slice(30, 35)).toEqual(Array(5).fill(10));
  });

  test('holds a GPU host across a gap shorter than its boot (up to 8 minutes), and pays for it', async () => {
    const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
    const model = defaultModel('flux-gpu', config.components['flux-gpu'], config.env);
    // Jobs a minute: 3.6 is one GPU at 90 %; 7 needs two. Two 3-minute bursts 5 minutes apart.
    const load = [...Array(20).fill(2), 7, 7, 7, ...Array(5).fill(2), 7, 7, 7, ...Array(20).fill(2)];
    const need = load.map((v) => instancesNeeded(model, v));
    const run = await runPolicy(model, load, oracle({ need, maxBootSeconds: 480, min: 1, max: 5 }));
    expect(run.metrics.sloViolationMinutes).toBe(0);
    // The second host stays through the 5-minute gap between the bursts.
    expect(run.supply.slice(20, 31)).toEqual(Array(11).fill(2));
  });
});
