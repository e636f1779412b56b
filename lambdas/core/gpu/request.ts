import * as z from 'zod/mini';
import { InvalidInputError } from '../invalid-input';
import { parseConsoleInput } from '../routing/console-input';

/** The catalogue alert this workflow answers (seed 004's compound condition). */
export const STALL_ALERT = 'AI_Service_Stalled';

/** Who asked for a check: the composite alarm, the periodic per-host check, or a person. */
export const PERIODIC_REQUESTER = 'schedule';

/**
 * What starts the stalled-GPU workflow: the router's input for the AI_Service_Stalled alarm,
 * the periodic check `{requestedBy: "schedule"}`, or a console / `ops gpu-check` run
 * `{dryRun?, requestedBy?}`. A dry run confirms and reports and changes nothing.
 */
export interface StallRequest {
  readonly trigger: string;
  readonly dryRun: boolean;
}

const Routed = z.looseObject({
  alert: z.looseObject({ name: z.string() }),
  state: z.string(),
  signal: z.looseObject({ type: z.string() }),
});
const ByHand = z.strictObject({
  dryRun: z.optional(z.boolean()),
  requestedBy: z.optional(z.string().check(z.trim(), z.minLength(1))),
});

export function parseStallRequest(raw: unknown): StallRequest {
  const routed = Routed.safeParse(raw);
  if (routed.success) {
    const { alert, state } = routed.data;
    if (alert.name !== STALL_ALERT)
      throw new InvalidInputError(
        `input.alert.name: this workflow handles ${STALL_ALERT}, not ${alert.name}`,
      );
    if (state !== 'ALARM')
      throw new InvalidInputError(`input.state: must be ALARM (a return to OK is the escalation workflow's)`);
    return { trigger: `alarm ${STALL_ALERT}`, dryRun: false };
  }
  const { dryRun = false, requestedBy } = parseConsoleInput(ByHand, raw, 'a GPU check');
  return {
    trigger: requestedBy === PERIODIC_REQUESTER ? 'periodic check' : `manual by ${requestedBy ?? 'console'}`,
    dryRun,
  };
}
