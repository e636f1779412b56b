import { StateMachine } from 'aws-local-stepfunctions';
import { readDefinition, type JSONValue } from '../../sim/workflows/asl';

/**
 * Running a checked-in workflow locally in a test: the definition, Lambda-shaped task overrides,
 * and the states an execution went through.
 */

/**
 * A checked-in definition, ready for aws-local-stepfunctions. `startAt` starts it at another state:
 * a redrive, which Step Functions starts at the state that failed, with that state's input.
 */
export function loadStateMachine(name: string, startAt?: string): StateMachine {
  const definition = readDefinition(name);
  if (!startAt) return new StateMachine(definition as never);
  // The states before `startAt` become unreachable, which the validator refuses: the definition
  // itself was validated when it was loaded whole.
  return new StateMachine({ ...definition, StartAt: startAt } as never, {
    validationOptions: { noValidate: true },
  });
}

/** A local Task override that behaves like the Lambda integration: the handler's result under Payload. */
export const lambdaTask =
  <E, R>(handler: (event: E) => Promise<R>) =>
  async (params: unknown): Promise<JSONValue> => ({
    Payload: (await handler((params as { Payload: E }).Payload)) as JSONValue,
    StatusCode: 200,
  });

export interface LocalRun {
  readonly result: Record<string, unknown>;
  readonly error: Error | undefined;
  /** The states entered, in order. */
  readonly visited: Array<string | undefined>;
  readonly endState: string | undefined;
  /** The top-level state the execution failed at, with its input: where a redrive starts. */
  readonly failedAt?: { readonly state: string; readonly input: JSONValue };
}

/** Waits for a local execution and collects the states it went through. */
export async function settle(execution: ReturnType<StateMachine['run']>): Promise<LocalRun> {
  const events: Array<{ type: string; state?: { name: string; input: JSONValue }; index?: number }> = [];
  const collect = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();
  let result: unknown;
  let error: Error | undefined;
  try {
    result = await execution.result;
  } catch (e) {
    error = e as Error;
  }
  await collect.catch(() => undefined);
  const visited = events.filter((e) => e.type === 'StateEntered').map((e) => e.state?.name);
  const failed = error
    ? events.filter((e) => e.type === 'StateFailed' && e.index === undefined && e.state).at(-1)?.state
    : undefined;
  return {
    result: result as Record<string, unknown>,
    error,
    visited,
    endState: visited.at(-1),
    ...(failed ? { failedAt: { state: failed.name, input: failed.input } } : {}),
  };
}
