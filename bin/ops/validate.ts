import {
  ALERT_COMPONENTS,
  COMPONENT_IDS,
  ENVIRONMENT_NAMES,
  type AlertComponent,
  type ComponentId,
  type EnvironmentName,
} from '../../lib/config/constants';
import { UsageError } from './errors';

/**
 * Checks of what the operator typed, made before anything reaches AWS: each failure is one line
 * naming the argument (exit code 2).
 */

/**
 * The longest wait for a workflow (`--wait-seconds`): an hour. What runs longer (a backup re-run,
 * polled for hours) is better followed at the console link than in a terminal left open.
 */
export const MAX_WAIT_SECONDS = 3600;

/**
 * The longest maintenance window: a day. A longer silence of a component's pages is an outage, not
 * maintenance (declare another window if the work really goes on).
 */
export const MAX_WINDOW_HOURS = 24;

/**
 * A reason (`--reason`) is recorded with the action and read by whoever looks at it later: at least
 * 3 characters (the scale-decision workflow's own rule for a manual scale, so the two agree) and at
 * most 500, a few sentences (a reason is kept in the ledger and shown in every held decision).
 */
const REASON_CHARS = { min: 3, max: 500 } as const;

/** `value` as one of `choices`, or a usage error naming `label` and listing them. */
export function oneOf<T extends string>(label: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value))
    throw new UsageError(
      `${label}: ${value === undefined ? '(missing)' : String(value)} is not one of ${choices.join(', ')}`,
    );
  return value as T;
}

export function environment(value: unknown, command: string): EnvironmentName {
  if (value === undefined || value === '')
    throw new UsageError(
      `--env: required for ops ${command}: one of ${ENVIRONMENT_NAMES.join(', ')} (ops never guesses the environment)`,
    );
  return oneOf('--env', value, ENVIRONMENT_NAMES);
}

/** A scaled component (`odoo`, `n8n`, `flux-gpu`), the positional COMPONENT unless told otherwise. */
export function scaledComponent(value: unknown, label = 'COMPONENT'): ComponentId {
  return oneOf(label, value, COMPONENT_IDS);
}

/** A component alerts are raised on (what a maintenance window is declared for). */
export function alertComponent(value: unknown): AlertComponent {
  return oneOf('COMPONENT', value, ALERT_COMPONENTS);
}

/** A whole number, written as one (`4`, not `4.0`, `four` or `0x4`). */
export function wholeNumber(name: string, value: unknown): number {
  const text = value === undefined ? '' : String(value).trim();
  if (!/^-?\d+$/.test(text))
    throw new UsageError(`${name}: ${text === '' ? '(missing)' : text} is not a whole number`);
  return Number(text);
}

/**
 * `--hours`: how far back to read records kept `keptDays` (lib/config/escalation.ts RETENTION), from
 * 1 to that many days' hours; a fraction is fine. `kept` says so in the error: `the ledger keeps`.
 */
export function hours(value: unknown, keptDays: number, kept: string): number {
  const max = keptDays * 24;
  const text = String(value ?? '').trim();
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(n) || n < 1 || n > max)
    throw new UsageError(
      `--hours: ${text || '(missing)'} is not from 1 to ${max} (${kept} ${keptDays} days)`,
    );
  return n;
}

/** Why the operator acts: recorded with the action, so something a reader can use. */
export function reason(value: unknown, what: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length < REASON_CHARS.min)
    throw new UsageError(`--reason: required: ${what} (${REASON_CHARS.min} characters or more)`);
  if (text.length > REASON_CHARS.max)
    throw new UsageError(`--reason: at most ${REASON_CHARS.max} characters`);
  return text;
}

/** How long a command waits for the workflow it started. */
export function waitSeconds(value: unknown): number {
  const n = wholeNumber('--wait-seconds', value);
  if (n < 1 || n > MAX_WAIT_SECONDS)
    throw new UsageError(`--wait-seconds: ${n} is not from 1 to ${MAX_WAIT_SECONDS}`);
  return n;
}
