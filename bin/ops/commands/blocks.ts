import { controlPlaneNames } from '../../../lib/config/naming';
import type { OpsCommand } from '../command';
import { text } from '../command';
import { EXIT } from '../errors';
import { fields, table } from '../output';
import { blockedAddress } from '../unblock-input';

/** `ops blocks [IP]`: what the brute-force response has blocked at the edge, and why. Reads only. */
export const blocksCommand: OpsCommand = {
  command: 'blocks [ip]',
  describe: "the edge blocks in force (the WAF block list), or one address's block history",
  builder: (y) =>
    y
      .usage(
        "$0 blocks [IP] --env ENV\n\nWithout IP: every address in the control plane's WAF block list, with who blocked it, why and until when (an expired or ended block stays listed until the next sweep, within 5 minutes, removes it; an address with no record was added by hand in the console). With IP: whether the list holds it now, its block and its ledger (blocked, expired, unblocked, refused, failed), oldest first. Changes nothing: `ops unblock IP` ends a block.",
      )
      .positional('ip', { type: 'string', describe: 'one address (IPv4 or IPv6): its history' })
      .example('$0 blocks --env prod', 'what is blocked now, soonest to end first')
      .example('$0 blocks 203.0.113.7 --env prod --output json', "one address's blocks, for a script"),
  run: async (ctx) => {
    const env = ctx.env();
    const given = text(ctx.args, 'ip');
    const ip = given === undefined ? undefined : blockedAddress(given);
    // Loaded only now: `ops --help` and a refused input never load the edge-block code.
    const { blockHistory, listBlocks } = await import('../blocks.js');
    const aws = await ctx.aws();
    const clients = { waf: aws.waf(), db: aws.dynamo(), table: controlPlaneNames(env).table };
    const now = new Date();
    if (ip === undefined) {
      const report = await listBlocks(clients, env, now);
      const unrecorded = report.unrecorded.length
        ? `\n\nin the list with no record (added by hand; the sweep leaves them): ${report.unrecorded.join(', ')}`
        : '';
      ctx.print(
        report,
        `${report.blocks.length} blocked in ${env} (${report.set})\n${table(
          report.blocks,
          ['ip', 'state', 'until', 'blockedAt', 'by', 'reason'],
          '(no block in force)',
        )}${unrecorded}`,
      );
      return EXIT.ok;
    }
    const history = await blockHistory(clients, env, ip, now);
    ctx.print(
      history,
      [
        fields({
          ip,
          env,
          'in block list': history.inBlockList ? 'yes' : 'no',
          state: history.current?.state ?? 'never blocked',
          until: history.current?.until,
          reason: history.current?.reason,
        }),
        '',
        table(history.ledger, ['at', 'event', 'by', 'reason', 'until'], '(no ledger entry)'),
      ].join('\n'),
    );
    return EXIT.ok;
  },
};
