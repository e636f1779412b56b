import { loadConfig } from '../../lib/config';
import type { ComponentPolicy } from '../../lib/config/schema';
import { decideScaling } from '../../lambdas/core/scaling/decide';
import { InvalidInputError } from '../../lambdas/core/invalid-input';
import { parseScaleRequest } from '../../lambdas/core/scaling/request';
import type { LedgerAction, ScalingInput, Series, Signal } from '../../lambdas/core/scaling/types';
import { SCALING_FLAGS, scalingInput } from '../support/scaling-input';

const PROD = loadConfig({ envName: 'prod', region: 'eu-west-1' });
const ODOO = PROD.components.odoo;
/** Five seconds after the Odoo window opens (00:00 UTC), and after it closes (06:00 UTC). */
const NIGHT = new Date('2026-11-24T00:00:05Z');
const MORNING = new Date('2026-11-24T06:00:05Z');
const flat = (value: number, minutes: number): number[] => Array.from({ length: minutes }, () => value);
const fleet = (desired: number, pending = 0) => ({ desired, running: desired - pending, pending });
const cpu = (values: Series): Partial<Record<Signal, Series>> => ({ 'cpu-utilization': values });
/** Odoo's whole scale-in window (10 minutes) at `percent` CPU. */
const steady = (percent: number) => cpu(flat(percent, ODOO.rightSizing.scaleInAfterMinutes));

function scheduled(
  scheduledAs: ScalingInput['scheduled'],
  over: Partial<ScalingInput>,
  metrics: Partial<Record<Signal, Series>>,
  policy: ComponentPolicy = ODOO,
) {
  return decideScaling(scalingInput(policy, { now: NIGHT, scheduled: scheduledAs, ...over }, metrics));
}
const start = (
  over: Partial<ScalingInput>,
  metrics: Partial<Record<Signal, Series>>,
  policy?: ComponentPolicy,
) => scheduled('off-peak-start', over, metrics, policy);

describe('the off-peak window start lowers capacity toward the off-peak count (seed 002: Odoo to 2)', () => {
  test('5 Odoo tasks at 10 % at 00:00 UTC go to 2 in one step (prod, moderate)', () => {
    // 5 x 10 % = 0.5 tasks of load: 1 would do, the off-peak count (2) is the floor.
    expect(start({ fleet: fleet(5) }, steady(10))).toMatchObject({
      action: 'scale',
      from: 5,
      to: 2,
      rule: 'off-peak-start',
      guardrails: [],
      reason: expect.stringContaining('off-peak window 00:00-06:00 UTC: toward 2'),
    });
  });

  test('the load wins over the schedule: 5 at 50 % (2.5 tasks, needs 4 at 70 %) go to 4, not 2', () => {
    expect(start({ fleet: fleet(5) }, steady(50))).toMatchObject({ action: 'scale', from: 5, to: 4 });
  });

  test('a load that needs the whole fleet holds it: 5 at 60 % (3 tasks, needs 5)', () => {
    expect(start({ fleet: fleet(5) }, steady(60))).toMatchObject({
      action: 'hold',
      to: 5,
      rule: 'off-peak-start',
      reason: 'the peak of the last 10 minutes needs 5: the load keeps 5',
    });
  });

  test('a peak inside the scale-in window counts: 9 quiet minutes after one at 90 % keep 5 at 5', () => {
    expect(start({ fleet: fleet(5) }, cpu([90, ...flat(10, 9)]))).toMatchObject({ action: 'hold', to: 5 });
  });

  test('a missing datapoint cuts nothing: the schedule does not cut blind', () => {
    expect(start({ fleet: fleet(5) }, cpu([...flat(10, 9), null]))).toMatchObject({
      action: 'hold',
      reason: expect.stringContaining('does not cut blind'),
    });
  });

  test('a fleet still booting is not cut before its load is measured', () => {
    expect(start({ fleet: fleet(5, 2) }, steady(10))).toMatchObject({
      action: 'hold',
      reason: '2 of 5 still booting: their load is not measured yet',
    });
  });

  test('a maintenance window holds the schedule (and a pause, and a disabled environment)', () => {
    const flags = {
      ...SCALING_FLAGS,
      maintenanceWindow: 'the odoo window until 2026-11-24T02:00:00Z (upgrade)',
    };
    expect(start({ fleet: fleet(5), flags }, steady(10))).toMatchObject({
      action: 'hold',
      to: 5,
      guardrails: ['maintenance'],
    });
    expect(start({ fleet: fleet(5), flags: { ...SCALING_FLAGS, paused: true } }, steady(10))).toMatchObject({
      action: 'hold',
      guardrails: ['paused'],
    });
    expect(
      start({ fleet: fleet(5), flags: { ...SCALING_FLAGS, scalingEnabled: false } }, steady(10)),
    ).toMatchObject({ action: 'hold', guardrails: ['environment'] });
  });

  test('the scale-in cooldown holds it: an action 5 minutes before midnight', () => {
    const ledger: LedgerAction[] = [
      { at: new Date(NIGHT.getTime() - 300_000).toISOString(), from: 4, to: 5, outcome: 'succeeded' },
    ];
    expect(start({ fleet: fleet(5), ledger }, steady(10))).toMatchObject({
      action: 'hold',
      guardrails: ['cooldown'],
    });
  });

  test('runaway protection counts it: in, out, in, out, then the schedule would be the 4th change', () => {
    const at = (minutesAgo: number) => new Date(NIGHT.getTime() - minutesAgo * 60_000).toISOString();
    const ledger: LedgerAction[] = [
      { at: at(58), from: 3, to: 2, outcome: 'succeeded' },
      { at: at(50), from: 2, to: 3, outcome: 'succeeded' },
      { at: at(42), from: 3, to: 2, outcome: 'succeeded' },
      { at: at(30), from: 2, to: 5, outcome: 'succeeded' },
    ];
    expect(start({ fleet: fleet(5), ledger }, steady(10))).toMatchObject({
      action: 'hold',
      guardrails: ['runaway'],
      pause: true,
    });
  });

  test('a conservative environment (staging) steps down one task per decision', () => {
    const flags = { ...SCALING_FLAGS, aggressiveness: 'conservative' as const };
    expect(start({ fleet: fleet(4), flags }, steady(10))).toMatchObject({
      action: 'scale',
      from: 4,
      to: 3,
      guardrails: ['conservative'],
    });
    // Ten minutes later a periodic evaluation, which sees the off-peak floor, takes the next step.
    const later = new Date(NIGHT.getTime() + 600_000);
    const ledger: LedgerAction[] = [{ at: NIGHT.toISOString(), from: 4, to: 3, outcome: 'succeeded' }];
    expect(
      decideScaling(scalingInput(ODOO, { now: later, fleet: fleet(3), ledger, flags }, steady(10))),
    ).toMatchObject({ action: 'scale', from: 3, to: 2 });
  });

  test('the GPU fleet keeps its hosts while a stalled-GPU incident is open', () => {
    const gpu = PROD.components['flux-gpu'];
    const night = new Date('2026-11-24T02:00:05Z');
    const over = {
      now: night,
      fleet: fleet(3),
      arrivals: flat(0, 16),
      gpu: { backlog: 0, arrivalsPerMinute: 0, jobsPerGpuPerMinute: 4, drainMinutes: 10 },
    };
    expect(start(over, { 'queue-backlog': flat(0, 16) }, gpu)).toMatchObject({
      action: 'scale',
      from: 3,
      to: 1,
      rule: 'off-peak-start',
    });
    expect(
      start({ ...over, flags: { ...SCALING_FLAGS, stallOpen: true } }, { 'queue-backlog': flat(0, 16) }, gpu),
    ).toMatchObject({ action: 'hold', guardrails: ['stall'] });
  });

  test('a component whose off-peak is disabled, or already at its count, is left as it is', () => {
    const disabled = { ...ODOO, offPeak: { ...ODOO.offPeak, enabled: false } };
    expect(start({ fleet: fleet(5) }, steady(10), disabled)).toMatchObject({
      action: 'hold',
      reason: 'off-peak scale-down is not enabled for odoo',
    });
    expect(start({ fleet: fleet(2) }, steady(10))).toMatchObject({
      action: 'hold',
      reason: '2 running: already at the off-peak count of 2',
    });
  });
});

describe('the morning (window end) restores the daytime minimum', () => {
  /** A daytime minimum above the off-peak count, as a country with a busier day would set. */
  const busier: ComponentPolicy = { ...ODOO, capacity: { min: 4, max: 10 } };
  const end = (over: Partial<ScalingInput>, metrics: Partial<Record<Signal, Series>>, policy = busier) =>
    scheduled('off-peak-end', { now: MORNING, ...over }, metrics, policy);

  test('2 quiet tasks at 06:00 go back to the minimum of 4', () => {
    expect(end({ fleet: fleet(2) }, steady(10))).toMatchObject({
      action: 'scale',
      from: 2,
      to: 4,
      rule: 'off-peak-end',
      reason: expect.stringContaining('back to the daytime minimum of 4'),
    });
  });

  test('a morning already rising gets what the load needs when that is more than the minimum', () => {
    // 2 tasks from 50 % to 100 %: right-sizing asks for 6 (peak plus trend over the boot).
    expect(end({ fleet: fleet(2) }, cpu([50, 100]))).toMatchObject({ action: 'scale', from: 2, to: 6 });
  });

  test('a fleet that kept its daytime size through the night is left alone', () => {
    expect(end({ fleet: fleet(5) }, steady(40))).toMatchObject({
      action: 'hold',
      to: 5,
      rule: 'off-peak-end',
    });
    // Seed figures (min 2 = off-peak 2): the morning has nothing to restore.
    expect(end({ fleet: fleet(2) }, steady(10), ODOO)).toMatchObject({ action: 'hold', to: 2 });
  });

  test('a maintenance window holds the restore; the first periodic evaluation after it restores', () => {
    expect(
      end(
        {
          fleet: fleet(2),
          flags: {
            ...SCALING_FLAGS,
            maintenanceWindow: 'the odoo window until 2026-11-24T02:00:00Z (upgrade)',
          },
        },
        steady(10),
      ),
    ).toMatchObject({ action: 'hold', guardrails: ['maintenance'] });
    const periodic = decideScaling(
      scalingInput(busier, { now: new Date('2026-11-24T07:00:00Z'), fleet: fleet(2) }, steady(10)),
    );
    expect(periodic).toMatchObject({ action: 'scale', from: 2, to: 4, rule: 'floor' });
  });

  test('the database guard holds the restore of Odoo while PostgreSQL is nearly out of connections', () => {
    const flags = { ...SCALING_FLAGS, databaseConnectionsPercent: 95 };
    expect(end({ fleet: fleet(2), flags }, steady(10))).toMatchObject({
      action: 'hold',
      guardrails: ['database'],
      escalate: { alert: 'Scaling_Blocked_By_Database' },
    });
  });
});

describe('the scheduled request', () => {
  const capacity = { odoo: { min: 2, max: 10 }, n8n: { min: 1, max: 5 }, 'flux-gpu': { min: 1, max: 5 } };
  const failure = (raw: unknown) => {
    try {
      parseScaleRequest(raw, capacity);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  test('the schedule start and end parse; the trigger names them', () => {
    expect(parseScaleRequest({ component: 'odoo', scheduled: 'off-peak-start' }, capacity)).toEqual({
      component: 'odoo',
      trigger: 'schedule off-peak-start',
      scheduled: 'off-peak-start',
    });
    expect(parseScaleRequest({ component: 'n8n', scheduled: 'off-peak-end' }, capacity)).toMatchObject({
      scheduled: 'off-peak-end',
    });
  });

  test('a misspelt edge, or a target with a schedule, fails naming the field', () => {
    expect(failure({ component: 'odoo', scheduled: 'night' })).toMatch(/^input\.scheduled:/);
    expect(failure({ component: 'odoo', scheduled: 'off-peak-start', to: 2 })).toMatch(
      /^input\.to: not a field of a scheduled scale-decision request \(component, scheduled\)/,
    );
  });
});
