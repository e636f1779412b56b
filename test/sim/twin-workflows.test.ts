import { loadConfig } from '../../lib/config';
import { defaultModel } from '../../sim/run/model';
import { demandAt, instancesNeeded } from '../../sim/run/run-policy';
import { TwinClock } from '../../sim/workflows/twin-clock';
import { TWIN_WAIT_RESOURCE, twinStateMachine } from '../../sim/workflows/twin-state-machine';

describe('the twin clock', () => {
  test('an execution parked for 60 s wakes only when the clock passes it; settle waits for it to park or end', async () => {
    const clock = new TwinClock(Date.parse('2026-01-05T00:00:00Z'));
    const steps: string[] = [];
    const done = clock.track(async () => {
      steps.push(`start ${clock.seconds}`);
      await clock.sleep(60);
      steps.push(`woke ${clock.seconds}`);
    });
    await clock.settle();
    expect(steps).toEqual(['start 0']);
    clock.advanceTo(59);
    await clock.settle();
    expect(steps).toEqual(['start 0']);
    clock.advanceTo(60);
    await clock.settle();
    expect(steps).toEqual(['start 0', 'woke 60']);
    await done;
    expect(clock.now().toISOString()).toBe('2026-01-05T00:01:00.000Z');
  });

  test('time goes forward only', () => {
    const clock = new TwinClock(0);
    clock.advanceTo(120);
    expect(() => clock.advanceTo(60)).toThrow(/goes forward/);
  });
});

describe('the scale-decision definition as the twin runs it', () => {
  const { tasks, retrying } = twinStateMachine('scale-decision');

  test('its Wait state becomes a twin-clock task; every other Task keeps its integration', () => {
    expect(tasks).toContainEqual({ state: 'WaitForStabilisation', resource: TWIN_WAIT_RESOURCE });
    expect(tasks).toContainEqual({ state: 'Act', resource: 'arn:aws:states:::aws-sdk:ecs:updateService' });
    // Both Wait states: the stabilisation wait and the wait for a scale-out cooldown to end.
    expect(tasks.filter((t) => t.resource === TWIN_WAIT_RESOURCE).map((t) => t.state)).toEqual([
      'WaitForCooldown',
      'WaitForStabilisation',
    ]);
  });

  test('retries are known by state, including inside the Map', () => {
    expect(retrying).toEqual(expect.arrayContaining(['Act', 'TakeLock', 'ResolveIncident']));
  });
});

describe('demand for the elasticity metrics', () => {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  const odoo = defaultModel('odoo', config.components.odoo, config.env);
  const gpu = defaultModel('flux-gpu', config.components['flux-gpu'], config.env);
  const n8n = defaultModel('n8n', config.components.n8n, config.env);

  test.each([
    ['odoo, 2.0 units at 70 %: 2.86 -> 3', odoo, 2, 3, 3],
    ['odoo, below the minimum of 2', odoo, 0.5, 2, 2],
    ['odoo, 7.7 units need 11 tasks; demand stops at the maximum of 10', odoo, 7.7, 11, 10],
    ['GPUs, 23 jobs/min at 4 per GPU and 90 %: 6.39 -> 7; demand stops at 5', gpu, 23, 7, 5],
    ['n8n workers, 2.0 workers of jobs fill 2 workers (a full slot still starts every job)', n8n, 2, 2, 2],
    ['n8n workers, 2.05: a third', n8n, 2.05, 3, 3],
    ['n8n workers, 6.2 need 7; demand stops at 5', n8n, 6.2, 7, 5],
  ])('%s', (_name, model, load, needed, demand) => {
    expect(instancesNeeded(model, load)).toBe(needed);
    expect(demandAt(model, load)).toBe(demand);
  });
});
