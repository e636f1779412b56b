import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { EscalationHarness, harnessPerTest } from './escalation-harness';
import { FakeJira, FakeOdoo, type Fault } from './escalation-ticket-servers';
import { routedAlarmInput } from '../support/alarm-signals';
import type { LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { newIncident } from '../../lambdas/core/escalation/new-incident';
import { TicketStore } from '../../lambdas/aws/ticket-store';
import { RUNTIME_ALERT_CATALOGUE } from '../../lib/config/alert-runtime';
import { TICKETING_FAILURE_ALERT, type TicketingConfigInput } from '../../lib/config/ticketing';
import { ticketEligibility } from '../../lambdas/core/ticketing/ticket';

/** Monday 10:00 UTC: business hours. */
const MONDAY_MORNING = '2026-11-23T10:00:00.000Z';
const RUNBOOKS = 'https://runbooks.example.com/control-plane/';

let db: LocalDynamoDB;
let h: EscalationHarness;
let odoo: FakeOdoo;
let jira: FakeJira;

const odooConfig = (overrides: Partial<Record<string, unknown>> = {}): TicketingConfigInput => ({
  system: 'odoo-helpdesk',
  url: odoo.url,
  database: FakeOdoo.DB,
  secret: 'influencegen/prod/ticketing',
  assignment: { teamId: 5 },
  stages: { acknowledged: 'In Progress', resolved: 3 },
  timeoutMs: 300,
  ...overrides,
});
const ODOO_SECRET = { login: FakeOdoo.LOGIN, password: FakeOdoo.API_KEY };

harnessPerTest(MONDAY_MORNING, (d, harness) => {
  db = d;
  h = harness;
});
beforeEach(async () => {
  odoo = await new FakeOdoo().start();
  jira = await new FakeJira().start();
});
afterEach(async () => {
  await Promise.all([odoo.stop(), jira.stop()]);
});

const incidentOf = () => h.pages()[0]?.incidentId as string;
const tickets = () => new TicketStore(db.doc, db.table);

describe('tickets in Odoo Helpdesk (JSON-RPC)', () => {
  test('a new Critical incident: pages first, then one ticket (priority 3, runbook, incident id, team); ack and resolution move and note it', async () => {
    h.useTickets(odooConfig(), ODOO_SECRET);
    let pagedBeforeTicket = -1;
    odoo.onRequest = () => {
      if (pagedBeforeTicket < 0) pagedBeforeTicket = h.pages().length;
    };
    let resolution: Promise<{ endState: string | undefined }> | undefined;
    const run = await h.run(routedAlarmInput('Payment_Processing_Failure_Rate', 'ALARM', h.clock), {
      onAwait: async ({ incidentId, harness }) => {
        harness.advance(10);
        await harness.ack(incidentId, 'rolling back the payment provider config');
        harness.advance(5);
        resolution = harness.run(routedAlarmInput('Payment_Processing_Failure_Rate', 'OK', harness.clock));
        await resolution;
        return 'keep-waiting';
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.endState).toBe('Acknowledged');
    expect((await resolution)?.endState).toBe('Resolved');
    // The four Critical channels were paged before the ticket system heard anything.
    expect(pagedBeforeTicket).toBe(4);

    const id = incidentOf();
    expect(odoo.ops('create')).toHaveLength(1);
    const [ticketId, ticket] = [...odoo.tickets.entries()][0] as [number, Record<string, unknown>];
    expect(ticket).toMatchObject({
      name: `[${id}] Critical: Payment_Processing_Failure_Rate (prod)`,
      priority: '3',
      team_id: 5,
    });
    expect(ticket.description).toContain(`Incident: ${id}`);
    expect(ticket.description).toContain(`Runbook: ${RUNBOOKS}runbooks/payment_failures.md`);
    expect(ticket.description).toContain(
      // HTML-escaped: the description is an HTML field.
      `Condition: ${catalogueAlert('Payment_Processing_Failure_Rate').condition.replace('>', '&gt;')}`,
    );
    expect(odoo.calls.find((c) => c.method === 'authenticate')?.args).toEqual([
      FakeOdoo.DB,
      FakeOdoo.LOGIN,
      '*',
      {},
    ]);
    // Acknowledgement: In Progress (looked up by name), then resolution: stage 3, each with a note.
    expect(odoo.ops('write').map((c) => c.args)).toEqual([
      [[ticketId], { stage_id: 2 }],
      [[ticketId], { stage_id: 3 }],
    ]);
    expect(ticket.stage_id).toBe(3);
    expect(odoo.notes.map((n) => n.body)).toEqual([
      expect.stringContaining('rolling back the payment provider config'),
      expect.stringMatching(/^<p>Resolved at 2026-11-23T10:15:00.000Z/),
    ]);
    expect(await tickets().get(id)).toMatchObject({
      status: 'open',
      ticketId: String(ticketId),
      updates: { acknowledged: { status: 'done' }, resolved: { status: 'done' } },
    });
    expect(h.ticketingFailures).toBe(0);
  });

  test.each([
    ['Odoo_Server_High_CPU', 'High', '2'],
    ['Odoo_N8N_API_P95_Latency', 'Medium', '1'],
  ])('%s (%s) opens a ticket of priority %s', async (alert, severity, priority) => {
    h.useTickets(odooConfig(), ODOO_SECRET);
    const run = await h.run(routedAlarmInput(alert, 'ALARM', h.clock));
    expect(run.error).toBeUndefined();
    expect(h.pages().length).toBeGreaterThan(0);
    expect([...odoo.tickets.values()]).toEqual([
      expect.objectContaining({ priority, name: expect.stringContaining(`${severity}: ${alert}`) }),
    ]);
  });

  test('a Low incident opens no ticket, and neither does the ticketing alert itself', async () => {
    h.useTickets(odooConfig(), ODOO_SECRET);
    const low = RUNTIME_ALERT_CATALOGUE.find((a) => a.severity === 'Low');
    if (!low) throw new Error('the catalogue has no Low alert');
    const incident = newIncident(low, { id: 'INC-low', subject: 'odoo', status: 'open', now: h.clock });
    await h.deps.store.putIncident(incident, h.clock);
    expect(await h.ticket({ phase: 'open', incidentId: 'INC-low', executionId: 'e-1' })).toEqual({
      status: 'skipped',
      reason: 'severity Low opens no ticket',
    });
    expect(await h.ticket({ phase: 'sync', incidentId: 'INC-low', executionId: 'e-1' })).toMatchObject({
      status: 'skipped',
    });
    expect(odoo.calls).toEqual([]);
    expect(await tickets().get('INC-low')).toBeUndefined();
    // The ticketing alert is Medium but about the ticket system itself (not in the catalogue yet: by its decision).
    expect(
      ticketEligibility({ alertName: TICKETING_FAILURE_ALERT, severity: 'Medium', status: 'open' }),
    ).toEqual({ eligible: false, reason: `${TICKETING_FAILURE_ALERT} is about the ticket system itself` });
    expect(
      ticketEligibility({ alertName: 'Odoo_Server_High_CPU', severity: 'Medium', status: 'open' }),
    ).toEqual({
      eligible: true,
      severity: 'Medium',
    });
  });

  test('the same alarm delivered twice, a second execution and concurrent attempts open one ticket', async () => {
    h.useTickets(odooConfig(), ODOO_SECRET);
    const input = routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock);
    const first = await h.run(input);
    const again = await h.run(input);
    expect(first.endState).toBe('EscalationExhausted');
    expect(again.endState).toBe('Recorded');
    const id = incidentOf();
    // Another execution's OpenTicket (and two at once) for the same incident.
    const results = await Promise.all([
      h.ticket({ phase: 'open', incidentId: id, executionId: 'other-1' }),
      h.ticket({ phase: 'open', incidentId: id, executionId: 'other-2' }),
      h.ticket({ phase: 'open', incidentId: id, executionId: first.executionId }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['exists', 'exists', 'exists']);
    expect(odoo.ops('create')).toHaveLength(1);
  });

  test("a step that gives up on another execution's live claim defers to it: nothing counted, the holder opens the one ticket", async () => {
    // The incident and its pages, with no ticket yet (tickets switched on afterwards).
    const run = await h.run(routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock));
    expect(run.endState).toBe('EscalationExhausted');
    const id = incidentOf();
    h.useTickets(odooConfig(), ODOO_SECRET);
    // A redelivery's execution claims the opening and is still inside its attempt (Odoo is slow).
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: `TICKET#${id}`, sk: 'TICKET' },
        UpdateExpression: 'SET incidentId = :id, #s = :creating, claimedBy = :holder, claimedAtMs = :now',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':id': id,
          ':creating': 'creating',
          ':holder': 'holder',
          ':now': h.clock.getTime(),
        },
      }),
    );
    await expect(h.ticket({ phase: 'open', incidentId: id, executionId: 'waiter' })).rejects.toMatchObject({
      name: 'TicketBusy',
    });
    // The waiter's retries ran out: its Catch hands the TicketBusy error to the failed phase.
    const gaveUp = await h.ticket({
      phase: 'failed',
      incidentId: id,
      executionId: 'waiter',
      error: {
        Error: 'TicketBusy',
        Cause: JSON.stringify({ errorMessage: `ticket of ${id} is being opened by holder` }),
      },
    });
    expect(gaveUp).toMatchObject({
      status: 'deferred',
      reason: expect.stringMatching(/being opened by holder/),
    });
    expect(h.ticketingFailures).toBe(0);
    expect(await tickets().get(id)).toMatchObject({ status: 'creating', claimedBy: 'holder' });
    expect((await tickets().get(id))?.failures).toBeUndefined();
    // The holder finishes its attempt: one ticket.
    expect(await h.ticket({ phase: 'open', incidentId: id, executionId: 'holder' })).toMatchObject({
      status: 'opened',
    });
    expect(odoo.ops('create')).toHaveLength(1);
    // A failure of the ticket system itself is still counted.
    await h.ticket({
      phase: 'failed',
      incidentId: id,
      executionId: 'other',
      error: { Error: 'TicketSystemUnavailable', Cause: 'POST /jsonrpc: HTTP 502' },
    });
    expect(h.ticketingFailures).toBe(1);
  });

  test('an attempt that died after Odoo created the ticket: the takeover finds it instead of opening another', async () => {
    h.useTickets(odooConfig(), ODOO_SECRET);
    const run = await h.run(routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock));
    const id = incidentOf();
    expect(run.error).toBeUndefined();
    // As if the recording after create had been lost: the claim is left `creating` by a dead attempt.
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: { pk: `TICKET#${id}`, sk: 'TICKET' },
        UpdateExpression: 'SET #s = :creating, claimedBy = :dead, claimedAtMs = :old',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':creating': 'creating', ':dead': 'dead', ':old': 0 },
      }),
    );
    expect(await h.ticket({ phase: 'open', incidentId: id, executionId: 'later' })).toMatchObject({
      status: 'found',
    });
    expect(odoo.ops('create')).toHaveLength(1);
    expect(odoo.ops('search_read')).toHaveLength(1);
  });

  test.each<[Fault, number]>([
    ['http-500', 4],
    ['garbage', 4],
    ['rpc-error', 4],
    ['hang', 4],
  ])(
    'Odoo answering %s: the pages go out, the step gives up after %i attempts, the failure is recorded and counted',
    async (fault, attempts) => {
      h.useTickets(odooConfig(), ODOO_SECRET);
      odoo.always = fault;
      const run = await h.run(routedAlarmInput('Payment_Processing_Failure_Rate', 'ALARM', h.clock));
      expect(run.error).toBeUndefined();
      // The whole escalation, every level paged on every channel, as without tickets.
      expect(run.endState).toBe('EscalationExhausted');
      expect(h.pages()).toHaveLength(16);
      expect(run.visited.filter((s) => s === 'OpenTicket')).toHaveLength(1);
      expect(run.visited).toContain('RecordTicketFailure');
      expect(h.ticketingFailures).toBe(1);
      const record = await tickets().get(incidentOf());
      expect(record).toMatchObject({ status: 'failed', failures: 1 });
      expect(record?.lastError).toMatch(
        {
          'http-500': /TicketSystemUnavailable: POST \/jsonrpc: HTTP 500/,
          garbage: /TicketSystemUnavailable: POST \/jsonrpc: HTTP 200: not JSON/,
          'rpc-error':
            /TicketSystemUnavailable: common\.authenticate: psycopg2\.errors\.SerializationFailure/,
          hang: /TicketSystemUnavailable: POST \/jsonrpc: no answer within 300 ms/,
        }[fault],
      );
      expect(odoo.tickets.size).toBe(0);
      // Bounded: one request per attempt (each fails at authenticate), no retry beyond the Retry's.
      expect(odoo.received).toBe(attempts);
    },
  );

  test('a refused API key is not retried (it cannot pass): recorded and counted at once', async () => {
    h.useTickets(odooConfig(), { login: FakeOdoo.LOGIN, password: 'revoked' });
    const run = await h.run(routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock));
    expect(run.endState).toBe('EscalationExhausted');
    expect(h.pages().length).toBeGreaterThan(0);
    expect(odoo.received).toBe(1);
    expect(h.ticketingFailures).toBe(1);
    expect((await tickets().get(incidentOf()))?.lastError).toMatch(
      /TicketRejected: authenticate: Odoo refused/,
    );
  });

  test('a secret that is missing: no call to Odoo, not retried, recorded and counted; the pages go out', async () => {
    h.useTickets(odooConfig(), ODOO_SECRET);
    h.secretsMock.on(GetSecretValueCommand).rejects(
      Object.assign(new Error("Secrets Manager can't find the specified secret."), {
        name: 'ResourceNotFoundException',
      }),
    );
    const run = await h.run(routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock));
    expect(run.endState).toBe('EscalationExhausted');
    expect(h.pages().length).toBeGreaterThan(0);
    expect(odoo.received).toBe(0);
    expect(h.secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(h.ticketingFailures).toBe(1);
    expect((await tickets().get(incidentOf()))?.lastError).toMatch(
      /TicketRejected: secret influencegen\/prod\/ticketing: ResourceNotFoundException/,
    );
  });

  test('Odoo down when the incident opened and back by its resolution: the ticket is opened then, and resolved', async () => {
    h.useTickets(odooConfig(), ODOO_SECRET);
    odoo.always = 'http-500';
    const input = routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock);
    const run = await h.run(input);
    expect(run.endState).toBe('EscalationExhausted');
    expect(h.ticketingFailures).toBe(1);
    odoo.always = undefined;
    h.advance(20);
    const resolved = await h.run(routedAlarmInput('Odoo_Server_High_CPU', 'OK', h.clock));
    expect(resolved.endState).toBe('Resolved');
    expect(odoo.ops('create')).toHaveLength(1);
    expect(odoo.ops('search_read')).toHaveLength(1);
    expect([...odoo.tickets.values()][0]).toMatchObject({ priority: '2', stage_id: 3 });
    expect(await tickets().get(incidentOf())).toMatchObject({
      status: 'open',
      updates: { resolved: { status: 'done' } },
    });
  });

  test('a malformed ticket event is refused naming the field, before any call', async () => {
    h.useTickets(odooConfig(), ODOO_SECRET);
    await expect(h.ticket({ phase: 'open', incidentId: '' })).rejects.toThrow(/^incidentId:/);
    await expect(h.ticket({ phase: 'reopen' as never, incidentId: 'INC-1' })).rejects.toThrow(/^phase:/);
    expect(odoo.calls).toEqual([]);
  });
});

describe('tickets in Jira Service Management (REST v3)', () => {
  const jiraConfig = (): TicketingConfigInput => ({
    system: 'jira-service-management',
    url: jira.url,
    secret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:influencegen/prod/ticketing-AbCdEf',
    projectKey: 'OPS',
    transitions: { acknowledged: '21', resolved: '31' },
    timeoutMs: 300,
  });

  test('a High incident: one issue (priority High, labels, runbook in ADF); a comment and a transition on ack and on resolution', async () => {
    h.useTickets(jiraConfig(), { email: FakeJira.EMAIL, apiToken: FakeJira.TOKEN });
    let resolution: Promise<unknown> | undefined;
    const run = await h.run(routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock), {
      onAwait: async ({ incidentId, harness }) => {
        harness.advance(3);
        await harness.ack(incidentId);
        harness.advance(4);
        resolution = harness.run(routedAlarmInput('Odoo_Server_High_CPU', 'OK', harness.clock));
        await resolution;
        return 'keep-waiting';
      },
    });
    expect(run.endState).toBe('Acknowledged');
    await resolution;
    const id = incidentOf();
    const creates = jira.requests.filter((r) => r.path === '/rest/api/3/issue');
    expect(creates).toHaveLength(1);
    expect(creates[0]?.body).toMatchObject({
      fields: {
        project: { key: 'OPS' },
        issuetype: { name: 'Incident' },
        priority: { name: 'High' },
        labels: ['influencegen', `incident-${id}`],
        summary: `[${id}] High: Odoo_Server_High_CPU (prod)`,
      },
    });
    expect(JSON.stringify(creates[0]?.body)).toContain(`Runbook: ${RUNBOOKS}runbooks/odoo_high_cpu.md`);
    const issue = jira.issues.get('OPS-1');
    expect(issue?.transitions).toEqual(['21', '31']);
    expect(JSON.stringify(issue?.comments)).toMatch(
      /Acknowledged by arn:aws:iam::123456789012:role\/influencegen-prod-oncall.*Resolved at/,
    );
    expect(new Set(jira.requests.map((r) => r.authorization))).toEqual(
      new Set([`Basic ${Buffer.from(`${FakeJira.EMAIL}:${FakeJira.TOKEN}`).toString('base64')}`]),
    );
    // The secret was read once for the container, not per call.
    expect(h.secretsMock.calls()).toHaveLength(1);
  });

  test('Jira answering 500 then recovering within the retries: one issue, nothing recorded as failed', async () => {
    h.useTickets(jiraConfig(), { email: FakeJira.EMAIL, apiToken: FakeJira.TOKEN });
    jira.faults = ['http-500', 'hang'];
    const run = await h.run(routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock));
    expect(run.endState).toBe('EscalationExhausted');
    expect(jira.issues.size).toBe(1);
    expect(h.ticketingFailures).toBe(0);
    expect(await tickets().get(incidentOf())).toMatchObject({ status: 'open', ticketId: 'OPS-1' });
  });
});

describe('tickets off (system none, dev)', () => {
  test('the escalation pages as before and no ticket record is written', async () => {
    const run = await h.run(routedAlarmInput('Odoo_Server_High_CPU', 'ALARM', h.clock));
    expect(run.endState).toBe('EscalationExhausted');
    expect(run.visited).toContain('OpenTicket');
    expect(await tickets().get(incidentOf())).toBeUndefined();
    expect(h.ticketingFailures).toBe(0);
  });
});
