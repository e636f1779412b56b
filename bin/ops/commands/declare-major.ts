import type { OpsCommand } from '../command';
import { DEFAULT_WAIT_SECONDS, flag, text, withWait, withYes } from '../command';

export const declareMajorCommand: OpsCommand = {
  command: 'declare-major',
  describe:
    'declare a major incident: SMS and email to every stakeholder list, PagerDuty at high urgency (phone calls)',
  builder: (y) =>
    withWait(
      withYes(
        y
          .usage(
            '$0 declare-major --env ENV --reason TEXT [--broad] [--yes]\n\nFor the Incident Commander (seed 004 Emergency Notifications, e.g. a DRP activation): notifies CrisisManagementTeam and ExecutiveLeadership by SMS and email, AllEmployees too with --broad, and pages PagerDuty at high urgency. Recorded with your identity (STS). A second declaration while one is active notifies nobody. docs/major-incidents.md',
          )
          .option('reason', {
            type: 'string',
            describe: 'why (10 to 120 characters): it is texted to every stakeholder',
          })
          .option('broad', {
            type: 'boolean',
            default: false,
            describe: 'broad impact: AllEmployees are notified as well',
          }),
      ),
      DEFAULT_WAIT_SECONDS.major,
      'recording and notifying take seconds',
    ).example(
      '$0 declare-major --env prod --reason "DRP activated: eu-west-1 database lost" --broad',
      'declare, telling everyone',
    ),
  run: async (ctx) => {
    const env = ctx.env();
    const { majorReason, runMajorCommand } = await import('../major-incident.js');
    const reason = majorReason(text(ctx.args, 'reason'), 'why this is a major incident');
    const broadImpact = flag(ctx.args, 'broad');
    return runMajorCommand(
      ctx,
      env,
      `Declare a MAJOR INCIDENT in ${env}? This texts and emails CrisisManagementTeam, ExecutiveLeadership${broadImpact ? ' and AllEmployees' : ''} and pages PagerDuty.`,
      (requestedBy) => ({ action: 'declare', reason, requestedBy, broadImpact }),
    );
  },
};
