import * as fs from 'node:fs';
import * as path from 'node:path';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { ENVIRONMENT_NAMES } from '../../lib/config/constants';
import { COMMANDS } from './commands';
import type { Ctx, OpsCommand } from './command';
import { EXIT, NotConfirmed, UsageError } from './errors';
import { OUTPUT_FORMATS, outputFormat } from './output';
import { environment } from './validate';
import type { Aws } from './aws';
import { isAwsAccessError } from './aws-errors';

const GLOBAL_OPTIONS = ['env', 'profile', 'region', 'output', 'help', 'version'];

/** Positionals are named in capitals in messages (`COMPONENT: kafka is not one of ...`). */
const POSITIONALS = new Set(['component', 'incident', 'file', 'id']);

const EXIT_CODES = `Exit codes:
  0  done
  1  the operation failed or was refused: a workflow execution FAILED, TIMED_OUT or ABORTED; a scale
     held by a guardrail; an acknowledgement refused; a check that found a problem it could not
     repair; a confirmation answered no
  2  usage: a bad or missing argument or --yes (nothing was sent to AWS)
  3  AWS unreachable or not authorised: no or expired credentials, no region, access denied, network
  4  a workflow was started and still running when the wait ended: follow it at the console link`;

const EPILOGUE = `--env is required by every command except simulate (prod by default) and completion.
Commands that change the fleet, page or silence pages ask for confirmation on a terminal; pass
--yes anywhere else. --output defaults to table on a terminal and json otherwise.

${EXIT_CODES}

docs/cli.md has the full reference.`;

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What yargs 17 has and its types do not declare: the options and groups defined so far. */
interface Introspection {
  getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]> };
  getGroups(): Record<string, string[]>;
}
const introspect = (y: Argv) => y as unknown as Introspection;

interface RunState {
  /** The command whose builder ran last: the one being parsed, named in usage errors. */
  current?: { readonly name: string; readonly command: OpsCommand };
  exitCode: number;
  aws?: Aws;
}

/** yargs' validation messages, made one line that names the argument the way the operator typed it. */
function usageLine(message: string, argv: readonly string[], state: RunState): string {
  const lines = message.split('\n').map((l) => l.trim());
  const first = lines[0] ?? '';
  const name = state.current?.name;
  const typed = (n: string) => argv.some((a) => a === `--${n}` || a.startsWith(`--${n}=`) || a === `-${n}`);
  // A positional is named in capitals (`COMPONENT`), an option as typed (`--component`).
  const label = (key: string) => (POSITIONALS.has(key) && !typed(key) ? key.toUpperCase() : `--${key}`);
  const unquote = (s: string) => s.replace(/^"|"$/g, '');

  const unknown = /^Unknown arguments?: (.+)$/.exec(first);
  if (unknown) {
    const names = (unknown[1] ?? '').split(', ');
    const options = names.filter(typed);
    const dashed = options.map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
    if (options.length > 0)
      return `unknown option${options.length > 1 ? 's' : ''} ${dashed.join(', ')} (ops ${name ? `${name} ` : ''}--help lists the options)`;
    return name
      ? `unexpected argument ${names.join(' ')} (ops ${name} --help)`
      : `unknown command ${names.join(' ')} (ops --help lists the commands)`;
  }

  if (first === 'Invalid values:') {
    return lines
      .slice(1)
      .map((line) => {
        const m = /^Argument: (\S+), Given: (.+), Choices: (.+)$/.exec(line);
        if (!m) return line;
        const choices = (m[3] ?? '').split(', ').map(unquote).join(', ');
        return `${label(m[1] ?? '')}: ${unquote(m[2] ?? '')} is not one of ${choices}`;
      })
      .join('; ');
  }

  if (/^Not enough non-option arguments/.test(first))
    return state.current?.command.missing ?? 'a command is required (ops --help lists the commands)';
  if (/^Too many non-option arguments/.test(first))
    return `too many arguments (ops ${name ? `${name} ` : ''}--help)`;
  return lines.join(' ');
}

function context(args: Record<string, unknown>, name: string, state: RunState): Ctx {
  const output = outputFormat(args.output, process.stdout.isTTY);
  return {
    args,
    output,
    env: () => environment(args.env, name),
    aws: async () => {
      if (state.aws) return state.aws;
      const { Aws } = await import('./aws.js');
      state.aws = new Aws({
        ...(args.region !== undefined ? { region: String(args.region) } : {}),
        ...(args.profile !== undefined ? { profile: String(args.profile) } : {}),
      });
      return state.aws;
    },
    print: (json, text) => {
      process.stdout.write(`${output === 'json' ? JSON.stringify(json, null, 2) : text}\n`);
    },
    progress: (line) => {
      if (process.stderr.isTTY) process.stderr.write(`${line}\n`);
    },
    confirm: async (question) => {
      const { confirm } = await import('./confirm.js');
      if (!(await confirm(question, { yes: args.yes === true, command: name }))) throw new NotConfirmed();
    },
  };
}

function register(y: Argv, command: OpsCommand, state: RunState, parents: readonly string[]): Argv {
  const name = [...parents, command.command.split(' ')[0] ?? ''].join(' ');
  const module: CommandModule = {
    command: command.command,
    describe: command.describe,
    builder: (inner: Argv) => {
      state.current = { name, command };
      const before = new Set(Object.keys(introspect(inner).getOptions().key));
      const finish = (built: Argv): Argv => {
        if (command.subcommands) {
          for (const sub of command.subcommands) register(built, sub, state, [...parents, name]);
          return built.demandCommand(1, command.missing ?? `ops ${name}: a subcommand is required`);
        }
        // The command's own options first, then the global ones, each under its heading.
        const options = introspect(built).getOptions();
        const aliases = new Set(Object.values(options.alias).flat());
        const grouped = new Set(Object.values(introspect(built).getGroups()).flat()); // positionals
        const own = Object.keys(options.key).filter(
          (k) => !before.has(k) && !grouped.has(k) && !aliases.has(k),
        );
        return built.group(own, 'Options:').group(GLOBAL_OPTIONS, 'Global options:');
      };
      const built = command.builder(inner);
      return built instanceof Promise ? built.then(finish) : finish(built);
    },
    handler: async (args: Record<string, unknown>) => {
      for (const key of ['region', 'profile'])
        if (args[key] !== undefined && String(args[key]).trim() === '')
          throw new UsageError(`--${key}: must not be empty`);
      if (command.run) state.exitCode = await command.run(context(args, name, state));
    },
  } as CommandModule;
  return y.command(module);
}

/** The `ops` parser: global options, one module per command, strict, completion, version. */
function parser(argv: readonly string[], state: RunState): Argv {
  let y: Argv = yargs([...argv])
    .scriptName('ops')
    .locale('en')
    .parserConfiguration({
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'duplicate-arguments-array': false,
    })
    .usage('$0 <command> [options]\n\nOperate the InfluenceGen control plane of one environment.')
    .option('env', {
      type: 'string',
      choices: ENVIRONMENT_NAMES,
      global: true,
      describe: 'the environment to act on (required: ops never guesses it)',
    })
    .option('profile', {
      type: 'string',
      global: true,
      describe: 'the AWS profile (default: the SDK chain: AWS_PROFILE, environment, SSO, ...)',
    })
    .option('region', {
      type: 'string',
      global: true,
      describe: "the AWS region (default: AWS_REGION or the profile's region)",
    })
    .option('output', {
      type: 'string',
      choices: OUTPUT_FORMATS,
      global: true,
      describe: 'table (default on a terminal) or json (default otherwise)',
    })
    .alias('h', 'help');
  for (const command of COMMANDS) y = register(y, command, state, []);
  return y
    .completion('completion', 'print the bash completion script (zsh: SHELL=/bin/zsh ops completion)')
    .demandCommand(1, 'a command is required (ops --help lists the commands)')
    .strict()
    .version(version())
    .epilogue(EPILOGUE)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message: string | null | undefined, error: Error | undefined) => {
      // A command's own error passes through; yargs' own validation becomes one usage line.
      if (error && error.name !== 'YError') throw error;
      throw new UsageError(usageLine(message ?? error?.message ?? 'usage error', argv, state));
    });
}

/** Runs `ops` with `argv` (without the node and script): the exit code; messages already printed. */
export async function runOps(argv: readonly string[]): Promise<number> {
  const state: RunState = { exitCode: EXIT.ok };
  try {
    await parser(argv, state).parseAsync();
    return state.exitCode;
  } catch (error) {
    return report(error);
  } finally {
    state.aws?.destroy();
  }
}

function report(error: unknown): number {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  if (error instanceof UsageError) {
    process.stderr.write(`ops: ${oneLine(error.message)}\n`);
    return EXIT.usage;
  }
  if (error instanceof NotConfirmed) {
    process.stderr.write(`ops: ${error.message}\n`);
    return EXIT.failed;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  if (isAwsAccessError(e)) {
    process.stderr.write(
      `ops: AWS unreachable or not authorised: ${e.name === 'Error' ? '' : `${e.name}: `}${oneLine(e.message)} (check your credentials, --profile, --region and network)\n`,
    );
    return EXIT.aws;
  }
  process.stderr.write(`ops: ${e.name === 'Error' ? '' : `${e.name}: `}${oneLine(e.message)}\n`);
  return EXIT.failed;
}
