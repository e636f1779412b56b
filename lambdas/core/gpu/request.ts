import * as z from 'zod/mini';
import { RUNTIME_ALERT_CATALOGUE } from '../../../lib/config/alert-runtime';
import { PERIODIC_REQUESTER } from '../../../lib/config/constants';
import { isRoutedInput, parseConsoleInput, parseRoutedInput } from '../routing/console-input';

/** The catalogue alert this workflow answers (seed 004's compound condition). */
export const STALL_ALERT = 'AI_Service_Stalled';

/**
 * What starts the stalled-GPU workflow: the router's input for a stall alarm (AI_Service_Stalled
 * in ALARM), the periodic check `{requestedBy: "schedule"}`, or a console / `ops gpu-check` run
 * `{dryRun?, requestedBy?}`. A dry run confirms and reports and changes nothing. Both shapes are
 * strict: a misspelt field fails naming it, before anything is read.
 */
export interface StallRequest {
  readonly trigger: string;
  readonly dryRun: boolean;
}

const ByHand = z.strictObject({
  dryRun: z.optional(z.boolean()),
  requestedBy: z.optional(z.string().check(z.trim(), z.minLength(1))),
});

const ROUTED = {
  workflow: 'stalled-gpu',
  kinds: ['stall'],
  states: ['ALARM'],
  alerts: RUNTIME_ALERT_CATALOGUE,
} as const;

export function parseStallRequest(raw: unknown): StallRequest {
  if (isRoutedInput(raw)) {
    const { alert } = parseRoutedInput(raw, ROUTED);
    return { trigger: `alarm ${alert.name}`, dryRun: false };
  }
  const { dryRun = false, requestedBy } = parseConsoleInput(ByHand, raw, 'a GPU check');
  return {
    trigger: requestedBy === PERIODIC_REQUESTER ? 'periodic check' : `manual by ${requestedBy ?? 'console'}`,
    dryRun,
  };
}
