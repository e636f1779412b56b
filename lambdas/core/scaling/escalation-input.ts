import { SCALING_INCIDENTS } from '../../../lib/config/scaling-incidents';
import { executionName } from '../routing/execution-name';
import type { WorkflowInput } from '../routing/route';

/** The escalation workflow execution the scale-decision workflow starts to raise (ALARM) or resolve (OK) an incident. */
export interface EscalationStart {
  readonly name: string;
  readonly input: WorkflowInput;
}

export function escalationStart(
  alertName: string,
  component: string,
  executionId: string,
  at: Date,
  detail: string,
  state: 'ALARM' | 'OK' = 'ALARM',
): EscalationStart {
  const alert = SCALING_INCIDENTS.find((a) => a.name === alertName);
  if (!alert) throw new Error(`${alertName} is not a scaling incident of the catalogue`);
  const suffix = executionId.split(':').pop() ?? executionId;
  return {
    name: executionName(alertName, state, component, suffix),
    input: {
      alert: { name: alert.name, kind: alert.kind, component: alert.component, severity: alert.severity },
      subject: component,
      state,
      signal: {
        type: 'workflow',
        workflow: 'scale-decision',
        eventId: `${executionId}#${alertName}#${state}`,
        time: at.toISOString(),
        detail,
      },
    },
  };
}
