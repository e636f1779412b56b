import fc from 'fast-check';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ChannelId } from '../../lib/config/constants';
import { fallbackChannelFor } from '../../lambdas/core/escalation/channels';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { memberKey } from '../../lambdas/core/escalation/ids';
import { isUnresolved } from '../../lambdas/core/escalation/incident-state';
import { escalationSteps } from '../../lambdas/core/escalation/plan';
import type { Incident } from '../../lambdas/core/escalation/types';
import type { WorkflowInput } from '../../lambdas/core/routing/route';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { EscalationHarness, type HarnessRun } from './escalation-harness';
import { routedAlarmInput } from '../support/alarm-signals';

/**
 * Paging under what AWS really delivers: at-least-once, unordered, concurrent, with partial
 * failures. Generated scenarios drive the real escalation ASL with the real handlers on dynalite;
 * every DynamoDB call may fail before or after it takes effect, SNS may refuse a channel, and
 * failed executions are redriven from the state that failed. Afterwards the state table and the
 * messages SNS accepted must satisfy the paging invariants (a)-(d) of issue 16.
 */

const REPLAY = process.env.RACE_REPLAY ? (JSON.parse(process.env.RACE_REPLAY) as Scenario) : undefined;
const MONDAY_MORNING = Date.parse('2026-11-23T10:00:00.000Z');
/** Correlation groups (odoo_resources), a parent and its child, a confirmation, Critical and Medium paths. */
const POOL = [
  'Odoo_Server_High_CPU',
  'Odoo_Server_Memory_Utilization',
  'Odoo_Server_Low_Disk_Space',
  'PostgreSQL_Unavailable',
  'Odoo_Database_Connection_Errors',
  'High_Odoo_N8N_API_Error_Rate',
  'Odoo_N8N_API_P95_Latency',
  'Payment_Processing_Failure_Rate',
] as const;

interface Change {
  readonly alert: string;
  readonly state: 'ALARM' | 'OK';
  readonly at: number;
}

interface Scenario {
  readonly changes: readonly Change[];
  /** Delivery order: indexes into changes, duplicates included. */
  readonly deliveries: readonly number[];
  readonly concurrency: number;
  readonly dynamoFaultRate: number;
  readonly failingChannel: ChannelId | undefined;
  /** Any publish refused at this rate (transient), on top of the failing channel. */
  readonly snsFaultRate: number;
  readonly seed: number;
}

function alarmInput(change: Change): WorkflowInput {
  return routedAlarmInput(change.alert, change.state, new Date(change.at));
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    alerts: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 5 }),
    histories: fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }), {
      minLength: 5,
      maxLength: 5,
    }),
    duplicates: fc.array(fc.boolean(), { minLength: 15, maxLength: 15 }),
    order: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 30, maxLength: 30 }),
    concurrency: fc.integer({ min: 2, max: 8 }),
    dynamoFaultRate: fc.constantFrom(0, 0, 0.04, 0.1),
    failingChannel: fc.constantFrom<ChannelId | undefined>(undefined, undefined, 'sms', 'slack'),
    snsFaultRate: fc.constantFrom(0, 0, 0.05),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  })
  .map(({ alerts, histories, duplicates, order, ...rest }) => {
    const changes: Change[] = [];
    alerts.forEach((alert, a) => {
      // Alternating from a random first state: each change is a transition, 1-3 per alert.
      const history = histories[a] ?? [true];
      let state: 'ALARM' | 'OK' = history[0] ? 'ALARM' : 'OK';
      history.forEach((_, i) => {
        changes.push({ alert, state, at: MONDAY_MORNING + i * 60_000 + a * 1_000 });
        state = state === 'ALARM' ? 'OK' : 'ALARM';
      });
    });
    const deliveries = changes.flatMap((_, i) => (duplicates[i] ? [i, i] : [i]));
    const shuffled = deliveries
      .map((d, i) => ({ d, key: order[i % order.length] ?? 0 }))
      .sort((x, y) => x.key - y.key)
      .map((x) => x.d);
    return { changes, deliveries: shuffled, ...rest };
  });

/** mulberry32: a small seeded PRNG, so a failing case replays from its printed seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: size }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/** The final state of each alert: its latest change by the alarm's own time. */
function finalStates(changes: readonly Change[]): Map<string, 'ALARM' | 'OK'> {
  const latest = new Map<string, Change>();
  for (const c of changes) if ((latest.get(c.alert)?.at ?? -1) < c.at) latest.set(c.alert, c);
  return new Map([...latest].map(([alert, c]) => [alert, c.state]));
}

async function incidents(db: LocalDynamoDB): Promise<Incident[]> {
  const items = (await db.doc.send(new ScanCommand({ TableName: db.table }))).Items ?? [];
  return items
    .filter((i) => i.sk === 'INCIDENT')
    .map((i) => ({
      ...(i as unknown as Incident),
      activeMembers: i.activeMembers instanceof Set ? [...(i.activeMembers as Set<string>)] : [],
    }));
}

/** Runs a scenario, redrives what failed (faults off), and returns what to check. */
async function play(db: LocalDynamoDB, s: Scenario) {
  // A short lease so that a holder whose release failed frees the group within the case. Its
  // call margin (a quarter: 250 ms) must outlast the event loop's stalls with 8 executions on
  // dynalite in one process: at 250 ms (62 ms margin) a loaded machine let a publish that began
  // inside the lease land after the next holder's resolution (one case in 500, 2026-12-03).
  const h = new EscalationHarness(db, '2026-11-23T10:05:00.000Z', { leaseMs: 1_000, waitMs: 60_000 });
  h.advanceOnTimeout = false;
  const rnd = random(s.seed);
  h.gate = async () => {
    for (let i = Math.floor(rnd() * 3); i > 0; i--) await new Promise((r) => setImmediate(r));
  };
  h.faults = {
    dynamo: (command) =>
      // Lock items fail too: a holder that cannot release leaves its lease to run out.
      command !== 'ScanCommand' && rnd() < s.dynamoFaultRate ? (rnd() < 0.5 ? 'before' : 'after') : undefined,
    sns: (channel) => channel === s.failingChannel || rnd() < s.snsFaultRate,
  };
  const finals = finalStates(s.changes);
  const alarmState = (alert: string) => () => finals.get(alert) ?? 'OK';
  const runs: HarnessRun[] = [];
  await pool(s.deliveries, s.concurrency, async (d) => {
    const change = s.changes[d] as Change;
    runs.push(await h.run(alarmInput(change), { alarmState: alarmState(change.alert) }));
  });
  const failed = runs.filter((r) => r.error);
  h.faults = { sns: (channel) => channel === s.failingChannel };
  let redriven = 0;
  for (let round = 0, pending = failed; pending.length > 0 && round < 3; round++) {
    const again: HarnessRun[] = [];
    for (const r of pending) {
      const alert = (r.failedAt?.input as { input?: WorkflowInput })?.input?.alert.name ?? '';
      const rerun = await h.redrive(r, { alarmState: alarmState(alert) });
      redriven++;
      if (rerun.error) again.push(rerun);
    }
    pending = again;
    if (round === 2 && pending.length > 0)
      throw new Error(`redrive left ${pending.length} failed: ${pending[0]?.error?.message}`);
  }
  return { h, finals, failed: failed.length, redriven, incidents: await incidents(db) };
}

function check(played: Awaited<ReturnType<typeof play>>): void {
  const { h, finals, incidents: all } = played;
  const pages = h.pages();
  const subject = (alert: string) => `influencegen-prod-${alert}`;

  // (a) an alert whose latest state is ALARM holds exactly one unresolved incident; OK: none.
  for (const [alert, state] of finals) {
    const member = memberKey(alert, subject(alert));
    const holding = all.filter((i) => isUnresolved(i) && (i.activeMembers ?? []).includes(member));
    expect({ alert, state, holding: holding.map((i) => i.id) }).toEqual({
      alert,
      state,
      holding: state === 'ALARM' ? [expect.any(String)] : [],
    });
  }

  for (const incident of all) {
    const steps = escalationSteps(catalogueAlert(incident.alertName));
    // (b) each planned step's channels published exactly once; a failed channel fell back to email.
    const lastPlanned = Math.max(-1, ...Object.keys(incident.stepPlans ?? {}).map(Number));
    for (const [index, plan] of Object.entries(incident.stepPlans ?? {})) {
      const level = String(steps[Number(index)]?.level);
      const sent = (channel: ChannelId) =>
        pages.filter((p) => p.incidentId === incident.id && p.level === level && p.channel === channel)
          .length;
      const failed = (channel: ChannelId) => incident.failedDeliveries?.[`${index}#${channel}`] !== undefined;
      const fallback = fallbackChannelFor(plan.channels);
      for (const channel of plan.channels) {
        // At most once. Exactly once unless SNS refused it (a retry may still have delivered it),
        // or the incident was resolved while its last step was being paged (Notify stops then).
        const times = sent(channel);
        const interrupted = incident.status !== 'open' && Number(index) === lastPlanned;
        expect({ incident: incident.id, level, channel, sent: times }).toEqual({
          incident: incident.id,
          level,
          channel,
          sent: failed(channel) || interrupted ? expect.any(Number) : 1,
        });
        expect(times).toBeLessThanOrEqual(1);
        // A refused channel's page went to the fallback, unless the fallback was refused too.
        if (times === 0 && !interrupted && channel !== fallback && !failed(fallback))
          expect(sent(fallback)).toBe(1);
      }
    }
    // An incident open at the end, never acknowledged, paged every level of its path.
    if (incident.status === 'open') expect(Object.keys(incident.stepPlans ?? {}).length).toBe(steps.length);
    // (c) nothing but the resolution notice after the resolution was committed.
    const resolved = h.resolutions.find((r) => r.incidentId === incident.id);
    if (resolved) {
      const late = pages.filter(
        (p) => p.incidentId === incident.id && p.level !== 'resolved' && p.seq > resolved.seq,
      );
      expect(late).toEqual([]);
      const notices = pages.filter((p) => p.incidentId === incident.id && p.level === 'resolved');
      expect(notices.length).toBe(new Set(notices.map((p) => p.channel)).size);
    }
  }
}

describe('escalation under races, reordering and partial failures (property)', () => {
  let db: LocalDynamoDB;
  beforeAll(async () => {
    db = await startLocalDynamoDB();
  });
  afterAll(async () => {
    await db.stop();
  });

  const stats = { cases: 0, executions: 0, failed: 0, redriven: 0, incidents: 0, pages: 0 };

  test('every interleaving keeps the paging invariants (a)-(d)', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const fresh = await db.freshTable();
        const played = await play(fresh, scenario);
        check(played);
        stats.cases++;
        stats.executions += scenario.deliveries.length;
        stats.failed += played.failed;
        stats.redriven += played.redriven;
        stats.incidents += played.incidents.length;
        stats.pages += played.h.pages().length;
        played.h.snsMock.restore();
        played.h.sfnMock.restore();
      }),
      {
        // RACE_REPLAY='<the counterexample's scenario JSON>' replays one case; RACE_CASES sets how many.
        ...(REPLAY
          ? { examples: [[REPLAY]], numRuns: 1 }
          : { numRuns: Number(process.env.RACE_CASES ?? 500) }),
        // No shrinking: each case costs seconds; the failing scenario is printed whole instead.
        endOnFailure: true,
        verbose: 1,
      },
    );
    // Printed for the closing note: what the generated cases exercised.
    console.log('escalation races', stats);
    if (!REPLAY) {
      // The generated cases did inject failures that failed executions, and did page.
      expect(stats.failed).toBeGreaterThan(0);
      expect(stats.pages).toBeGreaterThan(0);
    }
  }, 1_800_000);
});
