import type { Argv } from 'yargs';
import type { EnvironmentName } from '../../lib/config/constants';
import type { Aws } from './aws';
import type { OutputFormat } from './output';
import { MAX_WAIT_SECONDS, waitSeconds } from './validate';

/** The parsed arguments of one command, read through the helpers below (yargs gives them untyped). */
export type Args = Readonly<Record<string, unknown>>;

/** What a command's `run` works with: its arguments, where to print, AWS (on first use) and confirmation. */
export interface Ctx {
  readonly args: Args;
  readonly output: OutputFormat;
  /** `--env`, checked: a usage error when missing (every command but `simulate` needs one). */
  env(): EnvironmentName;
  /** The AWS clients with `--region` and `--profile`; nothing is constructed before the first call. */
  aws(): Promise<Aws>;
  /** The result: `json` as JSON with `--output json`, `text` (a table, lines in words) otherwise. */
  print(json: unknown, text: string): void;
  /** A note on stderr while something takes time, on a terminal only. */
  progress(line: string): void;
  /**
   * Goes on only if the operator confirms (`--yes`, or `y` on a terminal): otherwise a usage error
   * naming `--yes` (no terminal) or a NotConfirmed (the operator said no; exit code 1).
   */
  confirm(question: string): Promise<void>;
}

/** One `ops` command: yargs' command module, with its run returning the exit code. */
export interface OpsCommand {
  /** yargs' command string: the name and positionals (`scale <component>`). */
  readonly command: string;
  readonly describe: string;
  /** Its options, usage and examples (`.example()`: at least one); async to load what its help states. */
  readonly builder: (y: Argv) => Argv | Promise<Argv>;
  readonly run?: (ctx: Ctx) => Promise<number>;
  readonly subcommands?: readonly OpsCommand[];
  /** The one-line usage error when a required positional (or a subcommand) is missing. */
  readonly missing?: string;
}

export function text(args: Args, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  return String(value);
}

export function flag(args: Args, key: string): boolean {
  return args[key] === true;
}

/** `--yes` (`-y`): the confirmation of a command that changes the fleet, pages or silences pages. */
export function withYes(y: Argv): Argv {
  return y.option('yes', {
    alias: 'y',
    type: 'boolean',
    default: false,
    describe: 'go ahead without asking (required when stdin or stderr is not a terminal)',
  });
}

/**
 * How long a command waits by default for the workflow it starts (`--wait-seconds`), and why.
 * Still running then is exit code 4 with the console link, not a failure.
 */
export const DEFAULT_WAIT_SECONDS = {
  /**
   * A scale ends once the new capacity is verified: a Fargate task runs in about a minute, a GPU
   * host usually serves in 5-8 minutes. (The Plan function gives a GPU scale up to 6 checks 120 s
   * apart, lambdas/scale-plan: a slow host can outlast this wait; exit 4, follow the link.)
   */
  scale: 600,
  /**
   * A dry run reads the fleet once: seconds. A real run that remediates restarts a task, then
   * replaces a host, waiting after each (gpuStall.restartWaitSeconds and replaceWaitSeconds): far
   * longer than an operator should be kept waiting by default; --wait-seconds follows it.
   */
  gpuCheck: 120,
  /**
   * An assessment takes seconds; a re-run of a backup is polled for hours (backup.rerunPoll), longer
   * than any wait here: it is followed at the console link.
   */
  backupCheck: 120,
  /** Resolving a runaway incident through the escalation workflow takes seconds. */
  resume: 60,
  /** Recording a major incident's declaration or end and notifying every list take seconds. */
  major: 60,
} as const;

/** `--wait` / `--no-wait` and `--wait-seconds` of a command that starts a workflow. */
export function withWait(y: Argv, defaultSeconds: number, note: string): Argv {
  return y
    .option('wait', {
      type: 'boolean',
      default: true,
      describe: `wait for the workflow to end and print its outcome (--no-wait: return once it has started)`,
    })
    .option('wait-seconds', {
      type: 'string',
      default: String(defaultSeconds),
      describe: `how long to wait, 1 to ${MAX_WAIT_SECONDS} (${note}); still running then: exit code 4`,
    });
}

/** How a command waits: `--no-wait`, `--wait-seconds` (checked before anything reaches AWS). */
export function waiting(ctx: Ctx): { wait: boolean; seconds: number } {
  return { wait: ctx.args.wait !== false, seconds: waitSeconds(text(ctx.args, 'wait-seconds')) };
}
