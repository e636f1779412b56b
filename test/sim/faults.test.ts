import { loadConfig } from '../../lib/config';
import { workflowControlPlane } from '../../sim/policies/control-plane-workflows';
import { defaultModel } from '../../sim/run/model';
import { runPolicy } from '../../sim/run/run-policy';
import { apiFaults, launchesBlockedUntil, type Fault } from '../../sim/twin/faults';
import { Fleet } from '../../sim/twin/fleet';

const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });

describe('fault windows', () => {
  test('a task launched during a placement failure starts its boot when the window ends', () => {
    const fleet = new Fleet({ name: 'n8n', bootSeconds: 60, initial: 1, unitCapacity: 1 }, () => 0);
    fleet.advance(600);
    fleet.blockLaunches(
      launchesBlockedUntil([{ kind: 'placement-failure', fromMinute: 10, toMinute: 20 }], 600),
    );
    fleet.setDesired(2);
    fleet.advance(1200);
    expect(fleet.running).toBe(1);
    fleet.advance(1259);
    expect(fleet.running).toBe(1);
    fleet.advance(1260);
    expect(fleet.running).toBe(2);
  });

  test('outside every window nothing is blocked, and throttling counts down its calls', () => {
    const faults: Fault[] = [
      { kind: 'insufficient-gpu-capacity', fromMinute: 10, toMinute: 20 },
      { kind: 'api-throttling', atMinute: 5, calls: 2 },
    ];
    expect(launchesBlockedUntil(faults, 20 * 60)).toBeUndefined();
    expect(launchesBlockedUntil(faults, 15 * 60)).toBe(1200);
    let now = 0;
    const api = apiFaults(faults, () => now);
    expect(api.updateServiceError()).toBeUndefined();
    now = 300;
    expect([api.updateServiceError(), api.updateServiceError(), api.updateServiceError()]).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      undefined,
    ]);
  });
});

describe('the control plane under AWS faults (the real scale-decision workflow in the twin)', () => {
  // n8n: 1 worker with half its slots busy for 10 minutes (20 jobs a minute), then 2.2 workers' worth
  // (88 jobs a minute) for 20 minutes: a queue builds at once.
  const n8n = defaultModel('n8n', config.components.n8n, config.env);
  const step = [...Array(10).fill(0.5), ...Array(20).fill(2.2)];
  const run = (faults: Fault[]) =>
    runPolicy(n8n, step, workflowControlPlane({ config, component: 'n8n', faults }), { faults });
  const failures = (r: Awaited<ReturnType<typeof run>>) =>
    r.timeline.filter((e) => e.kind === 'escalate' && e.text.startsWith('Scaling_Event_Failed'));

  test('without faults the step is met in one action (the backlog sizes it, where CPU stops at 100 %), then right-sized', async () => {
    const r = await run([]);
    // Right-sizing keeps the 5 while the step's backlog is inside its 10-minute window, then
    // releases what 2.2 workers' worth does not need at 95 % of the slots: 3.
    expect(r.timeline.filter((e) => e.kind === 'scale').map((e) => e.text.split(' (')[0])).toEqual([
      '1 -> 5',
      '5 -> 3',
    ]);
    expect(failures(r)).toEqual([]);
    // The queue the step built is gone a minute after the workers serve.
    expect(r.queue?.waiting.slice(12)).toEqual(Array(18).fill(0));
  });

  test('UpdateService throttled 3 times: the workflow retries, scales, and pages nobody', async () => {
    const r = await run([{ kind: 'api-throttling', atMinute: 10, calls: 3 }]);
    expect(Math.max(...r.desired)).toBe(5);
    expect(failures(r)).toEqual([]);
  });

  test('throttled beyond its 6 attempts (1 + 5 retries): the action fails, Scaling_Event_Failed is paged, the fleet is untouched until the next decision', async () => {
    const r = await run([{ kind: 'api-throttling', atMinute: 10, calls: 6 }]);
    expect(failures(r)).toHaveLength(1);
    expect(failures(r)[0]?.text).toMatch(/1 -> 5 failed: Ecs\.ThrottlingException/);
    const failedAt = failures(r)[0]?.time ?? 0;
    expect(r.desired[failedAt / 60 - 1]).toBe(1);
  });

  test('tasks that cannot be placed: verification gives up after its checks and Scaling_Event_Failed names the shortfall', async () => {
    const r = await run([{ kind: 'placement-failure', fromMinute: 10, toMinute: 30 }]);
    expect(failures(r)[0]?.text).toMatch(/^Scaling_Event_Failed: .*did not reach \d running after 5 checks/);
    expect(Math.max(...r.supply)).toBe(1);
  });
});
