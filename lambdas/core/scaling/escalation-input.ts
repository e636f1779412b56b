import { SCALING_INCIDENTS } from '../../../lib/config/scaling-incidents';
import { executionName } from '../routing/execution-name';
import type { WorkflowInput } from '../routing/route';

/** The escalation workflow execution the scale-decision workflow starts to raise an incident. */
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
): EscalationStart {
  const alert = SCALING_INCIDENTS.find((a) => a.name === alertName);
  if (!alert) throw new Error(`${alertName} is not a scaling incident of the catalogue`);
  const suffix = executionId.split(':').pop() ?? executionId;
  return {
    name: executionName(alertName, component, suffix),
    input: {
      alert: { name: alert.name, kind: alert.kind, component: alert.component, severity: alert.severity },
      subject: component,
      state: 'ALARM',
      signal: {
        type: 'workflow',
        workflow: 'scale-decision',
        eventId: `${executionId}#${alertName}`,
        time: at.toISOString(),
        detail,
      },
    },
  };
}
