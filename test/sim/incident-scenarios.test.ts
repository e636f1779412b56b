import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../lib/config';
import { simulateFailedBackup } from '../../sim/run/backup-scenario';
import { simulateStall, STALL_CASES, type StallCase } from '../../sim/run/stall-scenario';
import { writeResults } from '../../sim/write-results';

const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
const stallCase = (name: string) => STALL_CASES.find((c) => c.name === name) as StallCase;

describe('the stalled-GPU scenario (the real workflow in the twin, one of four busy hosts stalls)', () => {
  test('a hung task: found by the next 5-minute check, restarted, repaired; no page; no busy host touched', async () => {
    const result = await simulateStall(config, stallCase('hung-task'));
    expect(result).toMatchObject({
      minutesToRemediation: 5,
      minutesToEscalation: null,
      otherHostsTouched: 0,
      actions: [{ action: 'stop-task', instanceId: 'i-0c', minute: 35 }],
    });
    // The restart's recheck waits 10 minutes (grace + window): repaired 15 minutes after the stall.
    expect(result.minutesToRepair).toBe(15);
  });

  test('a wedged GPU: restart, then replacement; repaired after the replacement recheck', async () => {
    const result = await simulateStall(config, stallCase('wedged-gpu'));
    expect(result.actions.map((a) => [a.action, a.instanceId])).toEqual([
      ['stop-task', 'i-0c'],
      ['replace', 'i-0c'],
    ]);
    expect(result.minutesToRepair).toBe(30);
    expect(result.minutesToEscalation).toBeNull();
  });

  test('a cause outside the host: both steps, then one Critical page; later checks join it and act no more', async () => {
    const result = await simulateStall(config, stallCase('bad-model'));
    expect(result.minutesToEscalation).toBe(30);
    expect(result.minutesToRepair).toBeNull();
    expect(result.actions).toHaveLength(2);
    expect(result.joinedTriggers).toBeGreaterThan(10);
    expect(result.findings).toMatch(/Tried: 1\. stopped the serving task.*2\. marked unhealthy/);
  });

  test('summary.json and the report carry the stall cases with their times', async () => {
    const result = await simulateStall(config, stallCase('hung-task'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stall-'));
    const files = writeResults(dir, 'stall check', [], ['note'], [result]);
    const summary = JSON.parse(fs.readFileSync(files.summary, 'utf8')) as { gpuStall: unknown[] };
    expect(summary.gpuStall).toEqual([expect.objectContaining({ name: 'hung-task', minutesToRepair: 15 })]);
    expect(fs.readFileSync(files.report, 'utf8')).toContain('<section id="gpu-stall">');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('the failed-backup scenario (the real backup-verification workflow in the twin)', () => {
  test('a failed filestore backup: exactly one automatic re-run, one Critical page with the job error, then nothing more', async () => {
    const result = await simulateFailedBackup(config);
    expect(result).toMatchObject({ reruns: 1, criticalPages: 1 });
    // The re-run is polled 1 + 2 + 4 minutes before it is seen failed.
    expect(result.minutesToPage).toBe(7);
    expect(result.pageDetail).toMatch(
      /the automatic re-run \(job rerun-\d+\) ended FAILED: KMS key is disabled/,
    );
    expect(result.checks).toBeGreaterThan(5);
  });
});
