import { PROBE_TARGETS, type ProbeTarget } from '../../../lib/config/probes';
import { InvalidInputError } from '../invalid-input';

/** The two ways the probe function is invoked. */
export type ProbeRequest =
  | { readonly mode: 'scheduled' }
  | { readonly mode: 'validate'; readonly target: ProbeTarget; readonly executionId: string };

/**
 * Reads an invocation: `{"mode":"scheduled"}` (the per-AZ EventBridge rule's input) or
 * `{"mode":"validate","target":"odoo"|"n8n","executionId":"<id>"}` (the escalation workflow).
 * Malformed input throws InvalidInputError naming the field, before any request is made.
 */
export function parseProbeRequest(event: unknown): ProbeRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw new InvalidInputError('event: must be an object with a mode');
  const e = event as Record<string, unknown>;
  if (e.mode === 'scheduled') return { mode: 'scheduled' };
  if (e.mode !== 'validate') throw new InvalidInputError(`mode: must be "scheduled" or "validate"`);
  if (typeof e.target !== 'string' || !(PROBE_TARGETS as readonly string[]).includes(e.target))
    throw new InvalidInputError(`target: must be one of ${PROBE_TARGETS.join(', ')}`);
  if (typeof e.executionId !== 'string' || e.executionId.trim() === '')
    throw new InvalidInputError('executionId: must be a non-empty string');
  return { mode: 'validate', target: e.target as ProbeTarget, executionId: e.executionId };
}
