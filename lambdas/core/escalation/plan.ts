import type { AlertDefinition } from '../../../lib/config/alert-schema';
import { ESCALATION_PATHS, type EscalationPath } from '../../../lib/config/escalation';
import type { EscalationStep } from './types';

export function escalationPathOf(alert: Pick<AlertDefinition, 'severity' | 'security'>): EscalationPath {
  return alert.security && (alert.severity === 'Critical' || alert.severity === 'High')
    ? ESCALATION_PATHS.Security
    : ESCALATION_PATHS[alert.severity];
}

/**
 * The pages an unacknowledged incident gets: each level, then the ultimate escalation, each step
 * waiting for an acknowledgement until the next one's time. Unescalated severities get one page.
 */
export function escalationSteps(alert: Pick<AlertDefinition, 'severity' | 'security'>): EscalationStep[] {
  const path = escalationPathOf(alert);
  const levels = path.requiresAcknowledgement ? [...path.levels, path.ultimate] : path.levels.slice(0, 1);
  return levels.map((level, index) => {
    const next = levels[index + 1];
    return {
      index,
      level: level.level,
      audience: level.audience,
      waitSeconds: next ? (next.afterMinutes - level.afterMinutes) * 60 : 0,
      isLast: next === undefined,
    };
  });
}
