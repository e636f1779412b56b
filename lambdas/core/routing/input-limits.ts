import { CONTROL_PLANE_LIMITS } from '../../../lib/config/control-plane-limits';
import type { Signal } from '../signals/types';

/**
 * Size limits on what the router puts into a workflow's input. Step Functions refuses an input
 * over 256 KiB, and every state's data counts against the same limit as the workflow adds to it;
 * the text of an alarm reason or an event comes from outside and has no useful upper bound. So:
 *
 * - every free-text field (alarm reason, status message, error, cause, detail, ...) is cut to
 *   FIELD_LIMIT_BYTES with a visible marker, `…[truncated 1044520 bytes]`: the page still goes
 *   out, and whoever reads it knows the text was longer;
 * - identity fields (alarm name, state, state-change time, event id, the subject, ...) are never
 *   cut: they name the incident and the execution, and a cut one would merge or split incidents.
 *   One over IDENTITY_LIMIT_BYTES (what the longest alarm name AWS allows, 255 characters, can
 *   take in UTF-8; far above any ARN or id AWS sends) means the event is not what it claims to
 *   be, and it is ignored;
 * - the whole serialized input must then fit INPUT_BUDGET_BYTES, an eighth of Step Functions'
 *   limit, leaving the workflow room for its own state. Only an input still over it after
 *   truncation is ignored (with the reason logged). The signals the router forwards have at most
 *   five free-text fields, so a truncated one always fits: the budget is a last line of defence.
 *
 * Sizes are bytes of the field as it appears in the serialized input: UTF-8, JSON escapes included.
 */
export const FIELD_LIMIT_BYTES = CONTROL_PLANE_LIMITS.router.fieldBytes;
export const IDENTITY_LIMIT_BYTES = CONTROL_PLANE_LIMITS.router.identityBytes;
export const INPUT_BUDGET_BYTES = CONTROL_PLANE_LIMITS.router.inputBudgetBytes;

/** The fields of each signal that identify it: checked, never truncated. */
const IDENTITY_FIELDS: Readonly<Record<Signal['type'], readonly string[]>> = {
  alarm: ['alarmName', 'state', 'previousState', 'stateChangeTime'],
  'backup-job': ['eventId', 'time', 'jobId', 'state', 'resourceArn'],
  'restore-job': ['eventId', 'time', 'status', 'restoreJobId', 'resourceArn'],
  'recovery-point': ['eventId', 'time', 'status', 'restoreJobId', 'resourceArn'],
  'ecs-service-action': ['eventId', 'time', 'eventName', 'clusterArn', 'serviceName'],
  schedule: ['time', 'schedule'],
  workflow: ['workflow', 'eventId', 'time'],
  'execution-failed': [
    'eventId',
    'time',
    'executionArn',
    'stateMachineArn',
    'stateMachine',
    'executionName',
    'status',
    'startDate',
    'stopDate',
  ],
};

/** Bytes one code point takes inside a JSON string literal, UTF-8 encoded. */
function encodedSize(codePoint: number): number {
  if (codePoint === 0x22 || codePoint === 0x5c) return 2; // \" and \\
  if (
    codePoint === 0x08 ||
    codePoint === 0x09 ||
    codePoint === 0x0a ||
    codePoint === 0x0c ||
    codePoint === 0x0d
  )
    return 2;
  if (codePoint < 0x20) return 6; // \u00XX
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 6; // a lone surrogate, escaped by JSON.stringify
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/** Bytes `text` takes inside the serialized input (without its quotes). */
export function textBytes(text: string): number {
  let bytes = 0;
  for (const ch of text) bytes += encodedSize(ch.codePointAt(0) as number);
  return bytes;
}

/** Bytes of a value serialized as JSON, UTF-8 encoded: what Step Functions counts. */
export function serializedBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

const marker = (removed: number) => `…[truncated ${removed} bytes]`;

/**
 * `text` if it fits `limit`; otherwise its longest prefix (whole code points) that fits together
 * with a marker saying how many bytes were cut.
 */
export function truncateText(text: string, limit: number = FIELD_LIMIT_BYTES): string {
  const total = textBytes(text);
  if (total <= limit) return text;
  // The marker can only be shorter with the real (smaller) count than with the total.
  const keep = Math.max(0, limit - textBytes(marker(total)));
  let kept = 0;
  let end = 0;
  for (const ch of text) {
    const size = encodedSize(ch.codePointAt(0) as number);
    if (kept + size > keep) break;
    kept += size;
    end += ch.length;
  }
  return `${text.slice(0, end)}${marker(total - kept)}`;
}

/** A list of strings cut to `limit` bytes in all; the last entry then says how many were left out. */
export function truncateList(items: readonly string[], limit: number = FIELD_LIMIT_BYTES): string[] {
  const out: string[] = [];
  let used = 0;
  for (const [index, item] of items.entries()) {
    const entry = truncateText(item, Math.floor(limit / 4));
    const size = textBytes(entry) + 3; // quotes and comma
    if (used + size > limit) {
      out.push(`…[truncated ${items.length - index} more]`);
      return out;
    }
    out.push(entry);
    used += size;
  }
  return out;
}

/** Every string inside a JSON value truncated to the field limit (nested values have no identity). */
function truncateJson(value: unknown): unknown {
  if (typeof value === 'string') return truncateText(value);
  if (Array.isArray(value)) return value.map(truncateJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, truncateJson(v)]));
  return value;
}

export type Limited<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** An identity field over its limit, as a reason; undefined when it fits. */
export function oversizedIdentity(where: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const bytes = textBytes(value);
  if (bytes <= IDENTITY_LIMIT_BYTES) return undefined;
  return `${where} is ${bytes} bytes, over the ${IDENTITY_LIMIT_BYTES}-byte limit of an identity field (never truncated)`;
}

/** The signal with its free text cut to the field limit, or why it cannot be used at all. */
export function limitSignal(signal: Signal): Limited<Signal> {
  const identity = IDENTITY_FIELDS[signal.type];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(signal)) {
    if (identity.includes(key)) {
      const problem = oversizedIdentity(`signal.${key}`, value);
      if (problem) return { ok: false, reason: problem };
      out[key] = value;
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      out[key] = truncateList(value);
    } else {
      out[key] = truncateJson(value);
    }
  }
  return { ok: true, value: out as unknown as Signal };
}

/**
 * A workflow input within its limits: the signal's free text truncated, identity fields checked,
 * then the whole input checked against the budget.
 */
export function limitInput<T extends object>(input: T): Limited<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'signal') {
      const signal = limitSignal(value as Signal);
      if (!signal.ok) return signal;
      out[key] = signal.value;
    } else if (key === 'alert' && value !== null && typeof value === 'object') {
      for (const [field, text] of Object.entries(value as Record<string, unknown>)) {
        const problem = oversizedIdentity(`alert.${field}`, text);
        if (problem) return { ok: false, reason: problem };
      }
      out[key] = value;
    } else {
      // subject, state, component, restoreJobId: what the execution is about.
      const problem = oversizedIdentity(key, value);
      if (problem) return { ok: false, reason: problem };
      out[key] = value;
    }
  }
  const bytes = serializedBytes(out);
  if (bytes > INPUT_BUDGET_BYTES)
    return {
      ok: false,
      reason: `the workflow input is ${bytes} bytes after truncation, over its ${INPUT_BUDGET_BYTES}-byte budget`,
    };
  return { ok: true, value: out as T };
}
