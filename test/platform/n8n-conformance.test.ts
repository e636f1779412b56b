import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { N8N_QUEUE_METRICS } from '../../lib/config/n8n';
import { synthPlatform } from '../infra/synth';
import { n8nApi, readWorkflowFixture } from './n8n-api';
import { installedN8n, requireNode24 } from './n8n-install';
import { N8nLocalStack } from './n8n-local-stack';
import { counts, executionIds, jsonLogLines, markers } from './n8n-output';
import { eventually, httpGet, type N8nProcess } from './n8n-process';
import { required } from './n8n-task-environment';
import { tickReport, type TickExecution } from './schedule-ticks';

/**
 * Conformance of the deployed n8n configuration against the real n8n, at the version the platform
 * deploys: one main process and two workers in queue mode, each started with the environment the
 * synthesized ECS task definitions give their containers (n8n-main, n8n-worker), against
 * PostgreSQL over verified TLS and Redis over TLS with a password, all on 127.0.0.1.
 * Needs scripts/install-n8n.sh to have run (it fails, never skips, otherwise) and Node 24.
 */

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'n8n');
const STARTUP_MS = 240_000;
/** Ticks the schedule must have executed (at least 5 intervals). */
const MIN_TICKS = 6;
const TICK_FIXTURE = readWorkflowFixture(path.join(FIXTURES, 'schedule-tick.json'));
const TICK_INTERVAL_S = (
  TICK_FIXTURE.nodes[0] as { parameters: { rule: { interval: Array<{ secondsInterval: number }> } } }
).parameters.rule.interval[0]?.secondsInterval;

interface Running {
  readonly stack: N8nLocalStack;
  readonly main: N8nProcess;
  readonly workers: readonly N8nProcess[];
  readonly workflows: { readonly tick: string; readonly echo: string; readonly slow: string };
}

let stack: N8nLocalStack | undefined;
let running: Running | undefined;
let workDir: string | undefined;
const timings: Array<[string, string]> = [];
/** Tests declared and passed: the logs are kept only when one did not pass. */
const outcome = { declared: 0, passed: 0 };

function conformance(name: string, body: () => Promise<void>, timeoutMs?: number): void {
  outcome.declared++;
  test(
    name,
    async () => {
      await body();
      outcome.passed++;
    },
    timeoutMs,
  );
}

/** Records how long a phase took, printed after the run. */
function timed(phase: string, start: number): void {
  timings.push([phase, `${((Date.now() - start) / 1000).toFixed(1)} s`]);
}

function cluster(): Running {
  if (running === undefined) throw new Error('The n8n processes did not start (see beforeAll)');
  return running;
}

async function ready(n8n: N8nProcess, timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      if (!n8n.running) throw new Error(`${n8n.label} exited:\n${n8n.tail()}`);
      return (await httpGet(`${n8n.baseUrl}/healthz/readiness`)).status === 200 ? true : undefined;
    },
    timeoutMs,
    `${n8n.label} to be ready (/healthz/readiness)`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${n8n.tail()}`);
  });
}

beforeAll(async () => {
  // Before anything: the n8n that is deployed, on Node 24.
  const n8n = installedN8n();
  const node = requireNode24();
  if (TICK_INTERVAL_S === undefined) throw new Error('schedule-tick.json has no secondsInterval');

  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-conformance-'));
  let start = Date.now();
  const template = synthPlatform('prod').workloads.toJSON();
  timed('synth (prod Workloads)', start);

  start = Date.now();
  stack = await N8nLocalStack.start({ workloadsTemplate: template, node, n8nBin: n8n.bin, workDir });
  timed('PostgreSQL (TLS) and Redis (TLS) up', start);

  // The main process first: every n8n process runs the database migrations on start, and two
  // processes migrating one empty database at once fail (a migration's relation "already exists").
  start = Date.now();
  const main = await stack.spawn('main', 'main');
  await ready(main, 150_000);
  // Readiness comes with the database; the REST API's routes and the active workflows come last,
  // when n8n announces the editor.
  await main.waitForLine(/Editor is now accessible via/, 60_000, 'the end of its start');
  timed('n8n main start (first start: migrations)', start);

  start = Date.now();
  const workers = [await stack.spawn('worker-1', 'worker'), await stack.spawn('worker-2', 'worker')];
  await Promise.all(workers.map((w) => ready(w, 60_000)));
  timed('2 n8n workers start', start);

  start = Date.now();
  const api = await n8nApi(main.baseUrl);
  const echo = await api.createActive(readWorkflowFixture(path.join(FIXTURES, 'webhook-echo.json')));
  const slow = await api.createActive(readWorkflowFixture(path.join(FIXTURES, 'webhook-slow.json')));
  const tick = await api.createActive(TICK_FIXTURE);
  timed('owner, API key, 3 workflows created and activated', start);
  running = { stack, main, workers, workflows: { tick, echo, slow } };
}, STARTUP_MS);

afterAll(async () => {
  // Every process is stopped whatever happened above; the logs stay for a failing run.
  await stack?.stop();
  const passed = outcome.passed === outcome.declared;
  if (passed && workDir !== undefined) fs.rmSync(workDir, { recursive: true, force: true });
  const width = Math.max(...timings.map(([phase]) => phase.length));
  console.log(
    [
      `n8n conformance timings${passed || workDir === undefined ? '' : ` (logs kept in ${workDir})`}:`,
      ...timings.map(([phase, took]) => `  ${phase.padEnd(width)}  ${took}`),
    ].join('\n'),
  );
}, 60_000);

describe('n8n in queue mode, as synthesized', () => {
  conformance(
    'connects to PostgreSQL over TLS, verifying the server certificate against the given CA',
    async () => {
      const { stack, main, workers } = cluster();
      const env = stack.plainEnvironment('main');
      expect(env).toMatchObject({
        EXECUTIONS_MODE: 'queue',
        DB_POSTGRESDB_SSL_ENABLED: 'true',
        DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED: 'true',
        QUEUE_BULL_REDIS_TLS: 'true',
      });
      expect(stack.containers.main.secrets).toEqual(expect.arrayContaining(['DB_POSTGRESDB_SSL_CA']));

      // Main: up, connected and migrated. Workers: connected to PostgreSQL and to Redis (over TLS,
      // with the password) - their readiness checks both.
      expect(await httpGet(`${main.baseUrl}/healthz`)).toEqual({ status: 200, body: '{"status":"ok"}' });
      for (const n8n of [main, ...workers]) {
        expect((await httpGet(`${n8n.baseUrl}/healthz/readiness`)).status).toBe(200);
      }
      // Seen from the server: every connection n8n's login holds is TLS (three processes, at least one each).
      const connections = await stack.query<{ ssl: boolean }>(
        `SELECT s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.usename = $1`,
        [stack.databaseUser],
      );
      expect(connections.length).toBeGreaterThanOrEqual(3);
      expect(connections.every((c) => c.ssl)).toBe(true);
    },
  );

  conformance(
    'a process given a CA that did not sign the server certificate refuses to start, with a TLS error',
    async () => {
      const { stack } = cluster();
      const start = Date.now();
      const refused = await stack.spawn('main-unrelated-ca', 'main', undefined, {
        databaseCaPem: stack.ca.otherCa.pem,
      });
      // Should it connect after all, it must not stay on as a second main process for the other tests.
      const exit = await refused.waitForExit(60_000).finally(() => refused.kill());
      timed('refusal of the unrelated CA', start);
      expect(exit.code).not.toBe(0);
      // n8n's own words: the database failed, because node's TLS could not verify the server.
      const errors = jsonLogLines(refused.lines)
        .filter((l) => l.level === 'error')
        .map((l) => l.message)
        .join('\n');
      expect(errors).toMatch(/There was an error initializing DB/);
      expect(errors).toMatch(
        /unable to verify the first certificate|unable to get local issuer certificate|self[- ]signed certificate/,
      );
      expect(refused.output()).not.toMatch(/n8n ready on/);
    },
  );

  conformance('the main process exposes the queue metrics on /metrics', async () => {
    const { main } = cluster();
    const { status, body } = await httpGet(`${main.baseUrl}/metrics`);
    expect(status).toBe(200);
    for (const name of [N8N_QUEUE_METRICS.waiting, N8N_QUEUE_METRICS.active]) {
      expect(body).toMatch(new RegExp(`^${name} \\d+$`, 'm'));
    }
  });

  conformance('a webhook call to the main process is executed by a worker', async () => {
    const { stack, main, workers, workflows } = cluster();
    const token = randomUUID();
    const response = await fetch(`${main.baseUrl}/webhook/conformance-echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      signal: AbortSignal.timeout(30_000),
    });
    expect(response.status).toBe(200);
    const { executionId, token: echoed } = (await response.json()) as { executionId: string; token: string };
    expect(echoed).toBe(token);

    // The main process enqueued it; exactly one worker started and finished it and ran its Code node.
    expect(executionIds(main.lines, 'Enqueued execution')).toContain(executionId);
    const finishedBy = (w: N8nProcess) =>
      executionIds(w.lines, 'Worker finished execution').includes(executionId);
    await eventually(
      () => (workers.some(finishedBy) ? true : undefined),
      10_000,
      `a worker to log the end of execution ${executionId}`,
    );
    const ran = workers.filter((w) =>
      executionIds(w.lines, 'Worker started execution').includes(executionId),
    );
    expect(ran.map((w) => w.label)).toHaveLength(1);
    const [worker] = ran as [N8nProcess];
    expect(finishedBy(worker)).toBe(true);
    const echoes = [main, ...workers].flatMap((p) =>
      markers(p.lines, 'echo')
        .filter((m) => m.token === token)
        .map(() => p.label),
    );
    expect(echoes).toEqual([worker.label]);
    const [record] = await stack.query<{ workflowId: string; mode: string; status: string }>(
      `SELECT "workflowId", mode, status FROM execution_entity WHERE id = $1`,
      [Number(executionId)],
    );
    expect(record).toEqual({ workflowId: workflows.echo, mode: 'webhook', status: 'success' });
  });

  conformance(
    `an active schedule fires exactly once per tick across the workers (at least ${MIN_TICKS} ticks)`,
    async () => {
      const start = Date.now();
      const report = await reconcileTicks(MIN_TICKS, (r) => Object.keys(r.byProcess).length === 2, 60_000);
      timed(
        `${report.ticks} schedule ticks, every ${TICK_INTERVAL_S} s (${report.firstTick} .. ${report.lastTick})`,
        start,
      );
      expect(report.ticks).toBeGreaterThanOrEqual(MIN_TICKS);
      expect(Object.keys(report.byProcess).sort()).toEqual(['worker-1', 'worker-2']);
    },
    90_000,
  );

  conformance(
    'a worker stopped (SIGTERM) while running a job finishes it; nothing runs twice or is lost',
    async () => {
      const { stack, main, workers, workflows } = cluster();
      const graceS = Number(required(stack.plainEnvironment('worker'), 'N8N_GRACEFUL_SHUTDOWN_TIMEOUT'));
      const token = randomUUID();
      const response = await fetch(`${main.baseUrl}/webhook/conformance-slow`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
        signal: AbortSignal.timeout(30_000),
      });
      expect(response.status).toBe(200);
      const { stopping, executionId } = await eventually(
        () => {
          for (const w of workers) {
            const started = markers(w.lines, 'slow-start').find((m) => m.token === token);
            if (started) return { stopping: w, executionId: started.executionId };
          }
          return undefined;
        },
        20_000,
        'a worker to start the slow job',
      );
      const other = workers.find((w) => w !== stopping) as N8nProcess;
      const linesBeforeSignal = stopping.lines.length;
      const signalled = Date.now();
      stopping.signal('SIGTERM');
      // What the main process had enqueued by a second after the signal: the stopping worker pauses
      // its queue on SIGTERM, so it may only have started jobs from before (the second covers the
      // signal's and the log pipes' delivery).
      let enqueuedByThen: string[] = [];
      const snapshot = setTimeout(
        () => (enqueuedByThen = executionIds(main.lines, 'Enqueued execution')),
        1_000,
      );
      const exit = await stopping.waitForExit((graceS + 15) * 1000).finally(() => clearTimeout(snapshot));
      const exited = Date.now();
      timed(`${stopping.label} graceful stop with the slow job running`, signalled);
      expect(exit).toEqual({ code: 0, signal: null });
      expect((Date.now() - signalled) / 1000).toBeLessThan(graceS);

      // It waited for its job (n8n's line), finished it itself, and took nothing new after the signal.
      const afterSignal = stopping.lines.slice(linesBeforeSignal);
      expect(afterSignal.join('\n')).toMatch(/Waiting for \d+ active executions to finish/);
      expect(executionIds(afterSignal, 'Worker finished execution')).toContain(executionId);
      const startedAfter = executionIds(afterSignal, 'Worker started execution');
      expect(startedAfter.filter((id) => !enqueuedByThen.includes(id))).toEqual([]);
      expect(executionIds(other.lines, 'Worker started execution')).not.toContain(executionId);
      const ends = workers.flatMap((w) =>
        markers(w.lines, 'slow-end')
          .filter((m) => m.token === token)
          .map(() => w.label),
      );
      expect(ends).toEqual([stopping.label]);
      const [record] = await stack.query<{ workflowId: string; status: string; stoppedAt: Date }>(
        `SELECT "workflowId", status, "stoppedAt" FROM execution_entity WHERE id = $1`,
        [Number(executionId)],
      );
      expect(record).toMatchObject({ workflowId: workflows.slow, status: 'success' });
      // Its record: finished after the signal and before the worker exited (so by that worker).
      expect(record?.stoppedAt.getTime()).toBeGreaterThanOrEqual(signalled);
      expect(record?.stoppedAt.getTime()).toBeLessThanOrEqual(exited);

      // Meanwhile the schedule kept ticking: every tick so far, across the stop, ran exactly once
      // (three more after the stop, which only the remaining worker can have run).
      const report = await reconcileTicks(tickExecutions().length + 3, () => true, 30_000);
      timed(`${report.ticks} schedule ticks in all, through the worker stop`, signalled);
    },
    180_000,
  );
});

/** Tick executions as the workers' Code nodes printed them, in tick order. */
function tickExecutions(): TickExecution[] {
  const { workers, workflows } = cluster();
  return workers
    .flatMap((w) =>
      markers(w.lines, 'tick')
        .filter((m) => m.workflowId === workflows.tick)
        .map((m) => ({ executionId: m.executionId, tick: m.tick ?? '', process: w.label })),
    )
    .sort((a, b) => Date.parse(a.tick) - Date.parse(b.tick));
}

/**
 * Waits for `minTicks` executed ticks (and `enough`), then checks every tick up to the newest:
 * once each and one interval apart (the report), each execution the scheduler created executed
 * exactly once (its record, the workers' "Worker started execution" lines, the Code node's marker),
 * none on the main process.
 */
async function reconcileTicks(
  minTicks: number,
  enough: (report: ReturnType<typeof tickReport>) => boolean,
  timeoutMs: number,
): Promise<ReturnType<typeof tickReport>> {
  const { stack, main, workers, workflows } = cluster();
  const interval = TICK_INTERVAL_S as number;
  await eventually(
    () => {
      const executed = tickExecutions();
      return executed.length >= minTicks && enough(tickReport(executed, interval)) ? true : undefined;
    },
    timeoutMs,
    `${minTicks} executed schedule ticks`,
  );
  const newest = Math.max(...tickExecutions().map((t) => Number(t.executionId)));
  // Every execution of the schedule up to the newest marker, once n8n has finished them all.
  const records = await eventually(
    async () => {
      const rows = await stack.query<{ id: number; status: string; mode: string }>(
        `SELECT id, status, mode FROM execution_entity WHERE "workflowId" = $1 AND id <= $2 ORDER BY id`,
        [workflows.tick, newest],
      );
      return rows.every((r) => !['new', 'running'].includes(r.status)) ? rows : undefined;
    },
    15_000,
    'the schedule executions to finish',
  );
  await new Promise((resolve) => setTimeout(resolve, 500)); // their last stdout lines
  const executed = tickExecutions().filter((t) => Number(t.executionId) <= newest);

  expect(records.map((r) => `${r.id} ${r.mode} ${r.status}`)).toEqual(
    records.map((r) => `${r.id} trigger success`),
  );
  expect(executed.map((t) => t.executionId).sort()).toEqual(records.map((r) => String(r.id)).sort());
  const started = counts(workers.flatMap((w) => executionIds(w.lines, 'Worker started execution')));
  for (const { executionId } of executed)
    expect(`${executionId}: ${started.get(executionId)}`).toBe(`${executionId}: 1`);
  expect(markers(main.lines, 'tick')).toEqual([]);

  const report = tickReport(executed, interval);
  expect(report.doubled).toEqual([]);
  expect(report.gaps).toEqual([]);
  return report;
}
