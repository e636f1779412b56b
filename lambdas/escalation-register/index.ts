import { parseEscalationInput } from '../core/escalation/input';
import type { RegisterPhase } from '../core/escalation/register';
import type { RegisterDecision } from '../core/escalation/types';
import { defaultDeps, type Deps } from '../aws/deps';
import { lazyHandler } from '../aws/lazy-handler';
import { ControlPlaneMetrics } from '../aws/control-plane-metrics';
import type { MetricsSink } from '../core/metrics-sink';

export interface RegisterEvent {
  readonly input: unknown;
  /**
   * `confirmed` after the workflow has seen the alarm stay in ALARM for its confirmation count;
   * `dampening-ended` when the flapping dampening that held the change back is over.
   */
  readonly phase: RegisterPhase;
  /** The execution registering ($$.Execution.Id): its retries get the decision it committed. */
  readonly executionId?: string;
  /** For `dampening-ended`: when the dampening was due to end (logged; the table decides). */
  readonly recheckAt?: string;
}

type RegisterDeps = Deps & { readonly metrics: MetricsSink };

/**
 * Register: decides what a signal means (lambdas/core/escalation/register.ts) and commits it under
 * the correlation group's lock (lambdas/aws/incident-registry.ts).
 */
export function makeRegisterHandler(deps: RegisterDeps) {
  return async (event: RegisterEvent): Promise<RegisterDecision> => {
    const { input, alert } = parseEscalationInput(event.input);
    const phase: RegisterPhase = event.phase ?? 'register';
    const decision = await deps.store.registry.register(input, alert, deps.now(), phase, event.executionId);
    if ((decision.action === 'page' && !decision.takenOver) || decision.action === 'linked')
      deps.metrics.emit('incidentsOpened', { severity: alert.severity });
    if (decision.action === 'resolve' && decision.incidentId)
      deps.metrics.emit('incidentsResolved', { severity: alert.severity });
    deps.logger.info('registered', {
      alert: alert.name,
      subject: input.subject,
      state: input.state,
      phase,
      decision,
    });
    return decision;
  };
}

export const handler = lazyHandler((): RegisterDeps => {
  const deps = defaultDeps();
  return { ...deps, metrics: new ControlPlaneMetrics(deps.config.environment) };
}, makeRegisterHandler);
