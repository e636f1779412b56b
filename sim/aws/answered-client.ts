/** The part of a v3 client's middleware stack this uses (its real type is generic per client). */
interface InitializeStack {
  add(
    middleware: (
      next: unknown,
      context: { commandName?: string },
    ) => (args: { input: unknown }) => Promise<{ output: unknown; response: unknown }>,
    options: { step: 'initialize'; name: string },
  ): void;
}

export type CommandAnswers = Readonly<Record<string, (input: never) => unknown>>;

/**
 * Answers a real SDK v3 client's commands from the twin, at the SDK boundary: the handler code
 * builds and sends real commands (and sees real error names); the first middleware step answers
 * them instead of the network. A command the twin does not model fails loudly, naming it.
 * Errors thrown by an answer reach the caller as the SDK would deliver a service error.
 */
export function answeredBy<C extends { readonly middlewareStack: object }>(
  client: C,
  answers: CommandAnswers,
): C {
  (client.middlewareStack as InitializeStack).add(
    (_next, context) => async (args) => {
      const name = context.commandName ?? 'unknown command';
      const answer = answers[name];
      if (!answer) throw new Error(`the twin does not model ${name}`);
      const output = {
        $metadata: { httpStatusCode: 200 },
        ...((await answer(args.input as never)) as object),
      };
      return { output, response: {} };
    },
    { step: 'initialize', name: 'twinAnswers' },
  );
  return client;
}

/** An error shaped as the SDK delivers a service exception (its `name` is the AWS error code). */
export function serviceError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}
