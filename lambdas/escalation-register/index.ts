import { parseEscalationInput } from '../core/escalation/input';
import type { RegisterPhase } from '../core/escalation/register';
import type { RegisterDecision } from '../core/escalation/types';
import { defaultDeps, type Deps } from '../aws/deps';
import { lazyHandler } from '../aws/lazy-handler';
import { ControlPlaneMetrics } from '../aws/control-plane-metrics';
import type { MetricsSink } from '../core/metrics-sink';
import { probeTargetOf } from '../../lib/config/probe-validation';

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

type RegisterDeps = Deps & {
  readonly metrics: MetricsSink;
  /** Whether a health probe is deployed (HEALTH_PROBE=enabled): without one, nothing is validated. */
  readonly healthProbe?: boolean;
};

/**
 * A new incident of a 'Service Unresponsive' alert is validated by the health probe before its
 * first page (seed 004 "Alert Validation"); a taken-over one was already someone's to handle.
 * Added to the decision as returned, not as committed: a retry gets the same answer.
 */
function withValidation(decision: RegisterDecision, healthProbe: boolean | undefined): RegisterDecision {
  if (!healthProbe || decision.action !== 'page' || decision.takenOver || decision.firstStep !== 0)
    return decision;
  const target = probeTargetOf(decision.incident.alertName);
  return target ? { ...decision, validate: { target } } : decision;
}

/**
 * Register: decides what a signal means (lambdas/core/escalation/register.ts) and commits it under
 * the correlation group's lock (lambdas/aws/incident-registry.ts).
 */
export function makeRegisterHandler(deps: RegisterDeps) {
  return async (event: RegisterEvent): Promise<RegisterDecision> => {
    const { input, alert } = parseEscalationInput(event.input);
    const phase: RegisterPhase = event.phase ?? 'register';
    const decision = withValidation(
      await deps.store.registry.register(input, alert, deps.now(), phase, event.executionId),
      deps.healthProbe,
    );
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
  return {
    ...deps,
    metrics: new ControlPlaneMetrics(deps.config.environment),
    healthProbe: process.env.HEALTH_PROBE === 'enabled',
  };
}, makeRegisterHandler);
