import { controlPlaneNames } from '../../../lib/config/naming';
import type { OpsCommand } from '../command';
import { text, withYes } from '../command';
import { EXIT } from '../errors';
import { fields } from '../output';
import { blockedAddress } from '../unblock-input';
import { reason } from '../validate';

/** `ops unblock IP`: end an edge block (the brute-force response) before it expires. */
export const unblockCommand: OpsCommand = {
  command: 'unblock <ip>',
  describe: 'end an edge block early: remove the address from the WAF block list, recording who and why',
  missing: 'IP: required: the blocked address (203.0.113.7 or 2001:db8::7)',
  builder: (y) =>
    withYes(
      y
        .usage(
          "$0 unblock IP --reason TEXT --env ENV [--yes]\n\nRemoves the address from the control plane's WAF block list now and records who ended the block and why. The detector leaves the address alone for its window (15 minutes), so the attempts it already counted do not block it again.",
        )
        .positional('ip', { type: 'string', describe: 'the blocked address (IPv4 or IPv6)' })
        .option('reason', { type: 'string', describe: 'why the block ends early (recorded in the ledger)' }),
    ).example(
      '$0 unblock 203.0.113.7 --reason "our own pen test, ticket SEC-142" --env prod',
      'end the block of one address',
    ),
  run: async (ctx) => {
    const env = ctx.env();
    const ip = blockedAddress(text(ctx.args, 'ip'));
    const why = reason(ctx.args.reason, 'say why the block ends early');
    await ctx.confirm(`Remove ${ip} from the ${env} WAF block list now? Its requests reach Odoo again.`);
    // Loaded only now: `ops --help` and a refused input never load the edge-block code.
    const { unblockAddressNow } = await import('../unblock.js');
    const aws = await ctx.aws();
    const { arn } = await aws.identity();
    const outcome = await unblockAddressNow(
      { waf: aws.waf(), db: aws.dynamo(), table: controlPlaneNames(env).table },
      { env, ip, reason: why, by: arn, at: new Date() },
    );
    const result = {
      env,
      ip,
      removedFromSet: outcome.removedFromSet,
      wasBlockedUntil: outcome.previous?.until ?? 'not blocked',
      heldUntil: outcome.holdUntil,
      reason: why,
      by: arn,
    };
    ctx.print(
      result,
      `${outcome.removedFromSet ? `unblocked ${ip}` : `${ip} was not in the block list; the end is recorded`} in ${env}\n${fields(result)}`,
    );
    return EXIT.ok;
  },
};
