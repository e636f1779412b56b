import {
  HOLD_REASONS,
  type DECISION_KINDS,
  type HoldReason,
} from '../../../lib/config/control-plane-metrics';
import type { ScalingDecision } from './types';

/**
 * How a decision is counted on the dashboards: a scale out or in, a hold (a rule or an operator
 * asked for a change and a guardrail stopped it), or none (nothing asked for a change).
 */
export function decisionKind(decision: ScalingDecision): (typeof DECISION_KINDS)[number] {
  if (decision.action === 'scale') return decision.to > decision.from ? 'scale-out' : 'scale-in';
  return holdReason(decision) ? 'hold' : 'none';
}

/** The guardrail that held a requested change: the last one the decision engine applied. */
export function holdReason(decision: ScalingDecision): HoldReason | undefined {
  if (decision.action !== 'hold') return undefined;
  const last = decision.guardrails.at(-1);
  return HOLD_REASONS.find((reason) => reason === last);
}
