import type { RuntimeAlert } from '../../../lib/config/alert-runtime';
import { executionName } from '../routing/execution-name';
import type { WorkflowInput } from '../routing/route';

/** An execution of the escalation workflow that another workflow starts: its name and input. */
export interface EscalationStart {
  readonly name: string;
  readonly input: WorkflowInput;
}

/**
 * How a workflow raises (ALARM) or resolves (OK) a catalogue alert: through the escalation
 * workflow, with what it saw and did as the signal's detail (the page shows it). The name derives
 * from the alert, state, a label and the starting execution, so a re-run starts nothing new.
 */
export function workflowEscalation(options: {
  readonly alert: RuntimeAlert;
  readonly workflow: string;
  readonly subject: string;
  readonly state: 'ALARM' | 'OK';
  readonly label: string;
  readonly executionId: string;
  readonly detail: string;
  readonly at: Date;
}): EscalationStart {
  const { alert, state, executionId } = options;
  const suffix = executionId.split(':').pop() ?? executionId;
  return {
    name: executionName(alert.name, state, options.label, suffix),
    input: {
      alert: { name: alert.name, kind: alert.kind, component: alert.component, severity: alert.severity },
      subject: options.subject,
      state,
      signal: {
        type: 'workflow',
        workflow: options.workflow,
        eventId: `${executionId}#${alert.name}#${options.label}#${state}`,
        time: options.at.toISOString(),
        detail: options.detail,
      },
    },
  };
}
