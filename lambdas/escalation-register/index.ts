import { register } from '../core/escalation/register';
import { parseEscalationInput } from '../core/escalation/input';
import type { RegisterDecision } from '../core/escalation/types';
import { defaultDeps, type Deps } from '../aws/deps';
import { lazyHandler } from '../aws/lazy-handler';
import { ControlPlaneMetrics } from '../aws/control-plane-metrics';
import type { MetricsSink } from '../core/metrics-sink';

export interface RegisterEvent {
  readonly input: unknown;
  /** `confirmed` after the workflow has seen the alarm stay in ALARM for its confirmation count. */
  readonly phase: 'register' | 'confirmed';
}

type RegisterDeps = Deps & { readonly metrics: MetricsSink };

/** Register: decides what a signal means (lambdas/core/escalation/register.ts) and records it. */
export function makeRegisterHandler(deps: RegisterDeps) {
  return async (event: RegisterEvent): Promise<RegisterDecision> => {
    const { input, alert } = parseEscalationInput(event.input);
    const now = deps.now();
    const confirmed = event.phase === 'confirmed';
    const snapshot = await deps.store.snapshot(input, alert, now);
    const { decision, stateChanges, flappingUntil } = register(input, alert, snapshot, now, confirmed);

    if (decision.action !== 'duplicate' && !confirmed) {
      // The conditional write, not the snapshot, is the authority on duplicates (two runs racing).
      const first = await deps.store.recordSignal(input, decision, now);
      if (!first)
        return { action: 'duplicate', reason: 'this state change was already registered; nothing to do' };
      await deps.store.saveHistory(alert.name, input.subject, stateChanges, flappingUntil, now);
    }

    switch (decision.action) {
      case 'page':
      case 'linked': {
        // A child links to its parent's group instead of gathering one.
        const gathersGroup = decision.action === 'page';
        if (await deps.store.openIncident(decision.incident, now, { gathersGroup }))
          deps.metrics.emit('incidentsOpened', { severity: alert.severity });
        break;
      }
      case 'deduplicated':
        await deps.store.absorb(decision.incidentId, now);
        break;
      case 'grouped':
        await deps.store.absorb(decision.incidentId, now, alert.name);
        break;
      default:
        break;
    }
    deps.logger.info('registered', {
      alert: alert.name,
      subject: input.subject,
      state: input.state,
      decision,
    });
    return decision;
  };
}

export const handler = lazyHandler((): RegisterDeps => {
  const deps = defaultDeps();
  return { ...deps, metrics: new ControlPlaneMetrics(deps.config.environment) };
}, makeRegisterHandler);
