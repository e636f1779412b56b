import * as readline from 'node:readline/promises';
import { UsageError } from './errors';

/** The terminal a confirmation is asked on: stdin to read the answer, stderr to ask. */
export interface ConfirmIo {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * A command that changes the fleet, pages or suppresses pages goes ahead only when the operator
 * said so: `--yes`, or `y` to the question on a terminal (stdin and stderr both terminals). With
 * neither, it is a usage error naming `--yes`: a script must say what it means, nothing is asked
 * of a pipe. Returns false when the operator answered anything but yes.
 */
export async function confirm(
  question: string,
  options: { readonly yes: boolean; readonly command: string },
  io: ConfirmIo = { stdin: process.stdin, stderr: process.stderr },
): Promise<boolean> {
  if (options.yes) return true;
  if (!io.stdin.isTTY || !io.stderr.isTTY)
    throw new UsageError(
      `--yes: ops ${options.command} needs confirming and there is no terminal to ask on; pass --yes to go ahead`,
    );
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
