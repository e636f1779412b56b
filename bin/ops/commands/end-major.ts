import type { OpsCommand } from '../command';
import { text, waiting, withWait, withYes } from '../command';
import { fields } from '../output';
import { MAJOR_WAIT_SECONDS } from './declare-major';

export const endMajorCommand: OpsCommand = {
  command: 'end-major',
  describe: 'end the active major incident: the lists it notified are told it is over, PagerDuty resolved',
  builder: (y) =>
    withWait(
      withYes(
        y
          .usage(
            '$0 end-major --env ENV --reason TEXT [--yes]\n\nEnds the active major incident: every list its declaration notified gets an SMS and an email saying it is over, and its PagerDuty alert is resolved. Recorded with your identity (STS). With none active, nothing is sent. docs/major-incidents.md',
          )
          .option('reason', {
            type: 'string',
            describe: 'why it is over (10 to 120 characters): it is texted to every stakeholder notified',
          }),
      ),
      MAJOR_WAIT_SECONDS,
      'recording and notifying take seconds',
    ).example(
      '$0 end-major --env prod --reason "Service restored in the recovery region"',
      'stand everyone down',
    ),
  run: async (ctx) => {
    const env = ctx.env();
    const { majorReason, runMajor } = await import('../major-incident.js');
    const reason = majorReason(text(ctx.args, 'reason'), 'why the major incident is over');
    const { wait, seconds } = waiting(ctx);
    await ctx.confirm(`End the active major incident in ${env}, telling everyone it notified?`);
    const aws = await ctx.aws();
    const target = await aws.target(env);
    const { arn } = await aws.identity();
    const { consoleUrl } = await import('../executions.js');
    if (wait) ctx.progress(`ending (up to ${seconds} s; --no-wait to skip) ...`);
    const result = await runMajor(
      aws.sfn(),
      target,
      { action: 'end', reason, requestedBy: arn },
      { wait, timeoutMs: seconds * 1000 },
    );
    const url = consoleUrl(target.region, result.executionArn);
    const { exitCode, ...shown } = result;
    ctx.print(
      { env, ...shown, console: url },
      `${result.summary}\n${fields({ id: result.majorId ?? '-', status: result.status, execution: result.executionArn, console: url })}`,
    );
    return exitCode;
  },
};
