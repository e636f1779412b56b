import * as z from 'zod/mini';
import { COMPONENT_IDS, type ComponentId } from '../../../lib/config/constants';
import { InvalidInputError } from '../invalid-input';

/**
 * What starts a scale decision: a scale alarm routed by the router (its alert names the
 * component), a periodic evaluation `{component}`, or an operator's manual target
 * `{component, to, reason}` from the console or `ops scale`.
 */
export interface ScaleRequest {
  readonly component: ComponentId;
  readonly trigger: string;
  readonly manual?: { readonly to: number; readonly reason: string };
  /** When the alarm that asked changed state (ISO 8601): the start of "time from alarm to action". */
  readonly alarmAt?: string;
}

const Manual = z.object({
  component: z.enum(COMPONENT_IDS),
  to: z.optional(z.number().check(z.int())),
  reason: z.optional(z.string().check(z.trim(), z.minLength(3, 'must say why (3 characters or more)'))),
  requestedBy: z.optional(z.string()),
});
const Routed = z.looseObject({
  alert: z.looseObject({ name: z.string(), component: z.enum(COMPONENT_IDS) }),
  signal: z.optional(z.looseObject({ stateChangeTime: z.optional(z.string()) })),
});

export function parseScaleRequest(
  raw: unknown,
  capacity: Readonly<Record<ComponentId, { min: number; max: number }>>,
): ScaleRequest {
  const routed = Routed.safeParse(raw);
  if (routed.success) {
    const alarmAt = routed.data.signal?.stateChangeTime;
    return {
      component: routed.data.alert.component,
      trigger: `alarm ${routed.data.alert.name}`,
      ...(alarmAt && !Number.isNaN(Date.parse(alarmAt)) ? { alarmAt } : {}),
    };
  }
  const parsed = Manual.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(
      `input.${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const { component, to, reason, requestedBy } = parsed.data;
  if (to === undefined) return { component, trigger: 'periodic evaluation' };
  const { min, max } = capacity[component];
  if (to < min || to > max)
    throw new InvalidInputError(`input.to: must be a whole number from ${min} to ${max} for ${component}`);
  if (!reason) throw new InvalidInputError('input.reason: a manual scale needs a reason');
  return { component, trigger: `manual by ${requestedBy ?? 'console'}`, manual: { to, reason } };
}
