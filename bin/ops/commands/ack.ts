import type { OpsCommand } from '../command';
import { text, withYes } from '../command';
import { EXIT, UsageError } from '../errors';
import { fields } from '../output';

export const ackCommand: OpsCommand = {
  command: 'ack <incident>',
  describe: 'acknowledge an incident (stops its escalation), as the identity your AWS credentials prove',
  missing: 'INCIDENT: required: the incident id, such as INC-20261123T1005-a1b2c3 (ops incidents lists them)',
  builder: (y) =>
    withYes(
      y
        .usage(
          '$0 ack INCIDENT --env ENV [--comment TEXT] [--yes]\n\nAcknowledges through the incident-ack function, which verifies who you are from a request signed with your own credentials (there is no --by). Critical and security incidents need a --comment.',
        )
        .positional('incident', { type: 'string', describe: 'the incident id (ops incidents lists them)' })
        .option('comment', {
          type: 'string',
          describe: 'what you see and do (required for Critical and security incidents)',
        })
        .option('by', { type: 'string', hidden: true }),
    ).example(
      '$0 ack INC-20261123T1005-a1b2c3 --env prod --comment "on it: checking the DB"',
      'acknowledge with a comment',
    ),
  run: async (ctx) => {
    if (ctx.args.by !== undefined)
      throw new UsageError(
        '--by: not accepted: ops ack acknowledges as the identity your AWS credentials prove (a signed sts:GetCallerIdentity); use the profile or role of the person acknowledging',
      );
    const env = ctx.env();
    const { ackRequest, ack, ackSucceeded } = await import('../ack.js');
    const request = ackRequest({ incident: text(ctx.args, 'incident'), comment: text(ctx.args, 'comment') });
    await ctx.confirm(`Acknowledge ${request.incidentId} in ${env}? Its escalation stops.`);
    const aws = await ctx.aws();
    const result = await ack({ lambda: aws.lambda() }, env, request.incidentId, request.comment);
    const ok = ackSucceeded(result);
    ctx.print(result, `${ok ? 'acknowledged' : 'not acknowledged'}\n${fields(result)}`);
    return ok ? EXIT.ok : EXIT.failed;
  },
};
