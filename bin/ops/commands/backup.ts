import { BACKUP_RESOURCE_IDS } from '../../../lib/config/constants';
import type { OpsCommand } from '../command';
import { DEFAULT_WAIT_SECONDS, text, waiting, withWait, withYes } from '../command';
import { fields } from '../output';
import { oneOf } from '../validate';

export const backupCheckCommand: OpsCommand = {
  command: 'backup-check',
  describe:
    'assess the backups against their objectives now (one automatic re-run of a failed or stale backup)',
  builder: (y) =>
    withWait(
      withYes(
        y
          .usage(
            '$0 backup-check --env ENV [--resource R] [--yes] [--no-wait]\n\nRuns the backup-verification workflow by hand: the same rule as the hourly check, so a failed or stale backup is re-run once (it needs confirming) and escalated Critical if it still fails.',
          )
          .option('resource', {
            type: 'string',
            choices: BACKUP_RESOURCE_IDS,
            describe: 'only this resource (default: every one)',
          }),
      ),
      DEFAULT_WAIT_SECONDS.backupCheck,
      'an assessment takes seconds; a re-run of a backup can take hours',
    ).example('$0 backup-check --env prod --resource database', 'is the live database backed up now?'),
  run: async (ctx) => {
    const env = ctx.env();
    const given = text(ctx.args, 'resource');
    const resource = given === undefined ? undefined : oneOf('--resource', given, BACKUP_RESOURCE_IDS);
    const { wait, seconds } = waiting(ctx);
    await ctx.confirm(
      `Assess the backups of ${resource ?? 'every resource'} in ${env} now (a failed or stale backup is re-run once)?`,
    );
    const aws = await ctx.aws();
    const target = await aws.target(env);
    const { arn } = await aws.identity();
    const { backupCheck } = await import('../backup.js');
    const { consoleUrl } = await import('../executions.js');
    if (wait)
      ctx.progress(
        `waiting for the backup-verification workflow (up to ${seconds} s; --no-wait to skip) ...`,
      );
    const result = await backupCheck(aws.sfn(), target, {
      ...(resource ? { resource } : {}),
      by: arn,
      wait,
      timeoutMs: seconds * 1000,
    });
    const url = consoleUrl(target.region, result.executionArn);
    const { exitCode, ...shown } = result;
    ctx.print(
      { env, ...shown, console: url },
      `${result.summary}\n${fields({ status: result.status, execution: result.executionArn, console: url })}`,
    );
    return exitCode;
  },
};
