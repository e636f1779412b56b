import {
  costAtSlo,
  FRONTIER_TARGETS,
  frontierRatios,
  paretoFrontier,
  sloAtCost,
  type FrontierPoint,
} from '../../sim/metrics/frontier';

const point = (target: number, sloViolationMinutes: number, instanceHours: number): FrontierPoint => ({
  target,
  sloViolationMinutes,
  instanceHours,
});

// A curve as target tracking draws one: more headroom, fewer SLO minutes, more instance-hours.
const curve = [
  point(0.4, 0, 100),
  point(0.5, 2, 86),
  point(0.6, 10, 76),
  point(0.7, 34, 70),
  point(0.8, 240, 66),
];

describe('the cost/SLO frontier', () => {
  test('is swept at 40, 45, ..., 85 %', () => {
    expect(FRONTIER_TARGETS).toEqual([0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85]);
  });

  test('drops a dominated point and keeps the cheapest of equal SLO minutes', () => {
    const f = paretoFrontier([...curve, point(0.45, 5, 90), point(0.55, 2, 80)]);
    expect(f.map((p) => p.target)).toEqual([0.4, 0.55, 0.6, 0.7, 0.8]);
  });

  test('interpolates instance-hours linearly on SLO minutes, inside and at the edges', () => {
    expect(costAtSlo(curve, 6, 'tt')).toEqual({ value: 81 }); // halfway from (2, 86) to (10, 76)
    expect(costAtSlo(curve, 0, 'tt')).toEqual({ value: 100 });
    expect(costAtSlo(curve, 240, 'tt')).toEqual({ value: 66 });
  });

  test('is null with the reason outside its range', () => {
    const above = costAtSlo(curve, 241, 'target tracking');
    expect(above.value).toBeNull();
    expect(above).toMatchObject({
      reason: expect.stringMatching(
        /more than the cheapest target tracking target.*80 %.*above the curve's range/,
      ),
    });
    const cheaper = sloAtCost(curve, 60, 'target tracking');
    expect(cheaper).toMatchObject({
      value: null,
      reason: expect.stringMatching(/less than any target tracking target spent \(66 at 80 %\)/),
    });
    const dearer = sloAtCost(curve, 101, 'target tracking');
    expect(dearer).toMatchObject({
      value: null,
      reason: expect.stringMatching(/more than any target tracking target/),
    });
  });

  test('interpolates SLO minutes linearly on instance-hours', () => {
    expect(sloAtCost(curve, 73, 'tt')).toEqual({ value: 22 }); // halfway from (76, 10) to (70, 34)
    expect(sloAtCost(curve, 100, 'tt')).toEqual({ value: 0 });
  });
});

describe('frontier ratios', () => {
  const oracle = { sloViolationMinutes: 1, instanceHours: 64 };

  test('a policy below the curve: cheaper for its SLO minutes, fewer avoidable minutes for its cost', () => {
    const r = frontierRatios({ sloViolationMinutes: 6, instanceHours: 73 }, curve, oracle);
    // target tracking needs 81 h for 6 minutes; at 73 h it has 22 minutes (21 avoidable, ours 5).
    expect(r.frontierCostRatio).toBeCloseTo(73 / 81, 3);
    expect(r.frontierSloRatio).toBeCloseTo(5 / 21, 3);
    expect(r.oracleCostRatio).toBeCloseTo(73 / 64, 3);
    expect(r).not.toHaveProperty('frontierCostRatioReason');
  });

  test('a point of the curve itself scores 1 both ways', () => {
    const r = frontierRatios({ sloViolationMinutes: 10, instanceHours: 76 }, curve, {
      sloViolationMinutes: 0,
      instanceHours: 60,
    });
    expect([r.frontierCostRatio, r.frontierSloRatio]).toEqual([1, 1]);
  });

  test('nothing avoidable at that cost: the SLO ratio is null with the reason, the others stand', () => {
    const r = frontierRatios({ sloViolationMinutes: 0, instanceHours: 100 }, curve, oracle);
    expect(r.frontierSloRatio).toBeNull();
    expect(r.frontierSloRatioReason).toMatch(
      /no avoidable SLO-violation minutes at 100 instance-hours.*nothing to halve/,
    );
    expect(r.frontierCostRatio).toBe(1);
  });

  test('outside the curve: null ratios with their reasons; an oracle of 0 hours is refused too', () => {
    const r = frontierRatios({ sloViolationMinutes: 300, instanceHours: 60 }, curve, {
      sloViolationMinutes: 0,
      instanceHours: 0,
    });
    expect(r.frontierCostRatio).toBeNull();
    expect(r.frontierCostRatioReason).toMatch(/above the curve's range/);
    expect(r.frontierSloRatio).toBeNull();
    expect(r.oracleCostRatio).toBeNull();
    expect(r.oracleCostRatioReason).toMatch(/0 instance-hours/);
  });
});
