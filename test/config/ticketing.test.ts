import { ENVIRONMENT_NAMES } from '../../lib/config/constants';
import { RUNTIME_ALERT_CATALOGUE } from '../../lib/config/alert-runtime';
import { AlertDefinitionSchema } from '../../lib/config/alert-schema';
import {
  parseTicketing,
  TICKETING_DEFAULTS,
  TICKET_STEP_RETRY,
  TICKETING_FAILURE_ALERT,
  type OdooHelpdeskConfig,
} from '../../lib/config/ticketing';
import { STATE_MACHINES_DIR } from '../../lib/constructs/workflow';
import { TICKETING_ALERT_INFRASTRUCTURE } from '../../lib/config/ticketing-alert';
import { TICKETING_RUNTIME_ALERT } from '../../lib/config/ticketing-alert-runtime';
import { readTicketing } from '../../lambdas/aws/ticketing-config';
import * as fs from 'node:fs';
import * as path from 'node:path';

const odoo = {
  system: 'odoo-helpdesk',
  url: 'https://odoo.example.com/',
  database: 'helpdesk',
  secret: 'influencegen/prod/ticketing',
};

describe('ticketing configuration', () => {
  test('prod and staging open tickets in Jira Service Management, dev opens none', () => {
    const parsed = Object.fromEntries(
      ENVIRONMENT_NAMES.map((e) => [e, parseTicketing(TICKETING_DEFAULTS[e])]),
    );
    expect(parsed.prod).toMatchObject({
      system: 'jira-service-management',
      priorities: { Critical: 'Highest', High: 'High', Medium: 'Medium' },
      timeoutMs: 8000,
    });
    expect(parsed.staging?.system).toBe('jira-service-management');
    expect(parsed.dev).toEqual({ system: 'none' });
  });

  test('Odoo defaults: the helpdesk model and its field names, priorities 3/2/1, the url without its slash', () => {
    expect(parseTicketing(odoo)).toMatchObject({
      url: 'https://odoo.example.com',
      model: 'helpdesk.ticket',
      fields: {
        name: 'name',
        description: 'description',
        priority: 'priority',
        team: 'team_id',
        user: 'user_id',
        stage: 'stage_id',
      },
      priorities: { Critical: '3', High: '2', Medium: '1' },
    });
  });

  test.each([
    [{ ...odoo, url: 'http://odoo.example.com' }, 'ticketing.url: must be an https:// URL'],
    [{ ...odoo, priorities: { Critical: '3', High: 'urgent', Medium: '1' } }, 'ticketing.priorities.High'],
    [{ ...odoo, model: 'Helpdesk Ticket' }, 'ticketing.model: must be an Odoo model name'],
    [{ ...odoo, database: '' }, 'ticketing.database'],
    [
      { ...odoo, secret: 'has spaces in it' },
      'ticketing.secret: must be a Secrets Manager secret name or ARN',
    ],
    [{ ...odoo, timeoutMs: 60_000 }, 'ticketing.timeoutMs'],
    [{ ...odoo, assignment: { teamId: -1 } }, 'ticketing.assignment.teamId'],
    [{ system: 'servicenow' }, 'ticketing.system'],
    [
      { system: 'jira-service-management', url: 'https://x.atlassian.net', secret: 's', projectKey: 'ops' },
      'ticketing.projectKey: must be a Jira project key',
    ],
    [
      {
        system: 'jira-service-management',
        url: 'https://x.atlassian.net',
        secret: 's',
        projectKey: 'OPS',
        transitions: { resolved: 'Done' },
      },
      'ticketing.transitions.resolved: must be a transition id',
    ],
  ])('a bad configuration fails naming the field (%#)', (input, field) => {
    expect(() => parseTicketing(input)).toThrow(field);
  });

  test('the function reads back what the schema produced, for every system, and names a bad field', () => {
    const jira = {
      system: 'jira-service-management',
      url: 'https://x.atlassian.net',
      secret: 's',
      projectKey: 'OPS',
    };
    for (const input of [
      odoo,
      jira,
      { system: 'none' },
      ...ENVIRONMENT_NAMES.map((e) => TICKETING_DEFAULTS[e]),
    ]) {
      const parsed = parseTicketing(input);
      expect(readTicketing({ TICKETING: JSON.stringify(parsed) })).toEqual(parsed);
    }
    const parsedOdoo = parseTicketing(odoo) as OdooHelpdeskConfig;
    expect(() => readTicketing({})).toThrow('TICKETING: must be JSON');
    expect(() => readTicketing({ TICKETING: '{"system":"zendesk"}' })).toThrow('TICKETING.system');
    expect(() => readTicketing({ TICKETING: '{"system":"odoo-helpdesk"}' })).toThrow('TICKETING.url');
    expect(() =>
      readTicketing({
        TICKETING: JSON.stringify({ ...parsedOdoo, fields: { ...parsedOdoo.fields, stage: 3 } }),
      }),
    ).toThrow('TICKETING.fields.stage');
    expect(() =>
      readTicketing({
        TICKETING: JSON.stringify({ ...parsedOdoo, priorities: { Critical: '3', High: '2' } }),
      }),
    ).toThrow('TICKETING.priorities.Medium');
  });
});

describe('the Ticketing_Integration_Failing alert', () => {
  test('is a valid catalogue entry once its halves are composed, with a runbook that exists', () => {
    const { signal: _runtimeSignal, ...runtime } = TICKETING_RUNTIME_ALERT;
    const composed = AlertDefinitionSchema.parse({ ...runtime, ...TICKETING_ALERT_INFRASTRUCTURE });
    expect(composed).toMatchObject({
      name: TICKETING_FAILURE_ALERT,
      severity: 'Medium',
      signal: { type: 'metric' },
    });
    expect(fs.existsSync(path.join(__dirname, '../..', TICKETING_RUNTIME_ALERT.runbook))).toBe(true);
    // Spliced in (or not yet): never under another severity or runbook.
    expect(
      RUNTIME_ALERT_CATALOGUE.filter(
        (a) => a.name === TICKETING_FAILURE_ALERT && a.runbook !== TICKETING_RUNTIME_ALERT.runbook,
      ),
    ).toEqual([]);
  });
});

describe('the ticket states of the escalation workflow', () => {
  type Retrier = { ErrorEquals: string[]; MaxAttempts?: number } & Record<string, unknown>;
  const states = (
    JSON.parse(fs.readFileSync(path.join(STATE_MACHINES_DIR, 'escalation.asl.json'), 'utf8')) as {
      States: Record<
        string,
        { Parameters?: { FunctionName?: string; Payload?: { phase?: string } }; Retry?: Retrier[] }
      >;
    }
  ).States;
  const ticketSteps = Object.entries(states).filter(
    ([, s]) =>
      s.Parameters?.FunctionName === '${TicketFunctionArn}' && s.Parameters.Payload?.phase !== 'failed',
  );

  test('every open and sync step retries the ticket system being down as lib/config/ticketing-timing.ts says', () => {
    expect(ticketSteps.map(([name]) => name).sort()).toEqual([
      'OpenTicket',
      'SyncTicketAcknowledged',
      'SyncTicketResolved',
      'SyncTicketStopped',
    ]);
    for (const [name, state] of ticketSteps) {
      const retrier = state.Retry?.find((r) => r.ErrorEquals.includes('TicketSystemUnavailable'));
      expect({ name, ...retrier }).toMatchObject({
        name,
        IntervalSeconds: TICKET_STEP_RETRY.intervalSeconds,
        MaxAttempts: TICKET_STEP_RETRY.maxAttempts,
        BackoffRate: TICKET_STEP_RETRY.backoffRate,
        MaxDelaySeconds: TICKET_STEP_RETRY.maxDelaySeconds,
      });
      // A refusal cannot pass on a retry: it goes to the Catch at once.
      expect(state.Retry?.find((r) => r.ErrorEquals.includes('TicketRejected'))?.MaxAttempts).toBe(0);
    }
  });
});
