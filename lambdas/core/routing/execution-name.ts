import { createHash } from 'node:crypto';

/**
 * Step Functions execution names: 1-80 characters of letters, digits, `-` and `_`, unique per
 * state machine for 90 days. Deriving the name from what identifies the state change (alarm +
 * state + change time, or the EventBridge event id) makes a duplicate delivery start nothing.
 */
export function executionName(...parts: string[]): string {
  const name = parts.join('-').replace(/[^A-Za-z0-9_-]/g, '-');
  if (name.length <= 80) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 71)}-${hash}`;
}
