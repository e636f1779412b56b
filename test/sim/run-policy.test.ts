import { loadConfig } from '../../lib/config';
import { targetTracking } from '../../sim/baselines/target-tracking';
import { workflowControlPlane } from '../../sim/policies/control-plane-workflows';
import { defaultModel } from '../../sim/run/model';
import { runPolicy } from '../../sim/run/run-policy';
import { odooDay } from '../../sim/run/scenario';

const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
const policy = config.components.odoo;
const model = defaultModel('odoo', policy, config.env);
/** The control plane as deployed: its alarms and schedule, the router, the real workflow. */
const cp = () => workflowControlPlane({ config, component: 'odoo' });

describe('the twin loop', () => {
  test('a load step is answered after the alarm window and the boot delay', async () => {
    // 1.0 units for 10 minutes (2 tasks at 50 %), then 2.0 (100 %) for 20 minutes.
    const load = [...Array(10).fill(1), ...Array(20).fill(2)];
    const run = await runPolicy(model, load, cp());
    // Minute 10's CPU (100 %) passes the right-sizing trigger (70 %, one datapoint): the decision at
    // its end sizes the load (2.0, growing: 2.11 over the 2 minutes of a boot) to 70 %: 4 tasks,
    // serving 60 s later, from minute 11's end on.
    expect(run.desired.slice(9, 14)).toEqual([2, 4, 4, 4, 4]);
    expect(run.supply.slice(9, 14)).toEqual([2, 2, 4, 4, 4]);
    // SPEC-RG demand is whole instances: 2 / 0.7 -> 3.
    expect(run.demand.slice(9, 12)).toEqual([2, 3, 3]);
  });

  test('every policy stays within the capacity bounds and the run is repeatable', async () => {
    const load = odooDay();
    const a = await runPolicy(
      model,
      load,
      targetTracking({ metric: 'cpu-utilization', target: 70, min: 2, max: 10 }),
    );
    const b = await runPolicy(
      model,
      load,
      targetTracking({ metric: 'cpu-utilization', target: 70, min: 2, max: 10 }),
    );
    expect(a).toEqual(b);
    for (const v of a.desired) expect(v >= 2 && v <= 10).toBe(true);
    expect(a.supply).toHaveLength(1440);
  });

  test('the control plane, like the seeds, waits 300 s between scale-outs', async () => {
    const load = [...Array(5).fill(1), ...Array(30).fill(8)];
    const run = await runPolicy(model, load, cp());
    const outs = run.desired.flatMap((d, i) => (i > 0 && d > (run.desired[i - 1] as number) ? [i] : []));
    for (let i = 1; i < outs.length; i++)
      expect((outs[i] as number) - (outs[i - 1] as number)).toBeGreaterThanOrEqual(5);
    expect(run.metrics.actions).toBe(outs.length);
  });
});
