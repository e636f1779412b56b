import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EscalationHarness, harnessPerTest } from './escalation-harness';
import { FakeOdoo } from './escalation-ticket-servers';
import { routedAlarmInput } from '../support/alarm-signals';
import type { LocalDynamoDB } from '../../sim/aws/local-dynamodb';

/** Monday 10:00 UTC: business hours. */
const MONDAY_MORNING = '2026-11-23T10:00:00.000Z';
/** n8n's callbacks to Odoo failing: validated by probing Odoo (lib/config/probe-validation.ts). */
const VALIDATED = 'High_N8N_Odoo_Callback_Error_Rate';

let db: LocalDynamoDB;
let h: EscalationHarness;
harnessPerTest(MONDAY_MORNING, (d, harness) => {
  db = d;
  h = harness;
});

const healthy = async (p: { target: string }) => ({
  status: 'HEALTHY',
  target: p.target,
  url: 'https://odoo.influencegen.example/web/login',
  httpStatus: 200,
  durationMs: 412,
  reason: 'login page answered 200 in 412 ms',
});
const unhealthy = async (p: { target: string }) => ({
  status: 'UNHEALTHY',
  target: p.target,
  url: 'https://odoo.influencegen.example/web/login',
  durationMs: 30_000,
  reason: 'no answer within 30 s',
});

/** The incident the workflow opened for the alert (it has no page to read it from when nobody was paged). */
async function openedIncident() {
  const items = await db.doc.send(
    new ScanCommand({
      TableName: db.table,
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': 'INCIDENT#' },
    }),
  );
  expect(items.Items).toHaveLength(1);
  return h.deps.store.incident((items.Items?.[0] as { id: string }).id);
}

describe('probe before paging (seed 004 Alert Validation)', () => {
  test('the probe finds Odoo answering: nobody is paged, the incident is closed as a transient with the probe verdict', async () => {
    h.probe = healthy;
    const run = await h.run(routedAlarmInput(VALIDATED, 'ALARM', h.clock));
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('Transient');
    expect(h.probeCalls).toEqual([{ target: 'odoo', mode: 'validate' }]);
    expect(h.pages()).toEqual([]);
    const incident = await openedIncident();
    expect(incident).toMatchObject({
      status: 'resolved',
      pages: [],
      transient: {
        at: MONDAY_MORNING,
        target: 'odoo',
        url: 'https://odoo.influencegen.example/web/login',
        httpStatus: 200,
        durationMs: 412,
        reason: 'login page answered 200 in 412 ms',
      },
    });
    expect(h.metrics.total('incidentsResolved', { severity: 'Critical' })).toBe(1);
    expect(h.metrics.total('pages')).toBe(0);
    // Its return to OK later finds nothing open and notifies nobody.
    h.advance(5);
    const ok = await h.run(routedAlarmInput(VALIDATED, 'OK', h.clock));
    expect(ok.error).toBeUndefined();
    expect(h.pages()).toEqual([]);
  });

  test('a write of RecordTransient fails after it took effect: the retry still closes the incident with its verdict, nobody paged', async () => {
    h.probe = healthy;
    let failed = false;
    h.faults = {
      // The first write to the incident once the probe has answered (the verdict), as a timeout.
      dynamo: (command, key) => {
        if (
          failed ||
          h.probeCalls.length === 0 ||
          command !== 'UpdateCommand' ||
          !key.startsWith('INCIDENT#')
        )
          return undefined;
        failed = true;
        return 'after';
      },
    };
    const run = await h.run(routedAlarmInput(VALIDATED, 'ALARM', h.clock));
    expect(failed).toBe(true);
    expect(run.endState).toBe('Transient');
    expect(h.pages()).toEqual([]);
    expect(await openedIncident()).toMatchObject({ status: 'resolved', transient: { target: 'odoo' } });
    expect(h.metrics.total('incidentsResolved', { severity: 'Critical' })).toBe(1);
  });

  test('the probe fails too: the alert pages as without validation', async () => {
    h.probe = unhealthy;
    const run = await h.run(routedAlarmInput(VALIDATED, 'ALARM', h.clock));
    expect(run.endState).toBe('EscalationExhausted');
    expect(h.probeCalls).toEqual([{ target: 'odoo', mode: 'validate' }]);
    expect(
      h
        .pages()
        .filter((p) => p.level === '0')
        .map((p) => p.channel),
    ).toEqual(['pagerduty', 'sms', 'slack', 'email']);
    expect((await h.deps.store.incident(h.pages()[0]?.incidentId as string))?.transient).toBeUndefined();
  });

  test.each([
    // A timeout is not retried: the page would wait another 40 s per attempt for the same answer.
    ['times out (its Lambda timeout)', 'Sandbox.Timedout', 1],
    ["times out (the Task's TimeoutSeconds)", 'States.Timeout', 1],
    ['fails with an unhandled error', 'Error', 1],
    ['is throttled', 'Lambda.TooManyRequestsException', 4],
  ])('the probe function itself %s: treated as UNHEALTHY, the alert pages', async (_what, name, attempts) => {
    h.probe = async () => {
      throw Object.assign(new Error(`probe ${name}`), { name });
    };
    const run = await h.run(routedAlarmInput(VALIDATED, 'ALARM', h.clock));
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('EscalationExhausted');
    expect(h.probeCalls).toHaveLength(attempts);
    expect(h.pages().length).toBeGreaterThan(0);
  });

  test('an answer that is not the contract (no status) pages', async () => {
    h.probe = async () => ({ ok: true });
    const run = await h.run(routedAlarmInput(VALIDATED, 'ALARM', h.clock));
    expect(run.endState).toBe('EscalationExhausted');
    expect(h.pages().length).toBeGreaterThan(0);
  });

  test('an alert that is not probe-validated pages without a probe', async () => {
    h.probe = healthy;
    const run = await h.run(routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock));
    expect(run.endState).toBe('EscalationExhausted');
    expect(h.probeCalls).toEqual([]);
    expect(h.pages().length).toBeGreaterThan(0);
  });

  test('without a probe deployed a validated alert pages at once', async () => {
    const run = await h.run(routedAlarmInput(VALIDATED, 'ALARM', h.clock));
    expect(run.endState).toBe('EscalationExhausted');
    expect(run.visited).not.toContain('ProbeService');
    expect(h.probeCalls).toEqual([]);
  });

  test('the incident paged meanwhile (a second execution): the late HEALTHY verdict closes nothing', async () => {
    h.probe = unhealthy;
    const run = await h.run(routedAlarmInput(VALIDATED, 'ALARM', h.clock));
    const id = h.pages()[0]?.incidentId as string;
    expect(run.endState).toBe('EscalationExhausted');
    const late = await h.run(
      {},
      {
        startAt: {
          state: 'RecordTransient',
          input: {
            register: { result: { action: 'page', incident: { id }, firstStep: 0, takenOver: false } },
            probe: { result: await healthy({ target: 'odoo' }) },
          },
        },
      },
    );
    // Not closed: the workflow goes on as if the probe had failed (the steps are paged already).
    const paged = h.pages().length;
    expect(late.visited).toContain('FirstStep');
    expect(h.pages()).toHaveLength(paged);
    expect(await h.deps.store.incident(id)).toMatchObject({ status: 'open' });
    expect((await h.deps.store.incident(id))?.transient).toBeUndefined();
  });

  test('a validated alert with tickets on: a transient opens no ticket', async () => {
    const odoo = await new FakeOdoo().start();
    try {
      h.useTickets(
        {
          system: 'odoo-helpdesk',
          url: odoo.url,
          database: FakeOdoo.DB,
          secret: 'influencegen/prod/ticketing',
        },
        { login: FakeOdoo.LOGIN, password: FakeOdoo.API_KEY },
      );
      h.probe = healthy;
      const run = await h.run(routedAlarmInput(VALIDATED, 'ALARM', h.clock));
      expect(run.endState).toBe('Transient');
      expect(odoo.received).toBe(0);
    } finally {
      await odoo.stop();
    }
  });
});
