import { RETENTION } from '../../../lib/config/escalation';
import { controlPlaneNames } from '../../../lib/config/naming';
import type { OpsCommand } from '../command';
import { DEFAULT_WAIT_SECONDS, flag, text, waiting, withWait, withYes } from '../command';
import { EXIT } from '../errors';
import { fields, table } from '../output';
import { hours } from '../validate';

/** The stall checks are kept RETENTION.stallCheckDays: `--hours` reaches back that far at most. */
const HISTORY_HOURS = RETENTION.stallCheckDays * 24;

export const gpuCheckCommand: OpsCommand = {
  command: 'gpu-check',
  describe: 'check every GPU host for a stall and remediate it (--dry-run: report only)',
  builder: (y) =>
    withWait(
      withYes(
        y
          .usage(
            '$0 gpu-check --env ENV [--dry-run] [--yes] [--no-wait]\n\nRuns the stalled-GPU workflow by hand. A real run restarts the Flux task of a stalled host, then replaces the host, rechecking each (up to half an hour), and pages Critical if that fails: it needs confirming. A dry run only reports what it sees (no confirmation).',
          )
          .option('dry-run', {
            type: 'boolean',
            default: false,
            describe: 'confirm host by host and report; change nothing',
          }),
      ),
      DEFAULT_WAIT_SECONDS.gpuCheck,
      'a dry run takes seconds; a real run that remediates up to half an hour',
    )
      .example('$0 gpu-check --env prod --dry-run', 'what each GPU host looks like now')
      .example(
        '$0 gpu-check --env prod --yes --wait-seconds 2400',
        'check and remediate, following it to the end',
      ),
  run: async (ctx) => {
    const env = ctx.env();
    const dryRun = flag(ctx.args, 'dry-run');
    const { wait, seconds } = waiting(ctx);
    if (!dryRun)
      await ctx.confirm(
        `Check every GPU host in ${env} and remediate a stall (restart tasks, replace hosts)?`,
      );
    const aws = await ctx.aws();
    const target = await aws.target(env);
    const { arn } = await aws.identity();
    const { gpuCheck } = await import('../gpu.js');
    const { consoleUrl } = await import('../executions.js');
    if (wait)
      ctx.progress(`waiting for the stalled-GPU workflow (up to ${seconds} s; --no-wait to skip) ...`);
    const result = await gpuCheck(aws.sfn(), target, { dryRun, by: arn, wait, timeoutMs: seconds * 1000 });
    const url = consoleUrl(target.region, result.executionArn);
    const { exitCode, ...shown } = result;
    ctx.print(
      { env, ...shown, console: url },
      [
        result.summary,
        ...(result.report ? [result.report.summary] : []),
        fields({
          status: result.status,
          incident: result.incidentId,
          execution: result.executionArn,
          console: url,
        }),
      ].join('\n'),
    );
    return exitCode;
  },
};

export const gpuHistoryCommand: OpsCommand = {
  command: 'gpu-history',
  describe: 'recent stall checks: what each saw, did and how it ended',
  builder: (y) =>
    y
      .usage(
        `$0 gpu-history --env ENV [--hours H]\n\nThe stall checks of the last H hours (1 to ${HISTORY_HOURS}: they are kept ${RETENTION.stallCheckDays} days).`,
      )
      .option('hours', { type: 'string', default: '24', describe: `how far back, 1 to ${HISTORY_HOURS}` })
      .example('$0 gpu-history --env prod --hours 6', 'the checks of the last six hours'),
  run: async (ctx) => {
    const env = ctx.env();
    const h = hours(text(ctx.args, 'hours'), RETENTION.stallCheckDays, 'the checks are kept');
    const aws = await ctx.aws();
    const { StallStore } = await import('../../../lambdas/aws/stall-store.js');
    const stalls = new StallStore(aws.dynamo(), controlPlaneNames(env).table);
    const checks = (await stalls.checksSince(new Date(Date.now() - h * 3600_000))).map(
      ({ pk: _pk, sk: _sk, expiresAt: _ttl, ...check }) => check,
    );
    ctx.print(
      checks,
      table(
        checks,
        ['checkedAt', 'trigger', 'outcome', 'incidentId', 'summary'],
        `no stall check in the last ${h} h`,
      ),
    );
    return EXIT.ok;
  },
};
