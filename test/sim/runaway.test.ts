import { loadConfig } from '../../lib/config';
import { defaultModel } from '../../sim/run/model';
import { runPolicy } from '../../sim/run/run-policy';
import { OPERATOR_RESUME_SECONDS, workflowControlPlane } from '../../sim/policies/control-plane-workflows';

/**
 * Runaway protection in the twin, through the real workflow: a load that swings just slower than
 * right-sizing's scale-in window makes the loop reverse itself again and again (out, in, out, in),
 * and the 4th change of direction within the hour pauses Odoo until the assumed operator resumes.
 */
test('a load that keeps reversing the fleet trips runaway protection within the hour', async () => {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  const model = defaultModel('odoo', config.components.odoo, config.env);
  // 5 minutes at 6 tasks' worth of load at 70 %, then 16 minutes at the minimum's, for 3 hours.
  const cycle = [...Array(5).fill(4.2), ...Array(16).fill(1)];
  const load = Array.from({ length: 180 }, (_, m) => cycle[m % cycle.length] as number);
  const controller = workflowControlPlane({ config, component: 'odoo' });
  const run = await runPolicy(model, load, controller);
  const pause = run.timeline.find((e) => e.kind === 'pause');
  expect(pause?.time).toBeLessThan(3600);
  expect(pause?.text).toMatch(/4th change of direction in an hour/);
  expect(run.timeline).toContainEqual(
    expect.objectContaining({ kind: 'escalate', text: expect.stringMatching(/^Scaling_Runaway_Paused/) }),
  );
  const resume = run.timeline.find((e) => e.kind === 'resume');
  expect((resume?.time ?? 0) - (pause?.time ?? 0)).toBeGreaterThanOrEqual(OPERATOR_RESUME_SECONDS);
  expect(
    run.timeline.filter(
      (e) => e.kind === 'scale' && e.time > (pause?.time ?? 0) && e.time < (resume?.time ?? 0),
    ),
  ).toEqual([]);
}, 60_000);
