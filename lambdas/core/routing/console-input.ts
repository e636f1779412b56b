import * as z from 'zod/mini';
import type { AlertKind } from '../../../lib/config/alert-schema';
import type { RuntimeAlert } from '../../../lib/config/alert-runtime';
import { ALERT_COMPONENTS, ALERT_KINDS, SEVERITIES } from '../../../lib/config/constants';
import { InvalidInputError } from '../invalid-input';
import type { WorkflowInput } from './route';
import { signalSchemas, workflowSignalTypes, type WorkflowSignal } from './signal-schemas';

/** The part of a zod issue the messages read (zod/mini's own messages are all "Invalid input"). */
interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly options?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly format?: string;
}

/**
 * A workflow's input typed by hand in the console or sent by `ops`: parsed with its strict
 * schema, or an InvalidInput error naming every bad field (`input.desired: not a field of a
 * scale-decision request (component, to, ...)`, `input.to: must be a whole number`). Unknown
 * fields come first: a misspelt field is usually also the "missing" one. `mustBe` may word what
 * a field must be; refinements' own messages are kept; the rest is worded from the issue.
 */
export function parseConsoleInput<T>(
  schema: z.ZodMiniType<T>,
  raw: unknown,
  what: string,
  mustBe: (issue: { code: string; path: readonly PropertyKey[] }) => string | undefined = () => undefined,
  at = 'input',
): T {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues as readonly Issue[];
  const unknown = issues.filter((i) => i.code === 'unrecognized_keys');
  const others = issues.filter((i) => i.code !== 'unrecognized_keys');
  const messages = [
    ...unknown.map((issue) => notAField(schema, issue, what, at)),
    ...others.map((issue) => {
      const value = valueAt(raw, issue.path);
      return `${where(at, issue.path)}: ${mustBe(issue) ?? ownMessage(issue) ?? wording(issue, value)}`;
    }),
  ];
  throw new InvalidInputError(messages.length > 0 ? messages.join('; ') : `${at}: invalid`);
}

function notAField(schema: unknown, issue: Issue, what: string, at: string): string {
  const keys = issue.keys ?? [];
  const fields = fieldsAt(schema, issue.path);
  const of = issue.path.length === 0 ? what : where(at, issue.path);
  const named = keys.map((k) => where(at, [...issue.path, k])).join(', ');
  return `${named}: ${keys.length === 1 ? 'not a field' : 'not fields'} of ${of}${fields ? ` (${fields.join(', ')})` : ''}`;
}

function where(at: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    at,
  );
}

/** "a backup-job", "an alarm". */
function an(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A refinement's own message. Other issues are worded here: zod/mini's messages are "Invalid
 * input", or zod's English locale's wherever the full zod is also loaded (tests, `ops`).
 */
function ownMessage(issue: Issue): string | undefined {
  return issue.code === 'custom' && issue.message ? issue.message : undefined;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

function wording(issue: Issue, value: unknown): string {
  const list = (values: readonly unknown[]) =>
    values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map(String).join(', ')}`;
  let what: string;
  switch (issue.code) {
    case 'invalid_type':
      what = TYPE_NAMES[issue.expected ?? ''] ?? `of type ${issue.expected ?? '?'}`;
      break;
    case 'invalid_value':
      what = list(issue.values ?? []);
      break;
    case 'invalid_union':
      what = issue.options ? list(issue.options) : 'one of the accepted shapes';
      break;
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const most = issue.code === 'too_small' ? 'least' : 'most';
      if (issue.origin === 'string')
        return issue.code === 'too_small' && bound === 1
          ? 'must not be empty'
          : `must be at ${most} ${bound} characters`;
      if (issue.origin === 'array') return `must have at ${most} ${bound} items`;
      const strictly = issue.inclusive === false;
      what =
        issue.code === 'too_small'
          ? `${strictly ? 'more than' : 'at least'} ${bound}`
          : `${strictly ? 'less than' : 'at most'} ${bound}`;
      break;
    }
    case 'invalid_format':
      what = `a valid ${issue.format ?? 'value'}`;
      break;
    default:
      return 'is invalid';
  }
  return value === undefined ? `is required (${what})` : `must be ${what}`;
}

/** The fields of the object schema at `path` (through optionals, arrays and pipes). */
function fieldsAt(schema: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let current = unwrap(schema);
  for (const key of path) {
    const def = defOf(current);
    if (def?.shape && typeof key === 'string') current = unwrap(def.shape[key]);
    else if (def?.element !== undefined && typeof key === 'number') current = unwrap(def.element);
    else return undefined;
  }
  const shape = defOf(current)?.shape;
  return shape ? Object.keys(shape) : undefined;
}

interface Def {
  readonly type?: string;
  readonly shape?: Readonly<Record<string, unknown>>;
  readonly element?: unknown;
  readonly innerType?: unknown;
  readonly in?: unknown;
}

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def?.innerType !== undefined) current = def.innerType;
    else if (def?.type === 'pipe' && def.in !== undefined) current = def.in;
    else return current;
  }
}

/** The fields of the router's input (WorkflowInput): a console input with any of them is one. */
const ROUTED_FIELDS = ['alert', 'subject', 'state', 'signal'] as const;

/** Whether a workflow input is the router's shape (rather than the workflow's own by-hand shape). */
export function isRoutedInput(raw: unknown): raw is Record<string, unknown> {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    ROUTED_FIELDS.some((field) => field in raw)
  );
}

export interface RoutedInputRules {
  /** The workflow, for messages. */
  readonly workflow: string;
  /** The catalogue kinds it handles. */
  readonly kinds: readonly AlertKind[];
  /** The states it handles: the router sends a return to OK to the escalation workflow only. */
  readonly states: readonly ('ALARM' | 'OK')[];
  readonly alerts: readonly RuntimeAlert[];
}

/** How many alert names a message lists before it refers to `ops catalog` instead. */
const LISTED_NAMES = 5;

function routedSchema(rules: RoutedInputRules) {
  const find = (name: string) => rules.alerts.find((a) => a.name === name);
  const expected = rules.alerts.filter((a) => rules.kinds.includes(a.kind)).map((a) => a.name);
  const kinds = rules.kinds.join(' or ');
  const examples =
    expected.length <= LISTED_NAMES
      ? expected.join(', ')
      : `${expected.length} alerts such as ${expected.slice(0, 2).join(', ')}; ops catalog lists them`;
  const allKinds = ALERT_KINDS.every((k) => rules.kinds.includes(k));
  return z.strictObject({
    alert: z.strictObject({
      name: z.string().check(
        z.minLength(1),
        z.refine((name) => find(name) !== undefined, {
          error: (issue) =>
            allKinds
              ? `is not in the alert catalogue: ${String(issue.input)} (ops catalog lists the alerts)`
              : `is not in the alert catalogue: ${String(issue.input)} (must be ${an(kinds)} alert: ${examples})`,
        }),
        // An alert not in the catalogue is reported by the refinement above, not here.
        z.refine((name) => rules.kinds.some((kind) => (find(name)?.kind ?? kind) === kind), {
          error: (issue) =>
            `must be ${an(kinds)} alert (${examples}); ${String(issue.input)} is ${an(find(String(issue.input))?.kind ?? '?')} alert, not handled by the ${rules.workflow} workflow`,
        }),
      ),
      // Informative only: the catalogue's entry for the name decides (the parsed input carries it).
      kind: z.optional(z.enum(ALERT_KINDS)),
      component: z.optional(z.enum(ALERT_COMPONENTS)),
      severity: z.optional(z.enum(SEVERITIES)),
    }),
    subject: z.string().check(z.minLength(1)),
    state: z.enum(['ALARM', 'OK']).check(
      z.refine((state) => rules.states.includes(state), {
        error: () =>
          `must be ${rules.states.join(' or ')} (a return to OK goes to the escalation workflow, not ${rules.workflow})`,
      }),
    ),
    // Its fields are checked by the schema of its type, once the type is known (parseRoutedInput).
    signal: z.looseObject({ type: z.enum(workflowSignalTypes()) }),
  });
}

// The schema has exactly WorkflowInput's fields, and its alert exactly those of WorkflowInput's alert.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type True<T extends true> = T;
type Routed = z.output<ReturnType<typeof routedSchema>>;
export type RoutedSchemaMatchesWorkflowInput = [
  True<Same<keyof Routed, keyof WorkflowInput>>,
  True<Same<keyof Routed['alert'], keyof WorkflowInput['alert']>>,
];

/**
 * The router's input to a workflow (WorkflowInput), typed by hand or sent by the router: strict
 * at every level (the signal per its type, lambdas/core/routing/signal-schemas.ts), naming a
 * catalogue alert of one of the workflow's kinds in one of its states. The catalogue's entry is
 * returned, and the input carries the catalogue's kind, component and severity of the alert.
 */
export function parseRoutedInput(
  raw: unknown,
  rules: RoutedInputRules,
): { input: WorkflowInput; alert: RuntimeAlert } {
  const parsed = parseConsoleInput(routedSchema(rules), raw, `the router's input to ${rules.workflow}`);
  const type = parsed.signal.type;
  const signal = parseConsoleInput(
    signalSchemas()[type] as z.ZodMiniType<WorkflowSignal>,
    parsed.signal,
    `${an(type)} signal`,
    undefined,
    'input.signal',
  );
  const alert = rules.alerts.find((a) => a.name === parsed.alert.name) as RuntimeAlert;
  return {
    input: {
      alert: { name: alert.name, kind: alert.kind, component: alert.component, severity: alert.severity },
      subject: parsed.subject,
      state: parsed.state,
      signal,
    },
    alert,
  };
}
