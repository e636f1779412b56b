import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import { ALERT_KINDS } from '../../lib/config/constants';
import type { WorkflowName } from '../../lib/config/naming';
import { SCALING_INCIDENTS } from '../../lib/config/scaling-incidents';
import { parseBackupRequest } from '../../lambdas/core/backup/request';
import { parseEscalationInput } from '../../lambdas/core/escalation/input';
import { workflowEscalation } from '../../lambdas/core/escalation/workflow-start';
import { parseStallRequest } from '../../lambdas/core/gpu/request';
import { InvalidInputError } from '../../lambdas/core/invalid-input';
import { parseConsoleInput } from '../../lambdas/core/routing/console-input';
import { routeSignal, type RouteDecision } from '../../lambdas/core/routing/route';
import { signalSchemas, workflowSignalTypes } from '../../lambdas/core/routing/signal-schemas';
import { escalationStart } from '../../lambdas/core/scaling/escalation-input';
import { parseScaleRequest } from '../../lambdas/core/scaling/request';
import { normaliseEvent } from '../../lambdas/core/signals/normalise';
import type { AlarmSignal, Signal } from '../../lambdas/core/signals/types';
import { allEventFixtures, eventFixture } from '../fixtures/events/load';
import { alarmSignal } from '../support/alarm-signals';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const CATALOGUE = { environment: 'prod', alerts: ALERT_CATALOGUE, internal: INTERNAL_ALARM_CATALOGUE };
const CAPACITY = { odoo: { min: 2, max: 10 }, n8n: { min: 1, max: 6 }, 'flux-gpu': { min: 0, max: 4 } };
const ARNS = { database: 'arn:db', filestore: 'arn:fs', images: 'arn:images' };

/** Each workflow's first handler's parser, as the handler calls it. */
const PARSE: Readonly<Record<WorkflowName, (raw: unknown) => unknown>> = {
  'scale-decision': (raw) => parseScaleRequest(raw, CAPACITY),
  'stalled-gpu': (raw) => parseStallRequest(raw),
  'backup-verification': (raw) => parseBackupRequest(raw, ARNS),
  escalation: (raw) => parseEscalationInput(raw),
};

/** What fails: the error the workflows do not retry, and its message. */
function failure(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

const alarm = (name: string, state: AlarmSignal['state'] = 'ALARM', extra: Partial<AlarmSignal> = {}) =>
  alarmSignal(`influencegen-prod-${name}`, state, NOW, extra);

function started(decision: RouteDecision): { workflow: WorkflowName; input: Record<string, unknown> } {
  if (decision.action !== 'start') throw new Error(`not started: ${JSON.stringify(decision)}`);
  return { workflow: decision.workflow, input: decision.input as unknown as Record<string, unknown> };
}

/** The router's input for a state change of a catalogue alarm (or a backup job event). */
function routed(name: string): Record<string, unknown> {
  return started(routeSignal(alarm(name), CATALOGUE)).input;
}

describe('parseConsoleInput names every bad field and what it must be', () => {
  const Schema = z.strictObject({
    name: z.string().check(z.minLength(1)),
    count: z.optional(z.number().check(z.int())),
    mode: z.optional(z.enum(['fast', 'slow'])),
    nested: z.optional(z.strictObject({ flag: z.boolean(), tags: z.optional(z.array(z.string())) })),
  });
  const parse = (raw: unknown) => parseConsoleInput(Schema, raw, 'a test request');

  test('a valid input is returned', () => {
    expect(parse({ name: 'a', count: 2, nested: { flag: true } })).toEqual({
      name: 'a',
      count: 2,
      nested: { flag: true },
    });
  });

  test.each([
    [{ name: 'a', cuont: 2 }, 'input.cuont: not a field of a test request (name, count, mode, nested)'],
    [
      { nme: 'a', cuont: 2 },
      'input.nme, input.cuont: not fields of a test request (name, count, mode, nested); input.name: is required (a string)',
    ],
    [
      { name: 'a', nested: { flag: true, flga: 1 } },
      'input.nested.flga: not a field of input.nested (flag, tags)',
    ],
    [{ name: '' }, 'input.name: must not be empty'],
    [{ name: 'a', count: 1.5 }, 'input.count: must be a whole number'],
    [{ name: 'a', mode: 'quick' }, 'input.mode: must be one of fast, slow'],
    [{ name: 'a', nested: { flag: 'yes' } }, 'input.nested.flag: must be true or false'],
    [{ name: 'a', nested: { flag: true, tags: ['x', 2] } }, 'input.nested.tags[1]: must be a string'],
    ['a string', 'input: must be an object'],
    [[1], 'input: must be an object'],
  ])('%j', (raw, message) => {
    expect(failure(() => parse(raw))).toBe(message);
  });

  test('null or nothing is an empty input, and a caller may word what a field must be', () => {
    expect(failure(() => parse(null))).toBe('input.name: is required (a string)');
    expect(
      failure(() =>
        parseConsoleInput(Schema, { name: 'a', mode: 'x' }, 'a test request', (issue) =>
          issue.path[0] === 'mode' ? 'must be fast or slow' : undefined,
        ),
      ),
    ).toBe('input.mode: must be fast or slow');
  });
});

describe('every workflow input is strict, and a routed alert must be one of its kinds', () => {
  /** A valid routed input of each workflow, with an unknown field for its signal and a wrong-kind alert. */
  const CASES: ReadonlyArray<{
    workflow: WorkflowName;
    valid: () => Record<string, unknown>;
    otherKind?: string;
    expected?: string;
  }> = [
    {
      workflow: 'scale-decision',
      valid: () => routed('Scale_odoo_cpu_high'),
      otherKind: 'AI_Service_Stalled',
    },
    {
      workflow: 'stalled-gpu',
      valid: () => routed('AI_Service_Stalled'),
      otherKind: 'Scale_n8n_cpu_high',
      expected: 'a stall alert (AI_Service_Stalled)',
    },
    {
      workflow: 'backup-verification',
      valid: () => started(routeSignal(signalOf('backup-job-failed'), CATALOGUE)).input,
      otherKind: 'Odoo_Server_High_CPU',
      expected: 'a backup alert (Odoo_Backup_Failure)',
    },
    { workflow: 'escalation', valid: () => routed('Odoo_Server_High_CPU') },
  ];

  describe.each(CASES)('$workflow', ({ workflow, valid, otherKind, expected }) => {
    const parse = PARSE[workflow];
    const what = `the router's input to ${workflow}`;

    test('the routed input is accepted as the router starts it', () => {
      expect(() => parse(valid())).not.toThrow();
      expect(() => parse(JSON.parse(JSON.stringify(valid())))).not.toThrow();
    });

    test('a misspelt top-level field is named, with the fields of the input', () => {
      const { subject, ...rest } = valid();
      expect(failure(() => parse({ ...rest, subjct: subject }))).toBe(
        `input.subjct: not a field of ${what} (alert, subject, state, signal); input.subject: is required (a string)`,
      );
    });

    test('an unknown field in the alert is named', () => {
      const input = valid();
      const alert = input.alert as Record<string, unknown>;
      expect(failure(() => parse({ ...input, alert: { ...alert, sevrity: 'High' } }))).toBe(
        'input.alert.sevrity: not a field of input.alert (name, kind, component, severity)',
      );
    });

    test('an unknown field in the signal is named, with the fields of its type', () => {
      const input = valid();
      const signal = input.signal as Signal;
      const message = failure(() => parse({ ...input, signal: { ...signal, statechangetime: 'x' } }));
      expect(message).toMatch(
        new RegExp(`^input\\.signal\\.statechangetime: not a field of an? ${signal.type} signal \\(type, `),
      );
      // The fields listed are those of the schema of that type.
      const listed = /\(([^)]*)\)$/.exec(message)?.[1]?.split(', ');
      expect(listed).toEqual(Object.keys(signalSchemas()[signal.type as 'alarm'].shape));
    });

    test('an alert not in the catalogue is named', () => {
      const input = valid();
      expect(failure(() => parse({ ...input, alert: { name: 'Odoo_Server_High_CPUU' } }))).toMatch(
        /^input\.alert\.name: is not in the alert catalogue: Odoo_Server_High_CPUU \(/,
      );
    });

    if (otherKind) {
      test('an alert of another kind is named, with the kind expected', () => {
        const input = valid();
        const other = ALERT_CATALOGUE.find((a) => a.name === otherKind);
        expect(failure(() => parse({ ...input, alert: { name: otherKind } }))).toMatch(
          new RegExp(
            `^input\\.alert\\.name: must be ${expected?.replace(/[()]/g, '\\$&') ?? 'a scale alert'}.*; ${otherKind} is an? ${other?.kind} alert, not handled by the ${workflow} workflow$`,
          ),
        );
      });

      test('a return to OK is the escalation workflow’s', () => {
        expect(failure(() => parse({ ...valid(), state: 'OK' }))).toBe(
          `input.state: must be ALARM (a return to OK goes to the escalation workflow, not ${workflow})`,
        );
      });
    } else {
      test('every kind is accepted: returns to OK and raised alerts of any kind come here', () => {
        for (const kind of ALERT_KINDS) {
          const alert = ALERT_CATALOGUE.find((a) => a.kind === kind);
          expect(alert).toBeDefined();
          expect(() => parse({ ...valid(), alert: { name: alert?.name }, state: 'OK' })).not.toThrow();
        }
      });
    }

    test('a wrong signal type or a bad value in the signal says what it must be', () => {
      const input = valid();
      const signal = input.signal as Record<string, unknown>;
      expect(failure(() => parse({ ...input, signal: { ...signal, type: 'alrm' } }))).toBe(
        `input.signal.type: must be one of ${workflowSignalTypes().join(', ')}`,
      );
      const time = signal.type === 'alarm' ? 'stateChangeTime' : 'time';
      expect(failure(() => parse({ ...input, signal: { ...signal, [time]: 'yesterday' } }))).toBe(
        `input.signal.${time}: must be an ISO 8601 time such as 2026-11-23T10:00:00Z`,
      );
    });
  });

  test('the catalogue decides: the escalation input carries its kind, component and severity', () => {
    const { input, alert } = parseEscalationInput({
      alert: { name: 'PostgreSQL_Unavailable' },
      subject: 'db',
      state: 'ALARM',
      signal: alarm('PostgreSQL_Unavailable'),
    });
    expect(input.alert).toEqual({
      name: alert.name,
      kind: alert.kind,
      component: alert.component,
      severity: alert.severity,
    });
    expect(alert.name).toBe('PostgreSQL_Unavailable');
  });

  test('by hand: a misspelt field fails before anything runs, naming it', () => {
    expect(failure(() => PARSE['scale-decision']({ component: 'odoo', desired: 4 }))).toBe(
      'input.desired: not a field of a scale-decision request (component, to, reason, requestedBy)',
    );
    expect(failure(() => PARSE['scale-decision']({ component: 'odoo', reason: 'campaign' }))).toBe(
      'input.to: is required with a reason (the manual target, a whole number)',
    );
    expect(failure(() => PARSE['scale-decision']({ component: 'odoo', to: 4, reason: 'x' }))).toBe(
      'input.reason: must say why (3 characters or more)',
    );
    expect(failure(() => PARSE['stalled-gpu']({ dryrun: true }))).toBe(
      'input.dryrun: not a field of a GPU check (dryRun, requestedBy)',
    );
    expect(failure(() => PARSE['backup-verification']({ resource: 'database', requestedby: 'bob' }))).toBe(
      'input.requestedby: not a field of a backup check (resource, restoreJobId, requestedBy)',
    );
    // Any field of the router's shape makes it the router's input, checked as such.
    expect(
      failure(() => PARSE['scale-decision']({ component: 'odoo', alert: { name: 'Scale_odoo_cpu_high' } })),
    ).toMatch(
      /^input\.component: not a field of the router's input to scale-decision \(alert, subject, state, signal\)/,
    );
  });

  test.each(
    [
      ...fs
        .readFileSync(path.join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8')
        .matchAll(/<!-- example: ([a-z-]+) -->\s*```json\n([\s\S]*?)```/g),
    ].map((m) => [m[1] as WorkflowName, (m[2] as string).replace(/\s+/g, ' ')] as const),
  )("the operator's guide's %s example is accepted: %s", (workflow, text) => {
    expect(() => PARSE[workflow](JSON.parse(text))).not.toThrow();
  });

  test('what ops sends by hand is accepted (bin/ops scale, gpu-check, backup-check)', () => {
    expect(
      PARSE['scale-decision']({ component: 'odoo', to: 4, reason: 'campaign launch', requestedBy: 'arn:me' }),
    ).toEqual({
      component: 'odoo',
      trigger: 'manual by arn:me',
      manual: { to: 4, reason: 'campaign launch' },
    });
    expect(PARSE['scale-decision']({ component: 'n8n' })).toEqual({
      component: 'n8n',
      trigger: 'periodic evaluation',
    });
    expect(PARSE['stalled-gpu']({ dryRun: true, requestedBy: 'arn:me' })).toEqual({
      trigger: 'manual by arn:me',
      dryRun: true,
    });
    expect(PARSE['backup-verification']({ resource: 'filestore', requestedBy: 'arn:me' })).toEqual({
      trigger: 'manual by arn:me',
      resources: ['filestore'],
    });
  });
});

function signalOf(fixture: string): Signal {
  const result = normaliseEvent(eventFixture(fixture), NOW);
  if (!result.ok) throw new Error(`${fixture}: ${result.reason}`);
  return result.signal;
}

/** Parses a started input as its workflow does, as sent and after the JSON round trip Step Functions makes. */
function expectAccepted(decision: RouteDecision): WorkflowName | undefined {
  if (decision.action !== 'start') return undefined;
  const parse = PARSE[decision.workflow];
  expect(() => parse(decision.input)).not.toThrow();
  expect(() => parse(JSON.parse(JSON.stringify(decision.input)))).not.toThrow();
  return decision.workflow;
}

describe('every input the router starts is accepted by its workflow (the schemas follow the normaliser)', () => {
  test.each(allEventFixtures())('fixture %s', (name) => {
    const result = normaliseEvent(eventFixture(name), NOW);
    if (!result.ok) return; // Not a signal: the router ignores it, nothing is started.
    expectAccepted(routeSignal(result.signal, CATALOGUE));
  });

  test('each fixture signal of a workflow type is accepted with exactly its fields', () => {
    const seen = new Set<string>();
    for (const name of allEventFixtures()) {
      const result = normaliseEvent(eventFixture(name), NOW);
      if (!result.ok) continue;
      const signal = result.signal;
      if (!(workflowSignalTypes() as string[]).includes(signal.type)) continue;
      seen.add(signal.type);
      const { input } = parseEscalationInput({
        alert: { name: 'Odoo_Server_High_CPU' },
        subject: 's',
        state: 'ALARM',
        signal: JSON.parse(JSON.stringify(signal)),
      });
      expect(input.signal).toEqual(JSON.parse(JSON.stringify(signal)));
    }
    // The workflow type comes from the workflows themselves (below).
    expect([...seen].sort()).toEqual(
      workflowSignalTypes()
        .filter((t) => t !== 'workflow')
        .sort(),
    );
  });

  const alarmFixtures = allEventFixtures().filter((name) => {
    const result = normaliseEvent(eventFixture(name), NOW);
    return result.ok && result.signal.type === 'alarm';
  });

  test.each(
    ALERT_CATALOGUE.filter((a) => a.signal.type !== 'event' && a.signal.type !== 'workflow').map(
      (a) => a.name,
    ),
  )('alert %s, in every alarm shape AWS delivers, in ALARM and OK', (alert) => {
    const workflows = new Set<WorkflowName | undefined>();
    for (const fixture of alarmFixtures) {
      const signal = signalOf(fixture) as AlarmSignal;
      for (const state of ['ALARM', 'OK'] as const) {
        const decision = routeSignal(
          { ...signal, alarmName: `influencegen-prod-${alert}`, state, actionsSuppressedBy: undefined },
          CATALOGUE,
        );
        workflows.add(expectAccepted(decision));
      }
    }
    expect(workflows.size).toBeGreaterThan(0);
  });

  test('the routed workflows cover all four', () => {
    const workflows = new Set<WorkflowName | undefined>();
    for (const alert of ALERT_CATALOGUE)
      workflows.add(expectAccepted(routeSignal(alarm(alert.name), CATALOGUE)));
    expect([...workflows].filter(Boolean).sort()).toEqual([
      'backup-verification',
      'escalation',
      'scale-decision',
      'stalled-gpu',
    ]);
  });

  test.each(SCALING_INCIDENTS.map((a) => a.name))(
    "the scale-decision workflow's %s escalation (raise and resolve) is accepted",
    (alert) => {
      for (const state of ['ALARM', 'OK'] as const) {
        const start = escalationStart(
          alert,
          'odoo',
          'arn:aws:states:eu-west-1:1:execution:sd:run-1',
          NOW,
          'd',
          state,
        );
        expect(parseEscalationInput(JSON.parse(JSON.stringify(start.input))).input).toEqual(start.input);
      }
    },
  );

  test('an alert raised by any workflow (workflowEscalation) is accepted by the escalation', () => {
    for (const alert of ALERT_CATALOGUE) {
      const start = workflowEscalation({
        alert,
        workflow: 'backup-verification',
        subject: 'arn:fs',
        state: 'ALARM',
        label: 'filestore',
        executionId: 'arn:aws:states:eu-west-1:1:execution:bv:run-1',
        detail: 'the filestore is stale',
        at: NOW,
      });
      expect(parseEscalationInput(start.input).input).toEqual(start.input);
    }
  });
});
