import { postScaleProblems } from '../../lambdas/core/scaling/post-scale';

const quiet = { cpu: null, latencyMs: null, latencyBeforeMs: null, jobsPerWorker: null };
const queue = { scaleOutJobsPerWorker: 7, atMaximum: false };

describe("seed 002's post-scale-up check (Scale_Up_Ineffective)", () => {
  test('Odoo: CPU still above 85 % or latency not better is a problem; both fine is none', () => {
    expect(postScaleProblems('odoo', { ...quiet, cpu: 91 }, queue)).toEqual(['CPU still 91 % (> 85 %)']);
    expect(postScaleProblems('odoo', { ...quiet, latencyMs: 520, latencyBeforeMs: 480 }, queue)).toEqual([
      'p95 latency 520 ms, not better than 480 ms before',
    ]);
    expect(
      postScaleProblems('odoo', { ...quiet, cpu: 62, latencyMs: 300, latencyBeforeMs: 480 }, queue),
    ).toEqual([]);
  });

  test('n8n workers draining a backlog run hot: CPU alone is not a problem', () => {
    expect(postScaleProblems('n8n', { ...quiet, cpu: 97, jobsPerWorker: 5.5 }, queue)).toEqual([]);
  });

  test('n8n: jobs per worker still above the scale-out threshold after the new workers run is a problem', () => {
    expect(postScaleProblems('n8n', { ...quiet, jobsPerWorker: 9.25 }, queue)).toEqual([
      'still 9.3 jobs a worker (> 7, the scale-out threshold)',
    ]);
  });

  test('n8n at its maximum: Max_Instances_Reached has already paged, so this one stays quiet', () => {
    expect(postScaleProblems('n8n', { ...quiet, jobsPerWorker: 30 }, { ...queue, atMaximum: true })).toEqual(
      [],
    );
  });

  test('no datapoint is no verdict', () => {
    expect(postScaleProblems('n8n', quiet, queue)).toEqual([]);
    expect(postScaleProblems('odoo', quiet, queue)).toEqual([]);
  });
});
