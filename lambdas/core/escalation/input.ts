import { RUNTIME_ALERT_CATALOGUE, type RuntimeAlert } from '../../../lib/config/alert-runtime';
import { ALERT_KINDS } from '../../../lib/config/constants';
import { parseRoutedInput } from '../routing/console-input';
import type { EscalationInput } from './types';

const RULES = {
  workflow: 'escalation',
  // Every kind: a return to OK of any alert, and the alerts the workflows raise, come here.
  kinds: ALERT_KINDS,
  states: ['ALARM', 'OK'],
  alerts: RUNTIME_ALERT_CATALOGUE,
} as const;

/**
 * The escalation workflow's input, as the router or a raising workflow sends it and as an
 * operator may type it in the console: strict at every level (lambdas/core/routing/console-input.ts),
 * naming a catalogue alert. The catalogue, not the input, decides severity and routing: the
 * returned input carries the catalogue's kind, component and severity of the named alert.
 */
export function parseEscalationInput(raw: unknown): { input: EscalationInput; alert: RuntimeAlert } {
  return parseRoutedInput(raw, RULES);
}
