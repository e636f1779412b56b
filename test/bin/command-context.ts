import type { Ctx } from '../../bin/ops/command';

/**
 * A command context (bin/ops/command.ts) for running one command's `run` in a test: prod, JSON
 * output, `args` as parsed; it records how often AWS was reached, what was printed and how often
 * confirmation was asked (`confirm`: what the question does, by default go on).
 */
export function commandContext(
  args: Record<string, unknown>,
  aws: () => Promise<unknown>,
  confirm: () => Promise<void> = async () => undefined,
) {
  const printed: unknown[] = [];
  let awsCalls = 0;
  let confirmed = 0;
  const ctx: Ctx = {
    args: { env: 'prod', ...args },
    output: 'json',
    env: () => 'prod',
    aws: async () => {
      awsCalls++;
      return (await aws()) as Awaited<ReturnType<Ctx['aws']>>;
    },
    print: (json) => printed.push(json),
    progress: () => undefined,
    confirm: async () => {
      confirmed++;
      await confirm();
    },
  };
  return { ctx, printed, awsCalls: () => awsCalls, confirmed: () => confirmed };
}
