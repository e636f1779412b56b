import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import { alarmName } from '../../lib/config/naming';
import { routeSignal, type WorkflowInput } from '../../lambdas/core/routing/route';
import type { AlarmSignal } from '../../lambdas/core/signals/types';

/** The prod routing catalogue, as the router holds it. */
export const PROD_CATALOGUE = {
  environment: 'prod',
  alerts: ALERT_CATALOGUE,
  internal: INTERNAL_ALARM_CATALOGUE,
} as const;

/** A CloudWatch alarm state change as the router normalises it (an EventBridge metric alarm). */
export function alarmSignal(
  name: string,
  state: AlarmSignal['state'] = 'ALARM',
  at: Date | string = '2026-11-23T10:00:00.000Z',
  extra: Partial<AlarmSignal> = {},
): AlarmSignal {
  return {
    type: 'alarm',
    alarmName: name,
    state,
    stateChangeTime: new Date(at).toISOString(),
    reason: 'Threshold Crossed',
    alarmKind: 'metric',
    delivery: 'eventbridge',
    ...extra,
  };
}

/** The workflow input the router produces for a state change of a prod catalogue alarm. */
export function routedAlarmInput(alert: string, state: 'ALARM' | 'OK', at: Date | string): WorkflowInput {
  const decision = routeSignal(alarmSignal(alarmName('prod', alert), state, at), PROD_CATALOGUE);
  if (decision.action !== 'start' || !('alert' in decision.input))
    throw new Error(`${alert} ${state} is not routed with an alert input`);
  return decision.input;
}
