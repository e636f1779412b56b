import * as z from 'zod/mini';
import { RUNTIME_ALERT_CATALOGUE } from '../../../lib/config/alert-runtime';
import { COMPONENT_IDS, type ComponentId } from '../../../lib/config/constants';
import { InvalidInputError } from '../invalid-input';
import type { ScheduledRequest } from './types';
import { isRoutedInput, parseConsoleInput, parseRoutedInput } from '../routing/console-input';

/**
 * What starts a scale decision: a scale alarm routed by the router (its alert names the
 * component), a periodic evaluation `{component}`, or an operator's manual target
 * `{component, to, reason}` from the console or `ops scale`, or the off-peak schedule
 * `{component, scheduled: "off-peak-start" | "off-peak-end"}`. Both shapes are strict: a
 * misspelt field (`{"component": "odoo", "desired": 4}`) fails naming it, before anything is read.
 */
export interface ScaleRequest {
  readonly component: ComponentId;
  readonly trigger: string;
  readonly manual?: { readonly to: number; readonly reason: string };
  /** The off-peak schedule's start or end (EventBridge Scheduler, lib/constructs/control-plane/scale-decision-workflow.ts). */
  readonly scheduled?: ScheduledRequest;
  /** When the alarm that asked changed state (ISO 8601): the start of "time from alarm to action". */
  readonly alarmAt?: string;
  /** The scale alert whose alarm asked (`Scale_odoo_cpu_high`), for a routed request. */
  readonly alertName?: string;
}

const SCHEDULED_REQUESTS = ['off-peak-start', 'off-peak-end'] as const satisfies readonly ScheduledRequest[];

const ByHand = z.strictObject({
  component: z.enum(COMPONENT_IDS),
  to: z.optional(z.number().check(z.int())),
  reason: z.optional(
    z.string().check(
      z.trim(),
      z.refine((reason) => reason.length >= 3, 'must say why (3 characters or more)'),
    ),
  ),
  requestedBy: z.optional(z.string().check(z.trim(), z.minLength(1))),
});

/** The off-peak schedule's request: a shape of its own, so a schedule with a target fails naming it. */
const BySchedule = z.strictObject({
  component: z.enum(COMPONENT_IDS),
  scheduled: z.enum(SCHEDULED_REQUESTS),
});

const ROUTED = {
  workflow: 'scale-decision',
  kinds: ['scale'],
  states: ['ALARM'],
  alerts: RUNTIME_ALERT_CATALOGUE,
} as const;

export function parseScaleRequest(
  raw: unknown,
  capacity: Readonly<Record<ComponentId, { min: number; max: number }>>,
): ScaleRequest {
  if (isRoutedInput(raw)) {
    const { input, alert } = parseRoutedInput(raw, ROUTED);
    const component = COMPONENT_IDS.find((c) => c === alert.component);
    if (!component)
      throw new InvalidInputError(
        `input.alert.name: ${alert.name} is about ${alert.component}, which is not a scaled component (${COMPONENT_IDS.join(', ')})`,
      );
    const alarmAt = input.signal.type === 'alarm' ? input.signal.stateChangeTime : undefined;
    return {
      component,
      trigger: `alarm ${alert.name}`,
      alertName: alert.name,
      ...(alarmAt ? { alarmAt } : {}),
    };
  }
  if (typeof raw === 'object' && raw !== null && 'scheduled' in raw) {
    const { component, scheduled } = parseConsoleInput(BySchedule, raw, 'a scheduled scale-decision request');
    return { component, trigger: `schedule ${scheduled}`, scheduled };
  }
  const { component, to, reason, requestedBy } = parseConsoleInput(ByHand, raw, 'a scale-decision request');
  if (to === undefined) {
    if (reason !== undefined)
      throw new InvalidInputError('input.to: is required with a reason (the manual target, a whole number)');
    return { component, trigger: 'periodic evaluation' };
  }
  const { min, max } = capacity[component];
  if (to < min || to > max)
    throw new InvalidInputError(`input.to: must be a whole number from ${min} to ${max} for ${component}`);
  if (!reason) throw new InvalidInputError('input.reason: a manual scale needs a reason');
  return { component, trigger: `manual by ${requestedBy ?? 'console'}`, manual: { to, reason } };
}
