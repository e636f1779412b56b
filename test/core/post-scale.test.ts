import { COMPONENT_POLICIES } from '../../lib/config/components';
import { N8N_WORKER_CONCURRENCY } from '../../lib/config/n8n';
import { postScaleProblems } from '../../lambdas/core/scaling/post-scale';

const quiet = { cpu: null, latencyMs: null, latencyBeforeMs: null, jobsPerWorker: null };
/** What the scale-verify Lambda passes: one worker's slots, and Odoo's latency rule threshold. */
const latencyRule = COMPONENT_POLICIES.odoo.rules.find((r) => r.id === 'latency-p95-high');
const limits = {
  slotsPerWorker: N8N_WORKER_CONCURRENCY,
  atMaximum: false,
  latencyThresholdMs: latencyRule?.threshold ?? 0,
};

describe("seed 002's post-scale-up check (Scale_Up_Ineffective)", () => {
  test('the limits are the deployed ones: 10 slots a worker, latency rule at 400 ms', () => {
    expect(limits).toEqual({ slotsPerWorker: 10, atMaximum: false, latencyThresholdMs: 400 });
  });

  test('Odoo: CPU still above 85 % or latency not better is a problem; both fine is none', () => {
    expect(postScaleProblems('odoo', { ...quiet, cpu: 91 }, limits)).toEqual(['CPU still 91 % (> 85 %)']);
    expect(postScaleProblems('odoo', { ...quiet, cpu: 85 }, limits)).toEqual([]);
    expect(postScaleProblems('odoo', { ...quiet, latencyMs: 520, latencyBeforeMs: 480 }, limits)).toEqual([
      'p95 latency 520 ms, not better than 480 ms before',
    ]);
    expect(
      postScaleProblems('odoo', { ...quiet, cpu: 62, latencyMs: 300, latencyBeforeMs: 480 }, limits),
    ).toEqual([]);
    expect(
      postScaleProblems('odoo', { ...quiet, cpu: 91, latencyMs: 520, latencyBeforeMs: 480 }, limits),
    ).toEqual(['CPU still 91 % (> 85 %)', 'p95 latency 520 ms, not better than 480 ms before']);
  });

  test('Odoo: an anticipatory scale-up (latency below 400 ms before) is not judged on latency', () => {
    // Right-sizing scaled out ahead of a rising load: 383 -> 397 ms is still fine.
    expect(postScaleProblems('odoo', { ...quiet, latencyMs: 397, latencyBeforeMs: 383 }, limits)).toEqual([]);
    // Even past the threshold after: latency was not the problem the scale-up was for.
    expect(postScaleProblems('odoo', { ...quiet, latencyMs: 420, latencyBeforeMs: 399 }, limits)).toEqual([]);
  });

  test('Odoo: latency at or above 400 ms before and no better after is a problem', () => {
    expect(postScaleProblems('odoo', { ...quiet, latencyMs: 460, latencyBeforeMs: 450 }, limits)).toEqual([
      'p95 latency 460 ms, not better than 450 ms before',
    ]);
    expect(postScaleProblems('odoo', { ...quiet, latencyMs: 400, latencyBeforeMs: 400 }, limits)).toEqual([
      'p95 latency 400 ms, not better than 400 ms before',
    ]);
    expect(postScaleProblems('odoo', { ...quiet, latencyMs: 440, latencyBeforeMs: 450 }, limits)).toEqual([]);
  });

  test('Odoo: without the latency before (or after), no latency verdict', () => {
    expect(postScaleProblems('odoo', { ...quiet, latencyMs: 900 }, limits)).toEqual([]);
    expect(postScaleProblems('odoo', { ...quiet, latencyBeforeMs: 900 }, limits)).toEqual([]);
  });

  test('n8n workers draining a backlog run hot: CPU alone is not a problem', () => {
    expect(postScaleProblems('n8n', { ...quiet, cpu: 97, jobsPerWorker: 5.5 }, limits)).toEqual([]);
  });

  test("n8n: up to a worker's 10 slots is fine (9.5, the sizing target; 10, every slot busy)", () => {
    expect(postScaleProblems('n8n', { ...quiet, jobsPerWorker: 9.5 }, limits)).toEqual([]);
    expect(postScaleProblems('n8n', { ...quiet, jobsPerWorker: 10 }, limits)).toEqual([]);
  });

  test('n8n: more jobs a worker than its slots after the new workers run is a problem (jobs wait)', () => {
    expect(postScaleProblems('n8n', { ...quiet, jobsPerWorker: 11 }, limits)).toEqual([
      'still 11.0 jobs a worker (> 10 slots: jobs wait)',
    ]);
  });

  test('n8n at its maximum: Max_Instances_Reached has already paged, so this one stays quiet', () => {
    expect(postScaleProblems('n8n', { ...quiet, jobsPerWorker: 11 }, { ...limits, atMaximum: true })).toEqual(
      [],
    );
    expect(postScaleProblems('n8n', { ...quiet, jobsPerWorker: 30 }, { ...limits, atMaximum: true })).toEqual(
      [],
    );
  });

  test('no datapoint is no verdict', () => {
    expect(postScaleProblems('n8n', quiet, limits)).toEqual([]);
    expect(postScaleProblems('odoo', quiet, limits)).toEqual([]);
  });
});
