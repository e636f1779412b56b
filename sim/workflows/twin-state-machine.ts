import { StateMachine } from 'aws-local-stepfunctions';
import { readDefinition, type JSONValue } from './asl';

/** The resource a Wait state becomes: a task the twin answers by parking on its clock. */
export const TWIN_WAIT_RESOURCE = 'arn:aws:states:::twin:wait';

type StateDefinition = Record<string, JSONValue> & { Type: string };
type States = Record<string, StateDefinition>;

/** What the twin needs to answer each Task state of a definition. */
export interface TwinTask {
  readonly state: string;
  readonly resource: string;
}

export interface TwinStateMachine {
  readonly machine: StateMachine;
  readonly tasks: readonly TwinTask[];
  /** Every state with a Retry, for instant retries (their backoff is seconds, not twin minutes). */
  readonly retrying: readonly string[];
}

/**
 * Loads a checked-in definition for the twin (readDefinition), with every Wait state turned into a Task of TWIN_WAIT_RESOURCE with the same duration
 * (Seconds, SecondsPath, Timestamp or TimestampPath) and ResultPath null, so that it passes its
 * input on as a Wait does. Why: aws-local-stepfunctions waits in real milliseconds; the twin must
 * wait in twin seconds while the fleet boots. Every other state runs as written.
 */
export function twinStateMachine(name: string): TwinStateMachine {
  const definition = readDefinition(name) as { States: States };
  const tasks: TwinTask[] = [];
  const retrying: string[] = [];
  rewrite(definition.States, tasks, retrying);
  return { machine: new StateMachine(definition as never), tasks, retrying };
}

function rewrite(states: States, tasks: TwinTask[], retrying: string[]): void {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Wait') states[name] = waitAsTask(state);
    const current = states[name] as StateDefinition;
    if (current.Type === 'Task') tasks.push({ state: name, resource: String(current.Resource) });
    if (current.Retry) retrying.push(name);
    const processor = (current.ItemProcessor ?? current.Iterator) as { States: States } | undefined;
    if (processor) rewrite(processor.States, tasks, retrying);
    for (const branch of (current.Branches as Array<{ States: States }> | undefined) ?? [])
      rewrite(branch.States, tasks, retrying);
  }
}

function waitAsTask(wait: StateDefinition): StateDefinition {
  const { Seconds, SecondsPath, Timestamp, TimestampPath, ...rest } = wait;
  const parameters: Record<string, JSONValue> =
    Seconds !== undefined
      ? { seconds: Seconds }
      : SecondsPath !== undefined
        ? { 'seconds.$': SecondsPath }
        : Timestamp !== undefined
          ? { timestamp: Timestamp }
          : { 'timestamp.$': TimestampPath as string };
  return { ...rest, Type: 'Task', Resource: TWIN_WAIT_RESOURCE, Parameters: parameters, ResultPath: null };
}
