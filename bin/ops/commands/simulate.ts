import type { Argv } from 'yargs';
import { COMPONENT_IDS } from '../../../lib/config/constants';
import type { OpsCommand } from '../command';
import { flag, text } from '../command';
import { environment } from '../validate';
import { EXIT } from '../errors';

export const simulateCommand: OpsCommand = {
  command: 'simulate',
  describe:
    'replay a trace of requests per minute against the control plane and the baselines in the twin (no AWS)',
  builder: async (y: Argv) => {
    const { SIMULATE_HELP: h } = await import('../simulate.js');
    const targets = h.frontierTargets;
    return y
      .usage(
        `$0 simulate --trace FILE.csv --time-column C [--value-column C] --component C [--unit-capacity R] [--from T] [--to T] [--out DIR] [--frontier] [--env ENV]

Replays a trace of requests per minute against the control plane and the baselines (target tracking, step scaling with the seed rules, the HPA) in the offline twin; writes summary.json and report.html to out/sim/<trace name>/ or DIR. Reads no AWS. --env is the profile (capacities, whether scaling is automatic): prod by default; dev pins every component and does not scale.`,
      )
      .describe(
        'env',
        'the environment profile: capacities and whether scaling is automatic (default prod; dev pins every component and does not scale)',
      )
      .option('trace', {
        type: 'string',
        describe:
          'any CSV: with --value-column each row is a count for its interval, without it each row is one request',
      })
      .option('time-column', {
        type: 'string',
        describe: 'the column holding the time (ISO 8601 or epoch seconds/milliseconds)',
      })
      .option('value-column', { type: 'string', describe: 'the column holding the count per row' })
      .option('component', {
        type: 'string',
        choices: COMPONENT_IDS,
        describe: 'the component the trace loads',
      })
      .option('unit-capacity', {
        type: 'string',
        describe: `R requests per minute one instance (an Odoo task, an n8n worker, a GPU) serves at 100 % utilisation; the same meaning for every component. Defaults: odoo none (required: measure it); n8n ${h.n8nDefault} (a worker runs ${h.n8nConcurrency} jobs at once, ${h.n8nJobSeconds} s each); flux-gpu ${h.gpuDefault} (the config's jobs per GPU per minute, a request being one generation job): a trace of jobs per minute is taken as it is`,
      })
      .option('from', { type: 'string', describe: 'keep the rows with time >= T (ISO 8601)' })
      .option('to', { type: 'string', describe: 'keep the rows with time < T (ISO 8601)' })
      .option('out', { type: 'string', describe: 'where to write summary.json and report.html' })
      .option('frontier', {
        type: 'boolean',
        default: false,
        describe: `also run target tracking and the HPA at targets ${targets[0]}, ${targets[1]}, ..., ${targets[targets.length - 1]} % and the perfect-foresight oracle (slower)`,
      })
      .example(
        '$0 simulate --trace requests.csv --time-column time --value-column requests --component n8n',
        'an n8n trace of requests per minute, prod profile',
      );
  },
  run: async (ctx) => {
    const { simulate, SIMULATE_DEFAULT_ENV } = await import('../simulate.js');
    const envName = environment(ctx.args.env ?? SIMULATE_DEFAULT_ENV, 'simulate');
    const result = await simulate({
      trace: text(ctx.args, 'trace'),
      timeColumn: text(ctx.args, 'time-column'),
      valueColumn: text(ctx.args, 'value-column'),
      component: text(ctx.args, 'component'),
      unitCapacity: text(ctx.args, 'unit-capacity'),
      from: text(ctx.args, 'from'),
      to: text(ctx.args, 'to'),
      out: text(ctx.args, 'out'),
      frontier: flag(ctx.args, 'frontier'),
      envName,
    });
    // A report for people, wherever stdout goes (summary.json is the machine-readable result):
    // JSON only when asked for.
    const report = `${result.profile.join('\n')}\n\n${result.table}\n\nsummary: ${result.summary}\nreport:  ${result.report}`;
    const json = { profile: result.profile, summary: result.summary, report: result.report };
    process.stdout.write(`${ctx.args.output === 'json' ? JSON.stringify(json, null, 2) : report}\n`);
    return EXIT.ok;
  },
};
