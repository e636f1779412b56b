import type { Logger } from '@aws-lambda-powertools/logger';

/**
 * What the wrapper reads of the Lambda context: the part of aws-lambda's `Context` the Logger puts
 * on every line (@types/aws-lambda is not installed; Lambda passes the whole object).
 */
export interface LambdaContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
}

/** Keys every log line of one invocation carries, where its event names them. */
export interface InvocationKeys {
  /** The workflow execution the function runs for (the name in `$$.Execution.Id`). */
  readonly executionName?: string;
  readonly incidentId?: string;
}

/** What the wrapper needs of a function's deps: the Logger its handler logs with. */
interface WithLogger {
  readonly logger: Pick<Logger, 'addContext' | 'appendKeys' | 'resetKeys'>;
}

/**
 * A Lambda handler built on its first invocation (not at import, so a configuration error is that
 * invocation's error) and reused afterwards. Every line the deps' Logger writes during an
 * invocation carries the Lambda context (function_request_id, cold_start, function_name,
 * function_arn, function_memory_size) and the invocation's `keys` (by default the workflow
 * execution and incident its event names, see workflowKeys); the keys are removed when the
 * invocation ends, so none reaches the next one. On its own module so that importing it pulls no
 * client into a bundle.
 */
export function lazyHandler<D extends WithLogger, E, R>(
  deps: () => D,
  build: (deps: D) => (event: E) => Promise<R>,
  keys: (event: E) => InvocationKeys = workflowKeys,
): (event: E, context?: LambdaContext) => Promise<R> {
  let built: { readonly logger: WithLogger['logger']; readonly handle: (event: E) => Promise<R> } | undefined;
  return async (event: E, context?: LambdaContext) => {
    if (!built) {
      const d = deps();
      built = { logger: d.logger, handle: build(d) };
    }
    const { logger, handle } = built;
    // An invocation that timed out never reached its `finally`.
    logger.resetKeys();
    if (context) logger.addContext(context);
    logger.appendKeys({ ...keysOf(keys, event) });
    try {
      return await handle(event);
    } finally {
      logger.resetKeys();
    }
  };
}

/** A key extractor never fails the invocation: a malformed event is the handler's to reject. */
function keysOf<E>(keys: (event: E) => InvocationKeys, event: E): InvocationKeys {
  try {
    return keys(event);
  } catch {
    return {};
  }
}

/** The keys of an event that names them at its top level, as the workflows' tasks pass them. */
export function workflowKeys(event: unknown): InvocationKeys {
  if (typeof event !== 'object' || event === null) return {};
  const { executionId, executionName, incidentId } = event as Record<string, unknown>;
  return invocationKeys({ executionId, executionName, incidentId });
}

/** Longer than any execution ARN or incident id: a value beyond it is not one, and is not logged. */
const MAX_KEY_LENGTH = 256;

/**
 * The keys from an execution id (`$$.Execution.Id`, an execution ARN), an execution name and an
 * incident id, each where it is a string (the events are not validated yet).
 */
export function invocationKeys(from: {
  readonly executionId?: unknown;
  readonly executionName?: unknown;
  readonly incidentId?: unknown;
}): InvocationKeys {
  const text = (value: unknown) =>
    typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_LENGTH ? value : undefined;
  const id = text(from.executionId);
  const executionName = text(from.executionName) ?? (id === undefined ? undefined : executionNameOf(id));
  const incidentId = text(from.incidentId);
  return {
    ...(executionName === undefined ? {} : { executionName }),
    ...(incidentId === undefined ? {} : { incidentId }),
  };
}

/**
 * The execution's name in its ARN: arn:aws:states:<region>:<account>:execution:<machine>:<name>
 * (an Express execution's ARN, `express:<machine>:<name>:<run>`, has it at the same place). Any
 * other id is its own name.
 */
export function executionNameOf(executionId: string): string {
  const parts = executionId.split(':');
  return parts[0] === 'arn' && parts[2] === 'states' && parts[7] ? parts[7] : executionId;
}
