import { COMPONENT_IDS } from '../../../lib/config/constants';
import { RETENTION } from '../../../lib/config/escalation';
import { controlPlaneNames } from '../../../lib/config/naming';
import type { OpsCommand } from '../command';
import { DEFAULT_WAIT_SECONDS, flag, text, waiting, withWait, withYes } from '../command';
import { EXIT } from '../errors';
import { fields, table } from '../output';
import { hours, reason, scaledComponent } from '../validate';

const MISSING_COMPONENT = `COMPONENT: required: one of ${COMPONENT_IDS.join(', ')}`;

/** The ledger's entries are kept RETENTION.ledgerDays: `--hours` reaches back that far at most. */
const LEDGER_HOURS = RETENTION.ledgerDays * 24;

const componentPositional = {
  type: 'string',
  choices: COMPONENT_IDS,
  describe: 'the scaled component',
} as const;

export const scaleCommand: OpsCommand = {
  command: 'scale <component>',
  describe:
    'scale a component by hand, through the same guardrails, lock and ledger as an automatic decision',
  missing: MISSING_COMPONENT,
  builder: (y) =>
    withWait(
      withYes(
        y
          .usage(
            '$0 scale COMPONENT --to N --reason TEXT --env ENV [--dry-run] [--yes] [--no-wait]\n\nRuns the scale-decision workflow with a manual target and prints what it did: "asked for 4, scaled to 3: odoo\'s maximum scaling rate in staging (1 instance per 300 s)". N must lie within the environment\'s capacity for the component (lib/config/environments.ts).',
          )
          .positional('component', componentPositional)
          .option('to', { type: 'string', describe: 'the desired count, a whole number within the capacity' })
          .option('reason', { type: 'string', describe: 'why (recorded in the ledger with the decision)' })
          .option('dry-run', {
            type: 'boolean',
            default: false,
            describe: 'print the workflow and input it would start (before any guardrail), start nothing',
          }),
      ),
      DEFAULT_WAIT_SECONDS.scale,
      'a scale ends once the new capacity is verified: a few minutes, a GPU host up to 10',
    )
      .example(
        '$0 scale odoo --to 4 --reason "INC-20261123T1005-a1b2c3: campaign launch" --env prod',
        'four Odoo tasks',
      )
      .example(
        '$0 scale flux-gpu --to 3 --reason "backlog" --env prod --dry-run',
        'what would be asked, nothing started',
      ),
  run: async (ctx) => {
    const env = ctx.env();
    const { scaleRequest, scaleInput, scale } = await import('../scaling.js');
    const request = scaleRequest(env, {
      component: text(ctx.args, 'component'),
      to: text(ctx.args, 'to'),
      reason: ctx.args.reason,
    });
    const { wait, seconds } = waiting(ctx);
    const stateMachine = controlPlaneNames(env).scaleDecision;
    if (flag(ctx.args, 'dry-run')) {
      const preview = {
        dryRun: true,
        env,
        stateMachine,
        input: scaleInput(request, '(your AWS identity)'),
        note: 'the guardrails (cooldowns, maximum rate, database guard, ...) decide when it runs',
      };
      ctx.print(
        preview,
        `dry run: would ask ${stateMachine} for ${request.component} at ${request.to}\n${fields({
          component: request.component,
          to: request.to,
          reason: request.reason,
          note: preview.note,
        })}`,
      );
      return EXIT.ok;
    }
    await ctx.confirm(`Scale ${request.component} in ${env} to ${request.to}?`);
    const aws = await ctx.aws();
    const target = await aws.target(env);
    const { arn } = await aws.identity();
    const { executionArn } = await scale(aws.sfn(), target, { ...request, by: arn });
    if (wait) ctx.progress(`waiting for the scale (up to ${seconds} s; --no-wait to skip) ...`);
    const { follow, consoleUrl } = await import('../executions.js');
    const { scaleOutcome } = await import('../scale-outcome.js');
    const end = await follow(aws.sfn(), executionArn, { wait, timeoutMs: seconds * 1000 });
    const outcome = scaleOutcome(env, request, end, seconds);
    const url = consoleUrl(target.region, executionArn);
    const { exitCode, decision, ...shown } = outcome;
    ctx.print(
      {
        env,
        component: request.component,
        asked: request.to,
        status: end.status,
        ...shown,
        ...(decision ? { reason: decision.reason } : {}),
        executionArn,
        console: url,
      },
      `${outcome.summary}\n${fields({
        status: end.status,
        from: outcome.from,
        to: outcome.to,
        guardrails: outcome.guardrails?.length ? outcome.guardrails : undefined,
        'time to scale':
          outcome.timeToScaleSeconds !== undefined ? `${outcome.timeToScaleSeconds} s` : undefined,
        execution: executionArn,
        console: url,
      })}`,
    );
    return exitCode;
  },
};

export const pauseCommand: OpsCommand = {
  command: 'pause <component>',
  describe: 'pause automatic scaling of a component (manual scales still run)',
  missing: MISSING_COMPONENT,
  builder: (y) =>
    withYes(
      y
        .usage(
          '$0 pause COMPONENT --reason TEXT --env ENV [--yes]\n\nAutomatic decisions of the component hold until ops resume; ops scale still works.',
        )
        .positional('component', componentPositional)
        .option('reason', { type: 'string', describe: 'why (shown in every held decision)' }),
    ).example(
      '$0 pause odoo --reason "INC-20261123T1005-a1b2c3: holding at 4 by hand" --env prod',
      'hold odoo',
    ),
  run: async (ctx) => {
    const env = ctx.env();
    const id = scaledComponent(text(ctx.args, 'component'));
    const why = reason(ctx.args.reason, 'say why scaling is paused');
    await ctx.confirm(`Pause automatic scaling of ${id} in ${env}?`);
    const aws = await ctx.aws();
    const { LedgerStore } = await import('../../../lambdas/aws/ledger-store.js');
    const { arn } = await aws.identity();
    await new LedgerStore(aws.dynamo(), controlPlaneNames(env).table).pause(id, why, arn, new Date());
    const result = { env, component: id, paused: true, reason: why, by: arn };
    ctx.print(
      result,
      `paused automatic scaling of ${id} in ${env} (ops resume ${id} --env ${env} to resume)\n${fields(result)}`,
    );
    return EXIT.ok;
  },
};

export const resumeCommand: OpsCommand = {
  command: 'resume <component>',
  describe: 'resume automatic scaling of a component, resolving its runaway incident if open',
  missing: MISSING_COMPONENT,
  builder: (y) =>
    withWait(
      withYes(
        y
          .usage(
            '$0 resume COMPONENT --env ENV [--yes] [--no-wait]\n\nResumes automatic scaling; an open Scaling_Runaway_Paused incident of the component is resolved through the escalation workflow (the channels it paged hear of it), which is waited for.',
          )
          .positional('component', componentPositional),
      ),
      DEFAULT_WAIT_SECONDS.resume,
      'resolving an incident takes seconds',
    ).example('$0 resume odoo --env prod', 'automatic scaling of odoo again'),
  run: async (ctx) => {
    const env = ctx.env();
    const id = scaledComponent(text(ctx.args, 'component'));
    const { wait, seconds } = waiting(ctx);
    await ctx.confirm(`Resume automatic scaling of ${id} in ${env}?`);
    const aws = await ctx.aws();
    const target = await aws.target(env);
    const { arn } = await aws.identity();
    const [{ LedgerStore }, { StateStore }, { resume }, { follow, consoleUrl, unfinished }] =
      await Promise.all([
        import('../../../lambdas/aws/ledger-store.js'),
        import('../../../lambdas/aws/state-store.js'),
        import('../scaling.js'),
        import('../executions.js'),
      ]);
    const tableName = controlPlaneNames(env).table;
    const result = await resume(
      {
        ledger: new LedgerStore(aws.dynamo(), tableName),
        store: new StateStore(aws.dynamo(), tableName),
        sfn: aws.sfn(),
      },
      target,
      id,
      arn,
    );
    if (!result.escalation) {
      ctx.print(
        { env, ...result },
        `resumed automatic scaling of ${id} in ${env}; no runaway incident was open`,
      );
      return EXIT.ok;
    }
    const { executionArn } = result.escalation;
    if (wait)
      ctx.progress(
        `waiting for the escalation workflow to resolve Scaling_Runaway_Paused (up to ${seconds} s) ...`,
      );
    const end = await follow(aws.sfn(), executionArn, { wait, timeoutMs: seconds * 1000 });
    const url = consoleUrl(target.region, executionArn);
    const early =
      'output' in end
        ? undefined
        : unfinished(end, `still running after ${seconds} s; follow it in the console`);
    const summary = early ? `resolution ${early.summary}` : 'resolved Scaling_Runaway_Paused';
    ctx.print(
      { env, ...result, status: end.status, summary, executionArn, console: url },
      `resumed automatic scaling of ${id} in ${env}; ${summary}\n${fields({ execution: executionArn, console: url })}`,
    );
    return early?.exitCode ?? EXIT.ok;
  },
};

export const ledgerCommand: OpsCommand = {
  command: 'ledger <component>',
  describe: 'recent scaling decisions with their reasons, time to scale and success rate',
  missing: MISSING_COMPONENT,
  builder: (y) =>
    y
      .usage(
        `$0 ledger COMPONENT --env ENV [--hours H] [--inputs]\n\nThe scaling ledger of the last H hours (1 to ${LEDGER_HOURS}: it keeps ${RETENTION.ledgerDays} days). With --inputs, what each decision was decided from: its rule, the fleet (desired/running/pending), each metric's latest datapoint (present/read), the flags the guardrails read and the environment's profile.`,
      )
      .positional('component', componentPositional)
      .option('hours', { type: 'string', default: '24', describe: `how far back, 1 to ${LEDGER_HOURS}` })
      .option('inputs', {
        type: 'boolean',
        default: false,
        describe: "also print each decision's recorded inputs (rule, fleet, metrics, guardrail flags)",
      })
      .example('$0 ledger odoo --env prod --hours 3', "odoo's decisions of the last three hours")
      .example(
        '$0 ledger odoo --env prod --inputs --output json',
        'with the metric series each was decided from',
      ),
  run: async (ctx) => {
    const env = ctx.env();
    const id = scaledComponent(text(ctx.args, 'component'));
    const h = hours(text(ctx.args, 'hours'), RETENTION.ledgerDays, 'the ledger keeps');
    const withInputs = flag(ctx.args, 'inputs');
    const { ledgerReport, ledgerInputRow, LEDGER_INPUT_COLUMNS } = await import('../scaling.js');
    const aws = await ctx.aws();
    const { LedgerStore } = await import('../../../lambdas/aws/ledger-store.js');
    const report = await ledgerReport(
      new LedgerStore(aws.dynamo(), controlPlaneNames(env).table),
      id,
      h,
      new Date(),
      { inputs: withInputs },
    );
    const inputs =
      withInputs && report.entries.length > 0
        ? `\n\ninputs:\n${table(report.entries.map(ledgerInputRow), LEDGER_INPUT_COLUMNS)}`
        : '';
    ctx.print(
      report,
      `${id} in ${env} since ${report.since}\n${fields(report.figures)}\n\n${table(
        report.entries,
        ['at', 'trigger', 'action', 'from', 'to', 'outcome', 'timeToScaleSeconds', 'reason'],
        'no decision in that time',
      )}${inputs}`,
    );
    return EXIT.ok;
  },
};
