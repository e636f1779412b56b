import type { OpsCommand } from '../command';
import { DEFAULT_WAIT_SECONDS, text, withWait, withYes } from '../command';

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
      DEFAULT_WAIT_SECONDS.major,
      'recording and notifying take seconds',
    ).example(
      '$0 end-major --env prod --reason "Service restored in the recovery region"',
      'stand everyone down',
    ),
  run: async (ctx) => {
    const env = ctx.env();
    const { majorReason, runMajorCommand } = await import('../major-incident.js');
    const reason = majorReason(text(ctx.args, 'reason'), 'why the major incident is over');
    return runMajorCommand(
      ctx,
      env,
      `End the active major incident in ${env}, telling everyone it notified?`,
      (requestedBy) => ({ action: 'end', reason, requestedBy }),
    );
  },
};
