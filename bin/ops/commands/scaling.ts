import { COMPONENT_IDS, type ComponentId } from '../../../lib/config/constants';
import { controlPlaneNames } from '../../../lib/config/naming';
import type { Ctx, OpsCommand } from '../command';
import { flag, text, withWait, withYes } from '../command';
import { fields, table } from '../output';
import { hours, reason, scaledComponent, waitSeconds } from '../validate';

const MISSING_COMPONENT = `COMPONENT: required: one of ${COMPONENT_IDS.join(', ')}`;

const componentPositional = {
  type: 'string',
  choices: COMPONENT_IDS,
  describe: 'the scaled component',
} as const;

/** How a command waits: `--no-wait`, `--wait-seconds` (checked before anything reaches AWS). */
function waiting(ctx: Ctx): { wait: boolean; seconds: number } {
  return { wait: ctx.args.wait !== false, seconds: waitSeconds(text(ctx.args, 'wait-seconds')) };
}

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
      600,
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
      return 0;
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
    return 0;
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
      60,
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
    const [{ LedgerStore }, { StateStore }, { resume }, { follow, consoleUrl }] = await Promise.all([
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
      return 0;
    }
    const { executionArn } = result.escalation;
    if (wait)
      ctx.progress(
        `waiting for the escalation workflow to resolve Scaling_Runaway_Paused (up to ${seconds} s) ...`,
      );
    const end = await follow(aws.sfn(), executionArn, { wait, timeoutMs: seconds * 1000 });
    const url = consoleUrl(target.region, executionArn);
    const [summary, code] =
      'started' in end
        ? ['resolution started, not waited for (--no-wait)', 0]
        : 'stillRunning' in end
          ? [`resolution still running after ${seconds} s; follow it in the console`, 4]
          : 'error' in end
            ? [`resolution ${end.status.toLowerCase()}: ${end.error}`, 1]
            : ['resolved Scaling_Runaway_Paused', 0];
    ctx.print(
      { env, ...result, status: end.status, summary, executionArn, console: url },
      `resumed automatic scaling of ${id} in ${env}; ${summary}\n${fields({ execution: executionArn, console: url })}`,
    );
    return code;
  },
};

export const ledgerCommand: OpsCommand = {
  command: 'ledger <component>',
  describe: 'recent scaling decisions with their reasons, time to scale and success rate',
  missing: MISSING_COMPONENT,
  builder: (y) =>
    y
      .usage(
        '$0 ledger COMPONENT --env ENV [--hours H]\n\nThe scaling ledger of the last H hours (1 to 2160: it keeps 90 days).',
      )
      .positional('component', componentPositional)
      .option('hours', { type: 'string', default: '24', describe: 'how far back, 1 to 2160' })
      .example('$0 ledger odoo --env prod --hours 3', "odoo's decisions of the last three hours"),
  run: async (ctx) => {
    const env = ctx.env();
    const id: ComponentId = scaledComponent(text(ctx.args, 'component'));
    const { ledgerReport, LEDGER_MAX_HOURS } = await import('../scaling.js');
    const h = hours(text(ctx.args, 'hours'), LEDGER_MAX_HOURS, 'the ledger keeps 90 days');
    const aws = await ctx.aws();
    const { LedgerStore } = await import('../../../lambdas/aws/ledger-store.js');
    const report = await ledgerReport(new LedgerStore(aws.dynamo(), controlPlaneNames(env).table), id, h);
    ctx.print(
      report,
      `${id} in ${env} since ${report.since}\n${fields(report.figures)}\n\n${table(
        report.entries,
        ['at', 'trigger', 'action', 'from', 'to', 'outcome', 'timeToScaleSeconds', 'reason'],
        'no decision in that time',
      )}`,
    );
    return 0;
  },
};
