import { loadConfig } from '../../lib/config';
import type { ComponentPolicy } from '../../lib/config/schema';
import { shapeStep } from '../../lambdas/core/scaling/aggressiveness';
import { sizingFor } from '../../lambdas/core/scaling/cost-priority';
import { decideScaling } from '../../lambdas/core/scaling/decide';
import type { ScalingFlags, ScalingInput, Series, Signal } from '../../lambdas/core/scaling/types';
import { SCALING_FLAGS, scalingInput } from '../support/scaling-input';

const PROD = loadConfig({ envName: 'prod', region: 'eu-west-1' }).components;
const flat = (value: number, minutes: number): number[] => Array.from({ length: minutes }, () => value);
const fleet = (desired: number) => ({ fleet: { desired, running: desired, pending: 0 } });
const PROFILES = ['conservative', 'moderate', 'aggressive'] as const;

function decide(
  policy: ComponentPolicy,
  flags: Partial<ScalingFlags>,
  over: Partial<ScalingInput>,
  metrics: Partial<Record<Signal, Series>>,
) {
  return decideScaling(scalingInput(policy, { ...over, flags: { ...SCALING_FLAGS, ...flags } }, metrics));
}
const byProfile = (
  policy: ComponentPolicy,
  over: Partial<ScalingInput>,
  metrics: Partial<Record<Signal, Series>>,
) =>
  Object.fromEntries(
    PROFILES.map((aggressiveness) => {
      const d = decide(policy, { aggressiveness }, over, metrics);
      return [aggressiveness, { action: d.action, to: d.to, guardrails: d.guardrails }];
    }),
  );

describe('aggressiveness (seed 001 "Environment Specific Policies") on sized proposals', () => {
  test('GPU scale-out sized 1 -> 5: conservative +1, moderate as sized, aggressive 1.5x capped at the maximum', () => {
    // 16 jobs a minute at 4 a GPU: 4 GPUs of load, 4 / 0.9 -> 5.
    const gpu = {
      ...fleet(1),
      arrivals: [16, 16],
      gpu: { backlog: 0, arrivalsPerMinute: 16, jobsPerGpuPerMinute: 4, drainMinutes: 10 },
    };
    expect(byProfile(PROD['flux-gpu'], gpu, { 'queue-backlog': [0, 0] })).toEqual({
      conservative: { action: 'scale', to: 2, guardrails: ['conservative'] },
      moderate: { action: 'scale', to: 5, guardrails: [] },
      // 1 + ceil(4 x 1.5) = 7, clamped to the maximum of 5.
      aggressive: { action: 'scale', to: 5, guardrails: ['aggressive', 'max'] },
    });
  });

  test('Odoo scale-out sized 2 -> 6: conservative 3, moderate 6, aggressive 2 + 6 = 8', () => {
    expect(byProfile(PROD.odoo, {}, { 'cpu-utilization': [50, 100] })).toEqual({
      conservative: { action: 'scale', to: 3, guardrails: ['conservative'] },
      moderate: { action: 'scale', to: 6, guardrails: [] },
      aggressive: { action: 'scale', to: 8, guardrails: ['aggressive'] },
    });
  });

  test('n8n queue-sized 2 -> 4: conservative 3, moderate 4, aggressive 2 + 3 = 5', () => {
    const jobs = { 'workflow-queue-per-worker': [15, 15, 15] };
    expect(byProfile(PROD.n8n, fleet(2), jobs)).toEqual({
      conservative: { action: 'scale', to: 3, guardrails: ['conservative'] },
      moderate: { action: 'scale', to: 4, guardrails: [] },
      aggressive: { action: 'scale', to: 5, guardrails: ['aggressive'] },
    });
  });

  test('scale-in sized 6 -> 3: conservative releases one at a time; moderate and aggressive all at once', () => {
    // 6 tasks at 35 % for 10 minutes: 2.1 tasks of load, 3 at 70 %.
    expect(byProfile(PROD.odoo, fleet(6), { 'cpu-utilization': flat(35, 10) })).toEqual({
      conservative: { action: 'scale', to: 5, guardrails: ['conservative'] },
      moderate: { action: 'scale', to: 3, guardrails: [] },
      aggressive: { action: 'scale', to: 3, guardrails: [] },
    });
  });

  test('a fleet below the floor goes back to it whole; the profile shapes only the step beyond it', () => {
    // The morning after the off-peak window (06:00:05 UTC), Odoo's daytime minimum 4 and 2 running.
    const busier = { ...PROD.odoo, capacity: { min: 4, max: 10 } };
    const morning = {
      ...fleet(2),
      now: new Date('2026-11-24T06:00:05Z'),
      scheduled: 'off-peak-end' as const,
    };
    // A quiet morning: the minimum, neither grown by aggressive nor "cut" by conservative.
    expect(byProfile(busier, morning, { 'cpu-utilization': flat(10, 10) })).toEqual({
      conservative: { action: 'scale', to: 4, guardrails: [] },
      moderate: { action: 'scale', to: 4, guardrails: [] },
      aggressive: { action: 'scale', to: 4, guardrails: [] },
    });
    // A rising morning needs 6: the floor whole, then the 2 beyond it shaped (+1, +2, +3).
    expect(byProfile(busier, morning, { 'cpu-utilization': [50, 100] })).toEqual({
      conservative: { action: 'scale', to: 5, guardrails: ['conservative'] },
      moderate: { action: 'scale', to: 6, guardrails: [] },
      aggressive: { action: 'scale', to: 7, guardrails: ['aggressive'] },
    });
    // The next periodic evaluation's floor restore, not a rule's +1 step: not doubled by aggressive.
    const periodic = { ...fleet(2), now: new Date('2026-11-24T07:00:00Z') };
    expect(byProfile(busier, periodic, { 'cpu-utilization': flat(10, 10) })).toEqual({
      conservative: { action: 'scale', to: 4, guardrails: [] },
      moderate: { action: 'scale', to: 4, guardrails: [] },
      aggressive: { action: 'scale', to: 4, guardrails: [] },
    });
  });

  test("an operator's manual target is taken as asked under every profile", () => {
    for (const aggressiveness of PROFILES)
      expect(
        decide(PROD.odoo, { aggressiveness }, { manual: { to: 7, reason: 'campaign' } }, {}),
      ).toMatchObject({ action: 'scale', to: 7, guardrails: [] });
  });

  test('an aggressive step never passes the rate cap: the cap comes after it', () => {
    const capped = { ...PROD.odoo, maxScalingRate: { instances: 1, perSeconds: 300 } };
    expect(
      decide(capped, { aggressiveness: 'aggressive' }, {}, { 'cpu-utilization': [50, 100] }),
    ).toMatchObject({
      action: 'scale',
      to: 3,
      guardrails: ['aggressive', 'max-rate'],
    });
  });

  test('the rate cap bounds only the growth beyond the floor: a restore below it is neither held nor "cut"', () => {
    // A cap of 1 Odoo instance per 600 s (longer than the 300 s cooldown, so an earlier action can
    // be inside the window and out of the cooldown), a daytime minimum of 4 and 2 running after
    // the off-peak window, one instance already added within the window.
    const capped = {
      ...PROD.odoo,
      capacity: { min: 4, max: 10 },
      maxScalingRate: { instances: 1, perSeconds: 600 },
    };
    const morning = {
      ...fleet(2),
      now: new Date('2026-11-24T06:00:05Z'),
      scheduled: 'off-peak-end' as const,
      ledger: [
        {
          at: '2026-11-24T05:54:00Z',
          from: 1,
          to: 2,
          outcome: 'succeeded' as const,
        },
      ],
    };
    // A quiet morning: back to the minimum in one step, and the ledger names no guardrail.
    expect(decide(capped, {}, morning, { 'cpu-utilization': flat(10, 10) })).toMatchObject({
      action: 'scale',
      from: 2,
      to: 4,
      guardrails: [],
    });
    // A rising morning that needs 6: the minimum whole, the growth beyond it capped (the instance
    // added at 05:54 used the window's one), so 4, with the cap named.
    expect(decide(capped, {}, morning, { 'cpu-utilization': [50, 100] })).toMatchObject({
      action: 'scale',
      from: 2,
      to: 4,
      guardrails: ['max-rate'],
    });
  });

  test('shapeStep: the numbers', () => {
    expect(shapeStep(1, 5, 'conservative', true)).toEqual({ to: 2, guardrail: 'conservative' });
    expect(shapeStep(5, 1, 'conservative', true)).toEqual({ to: 4, guardrail: 'conservative' });
    expect(shapeStep(2, 3, 'conservative', false)).toEqual({ to: 3 });
    expect(shapeStep(1, 2, 'aggressive', true)).toEqual({ to: 3, guardrail: 'aggressive' });
    expect(shapeStep(1, 3, 'aggressive', false)).toEqual({ to: 5, guardrail: 'aggressive' });
    expect(shapeStep(5, 2, 'aggressive', true)).toEqual({ to: 2 });
    expect(shapeStep(1, 5, 'moderate', true)).toEqual({ to: 5 });
  });
});

describe('cost priority (seed 001) as right-sizing headroom', () => {
  test('the sizing per priority: performance keeps 10 points more headroom and waits 1.5x; cost-optimized releases after 0.7x', () => {
    const odoo = PROD.odoo.rightSizing;
    expect(sizingFor(odoo, 'balanced')).toBe(odoo);
    expect(sizingFor(odoo, undefined)).toBe(odoo);
    expect(sizingFor(odoo, 'performance')).toMatchObject({ targetUtilisation: 60, scaleInAfterMinutes: 15 });
    expect(sizingFor(odoo, 'cost-optimized')).toMatchObject({
      targetUtilisation: 70,
      scaleInAfterMinutes: 7,
    });
    const gpu = PROD['flux-gpu'].rightSizing;
    expect(sizingFor(gpu, 'performance')).toMatchObject({ targetUtilisation: 80, scaleInAfterMinutes: 24 });
    expect(sizingFor(gpu, 'cost-optimized')).toMatchObject({
      targetUtilisation: 90,
      scaleInAfterMinutes: 12,
    });
  });

  test('performance scales out earlier: 4 Odoo tasks at 65 % (2.6 tasks) hold at 70 %, need 5 at 60 %', () => {
    const metrics = { 'cpu-utilization': flat(65, 5) };
    expect(decide(PROD.odoo, { costPriority: 'balanced' }, fleet(4), metrics)).toMatchObject({
      action: 'hold',
    });
    expect(decide(PROD.odoo, { costPriority: 'performance' }, fleet(4), metrics)).toMatchObject({
      action: 'scale',
      from: 4,
      to: 5,
      reason: expect.stringContaining('needs 5 at 60 %'),
    });
  });

  test('cost-optimized scales in sooner: a busy minute 8 minutes ago holds balanced, not cost-optimized', () => {
    // 6 tasks: 80 % three minutes, then 35 % for 7. Balanced's 10-minute peak (4.8 tasks) needs 7.
    const metrics = { 'cpu-utilization': [...flat(80, 3), ...flat(35, 7)] };
    expect(decide(PROD.odoo, { costPriority: 'balanced' }, fleet(6), metrics)).toMatchObject({
      action: 'hold',
    });
    expect(decide(PROD.odoo, { costPriority: 'cost-optimized' }, fleet(6), metrics)).toMatchObject({
      action: 'scale',
      from: 6,
      to: 3,
    });
  });

  test('performance scales in later: 10 quiet minutes release nothing until 15 are quiet', () => {
    const tenQuiet = { 'cpu-utilization': [...flat(80, 5), ...flat(35, 10)] };
    expect(decide(PROD.odoo, { costPriority: 'balanced' }, fleet(6), tenQuiet)).toMatchObject({
      action: 'scale',
      to: 3,
    });
    expect(decide(PROD.odoo, { costPriority: 'performance' }, fleet(6), tenQuiet)).toMatchObject({
      action: 'hold',
    });
    // 15 quiet minutes: 2.1 tasks at 60 % need 4.
    expect(
      decide(PROD.odoo, { costPriority: 'performance' }, fleet(6), { 'cpu-utilization': flat(35, 15) }),
    ).toMatchObject({ action: 'scale', to: 4 });
  });
});
