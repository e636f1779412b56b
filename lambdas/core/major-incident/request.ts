import { hasControlCharacter, MAJOR_REASON_CHARS } from '../../../lib/config/major-incident-lists';
import { InvalidInputError } from '../invalid-input';

/**
 * The major-incident workflow's input, as `ops declare-major` / `ops end-major` send it and as the
 * Incident Commander may type it in the Step Functions console:
 *   { "action": "declare", "reason": "...", "requestedBy": "...", "broadImpact": true }
 *   { "action": "end", "reason": "...", "requestedBy": "..." }
 * Strict: an unknown field is refused, so that a typo (`"broad": true`) cannot quietly leave
 * AllEmployees out. Every refusal names the field, and comes before anything is recorded or sent.
 */
export type MajorRequest =
  | {
      readonly action: 'declare';
      readonly reason: string;
      readonly requestedBy: string;
      readonly broadImpact: boolean;
    }
  | { readonly action: 'end'; readonly reason: string; readonly requestedBy: string };

const ACTIONS = ['declare', 'end'] as const;
const FIELDS: Record<MajorRequest['action'], readonly string[]> = {
  declare: ['action', 'reason', 'requestedBy', 'broadImpact'],
  end: ['action', 'reason', 'requestedBy'],
};
/** Longer than any IAM ARN (2048 is IAM's limit for a role session ARN's parts together). */
const MAX_REQUESTER_CHARS = 512;

export function parseMajorRequest(raw: unknown): MajorRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidInputError(
      'input: must be a JSON object such as {"action":"declare","reason":"...","requestedBy":"..."}',
    );
  const input = raw as Record<string, unknown>;
  const action = input.action;
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action))
    throw new InvalidInputError(`action: must be one of ${ACTIONS.join(', ')}`);
  const known = FIELDS[action as MajorRequest['action']];
  const unknown = Object.keys(input).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new InvalidInputError(
      `${unknown.join(', ')}: not a field of a major-incident ${action} (fields: ${known.join(', ')})`,
    );
  const reason = text(input.reason, 'reason', MAJOR_REASON_CHARS.min, MAJOR_REASON_CHARS.max);
  const requestedBy = text(input.requestedBy, 'requestedBy', 1, MAX_REQUESTER_CHARS);
  if (action === 'end') return { action, reason, requestedBy };
  const broad = input.broadImpact ?? false;
  if (typeof broad !== 'boolean')
    throw new InvalidInputError('broadImpact: must be true or false (true also notifies AllEmployees)');
  return { action: 'declare', reason, requestedBy, broadImpact: broad };
}

/** A trimmed single line of `min` to `max` characters: it goes into SMS and email subjects. */
function text(value: unknown, field: string, min: number, max: number): string {
  if (value === undefined || value === null) throw new InvalidInputError(`${field}: required`);
  if (typeof value !== 'string') throw new InvalidInputError(`${field}: must be a string`);
  const trimmed = value.trim();
  if (trimmed.length < min) throw new InvalidInputError(`${field}: required, ${min} characters or more`);
  if (trimmed.length > max) throw new InvalidInputError(`${field}: at most ${max} characters`);
  // A line break or control character would break the SMS and the email subject.
  if (hasControlCharacter(trimmed))
    throw new InvalidInputError(`${field}: must be one line without control characters`);
  return trimmed;
}
