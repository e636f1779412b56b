import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ScaleHarness } from './scale-harness';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { startFakeAws } from '../bin/fake-aws';
import { EMPTY_HOME, opsAsync } from '../bin/run-ops';
import { ledgerInputRow, ledgerReport } from '../../bin/ops/scaling';

const START = '2026-11-23T10:00:00.000Z';
/** 30 minutes are read; the harness has datapoints for the last `n`: the rest are missing (null). */
const padded = (values: number[]) => [...Array(30 - values.length).fill(null), ...values];

let db: LocalDynamoDB;
let h: ScaleHarness;
beforeEach(async () => {
  db = await startLocalDynamoDB();
  h = new ScaleHarness(db, START);
});
afterEach(async () => {
  await db.stop();
});

const entries = () => h.deps.ledger.entries('odoo', new Date('2026-11-23T00:00:00Z'));

/** Three real decisions of Odoo: a scale-out, a hold by the database guard, a hold by a pause. */
async function threeDecisions(): Promise<void> {
  h.metrics = { cpu: [72, 75, 78], latency: [310, 320, 330] };
  await h.run({ component: 'odoo' });
  // 20 minutes later: 3 tasks at 95 %, PostgreSQL at 860 of prod's 901 connections (95 %).
  h.advance(20);
  h.metrics = { cpu: [95, 95, 95], dbconnections: [850, 855, 860] };
  await h.run({ component: 'odoo' });
  await h.deps.ledger.pause('odoo', 'load test', 'alice', h.clock);
  h.advance(1);
  await h.run({ component: 'odoo' });
}

describe('the ledger records what each decision was decided from', () => {
  test('a scale-out: the rule, the metric series as read, the fleet, the flags and the profile', async () => {
    await threeDecisions();
    const [out] = await entries();
    expect(out).toMatchObject({
      trigger: 'periodic evaluation',
      decision: { action: 'scale', from: 2, to: 3, rule: 'cpu-high', guardrails: [] },
      inputs: {
        fleet: { desired: 2, running: 2, pending: 0 },
        metrics: {
          'cpu-utilization': padded([72, 75, 78]),
          'api-latency-p95-ms': padded([310, 320, 330]),
        },
        before: { cpu: 78, latencyMs: 330 },
        paused: null,
        maintenance: false,
        stallOpen: false,
        databaseConnections: null,
        aggressiveness: 'moderate',
        costPriority: 'balanced',
      },
    });
  });

  test("a hold by the database guard records the connections it read and the guard's verdict", async () => {
    await threeDecisions();
    const guarded = (await entries())[1];
    expect(guarded).toMatchObject({
      outcome: 'hold',
      decision: { action: 'hold', from: 3, to: 3, proposed: 5, rule: 'cpu-high', guardrails: ['database'] },
      inputs: { databaseConnections: 860, metrics: { 'cpu-utilization': padded([95, 95, 95]) } },
    });
    expect(guarded?.decision.reason).toBe(
      'PostgreSQL connections at 95 % of max (guard 80 %): more workers would make it worse',
    );
  });

  test('a hold by a pause records who paused and why', async () => {
    await threeDecisions();
    expect((await entries())[2]).toMatchObject({
      decision: { action: 'hold', guardrails: ['paused'] },
      inputs: { paused: expect.stringMatching(/^load test \(by alice at /) },
    });
  });
});

describe('ops ledger --inputs', () => {
  test('the report carries each decision rule, proposal and inputs only when asked', async () => {
    await threeDecisions();
    const now = new Date('2026-11-23T11:00:00Z');
    const plain = await ledgerReport(h.deps.ledger, 'odoo', 24, now);
    expect(plain.entries[0]).not.toHaveProperty('inputs');
    const withInputs = await ledgerReport(h.deps.ledger, 'odoo', 24, now, { inputs: true });
    expect(withInputs.entries.map((e) => ledgerInputRow(e))).toEqual([
      {
        at: '2026-11-23T10:00:00.000Z',
        rule: 'cpu-high',
        proposed: undefined,
        guardrails: [],
        fleet: '2/2/0',
        metrics: [
          'cpu-utilization 78 (3/30)',
          'memory-utilization none (0/30)',
          'api-latency-p95-ms 330 (3/30)',
        ],
        flags: ['moderate', 'balanced'],
      },
      {
        at: '2026-11-23T10:21:00.000Z',
        rule: 'cpu-high',
        proposed: 5,
        guardrails: ['database'],
        fleet: '3/3/0',
        metrics: [
          'cpu-utilization 95 (3/30)',
          'memory-utilization none (0/30)',
          'api-latency-p95-ms none (0/30)',
        ],
        flags: ['db connections 860', 'moderate', 'balanced'],
      },
      expect.objectContaining({
        guardrails: ['paused'],
        flags: expect.arrayContaining([expect.stringMatching(/^paused: load test/)]),
      }),
    ]);
  });

  test('the command prints the inputs in json and as a table, read from DynamoDB', async () => {
    await threeDecisions();
    // What DynamoDB holds for Odoo's ledger, served to `ops` as its Query answer.
    const { Items } = await db.client.send(new ScanCommand({ TableName: db.table }));
    const ledgerItems = (Items ?? []).filter((i) => i.pk?.S === 'LEDGER#odoo');
    expect(ledgerItems).toHaveLength(3);
    const fake = await startFakeAws({
      Query: () => ({ body: { Items: ledgerItems, Count: ledgerItems.length } }),
    });
    try {
      const args = ['ledger', 'odoo', '--env', 'prod', '--inputs', '--hours', '2160'];
      const [json, text] = await Promise.all([
        opsAsync([...args, '--output', 'json'], { env: fake.env(EMPTY_HOME) }),
        opsAsync([...args, '--output', 'table'], { env: fake.env(EMPTY_HOME) }),
      ]);
      expect(json.stderr).toBe('');
      expect(json.status).toBe(0);
      const report = JSON.parse(json.stdout) as { entries: Array<Record<string, unknown>> };
      expect(report.entries[1]).toMatchObject({
        rule: 'cpu-high',
        proposed: 5,
        guardrails: ['database'],
        inputs: { databaseConnections: 860, fleet: { desired: 3, running: 3, pending: 0 } },
      });
      expect(text.status).toBe(0);
      const section = text.stdout.slice(text.stdout.indexOf('\ninputs:\n'));
      expect(section).toMatch(/^at +rule +proposed +guardrails +fleet +metrics +flags$/m);
      expect(section).toMatch(
        /^2026-11-23T10:21:00.000Z +cpu-high +5 +database +3\/3\/0 +cpu-utilization 95 \(3\/30\), .*db connections 860, moderate, balanced$/m,
      );
      // The table without --inputs has no such section.
      const plain = await opsAsync(['ledger', 'odoo', '--env', 'prod', '--output', 'table'], {
        env: fake.env(EMPTY_HOME),
      });
      expect(plain.stdout).not.toContain('\ninputs:\n');
    } finally {
      await fake.close();
    }
  });
});
