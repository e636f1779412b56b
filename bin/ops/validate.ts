import {
  COMPONENT_IDS,
  ENVIRONMENT_NAMES,
  type ComponentId,
  type EnvironmentName,
} from '../../lib/config/constants';
import { UsageError } from './errors';

/**
 * Checks of what the operator typed, made before anything reaches AWS: each failure is one line
 * naming the argument (exit code 2).
 */

export function environment(value: unknown, command: string): EnvironmentName {
  if (value === undefined || value === '')
    throw new UsageError(
      `--env: required for ops ${command}: one of ${ENVIRONMENT_NAMES.join(', ')} (ops never guesses the environment)`,
    );
  if (!(ENVIRONMENT_NAMES as readonly unknown[]).includes(value))
    throw new UsageError(`--env: ${String(value)} is not one of ${ENVIRONMENT_NAMES.join(', ')}`);
  return value as EnvironmentName;
}

export function scaledComponent(value: unknown): ComponentId {
  if (typeof value !== 'string' || !(COMPONENT_IDS as readonly string[]).includes(value)) {
    throw new UsageError(
      `COMPONENT: ${value === undefined ? '(missing)' : String(value)} is not one of ${COMPONENT_IDS.join(', ')}`,
    );
  }
  return value as ComponentId;
}

/** A whole number, written as one (`4`, not `4.0`, `four` or `0x4`). */
export function wholeNumber(name: string, value: unknown): number {
  const text = value === undefined ? '' : String(value).trim();
  if (!/^-?\d+$/.test(text))
    throw new UsageError(`${name}: ${text === '' ? '(missing)' : text} is not a whole number`);
  return Number(text);
}

/** A whole number of hours from 1 to `max` (what the records keep). */
export function hours(value: unknown, max: number, kept: string): number {
  const text = String(value ?? '').trim();
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(n) || n < 1 || n > max)
    throw new UsageError(`--hours: ${text || '(missing)'} is not from 1 to ${max} (${kept})`);
  return n;
}

/** Why the operator acts: recorded with the action, so something a reader can use. */
export function reason(value: unknown, what: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length < 3) throw new UsageError(`--reason: required: ${what} (3 characters or more)`);
  if (text.length > 500) throw new UsageError('--reason: at most 500 characters');
  return text;
}

/** How long a command waits for the workflow it started. */
export function waitSeconds(value: unknown): number {
  const n = wholeNumber('--wait-seconds', value);
  if (n < 1 || n > 3600) throw new UsageError(`--wait-seconds: ${n} is not from 1 to 3600`);
  return n;
}
