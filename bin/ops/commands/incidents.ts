import { controlPlaneNames } from '../../../lib/config/naming';
import type { OpsCommand } from '../command';
import { table } from '../output';
import { EXIT } from '../errors';

export const incidentsCommand: OpsCommand = {
  command: 'incidents',
  describe: 'every incident not yet resolved, most severe first',
  builder: (y) =>
    y
      .usage(
        '$0 incidents --env ENV\n\nLists the open, acknowledged and remediating incidents of the environment, most severe first, oldest first within a severity.',
      )
      .example('$0 incidents --env prod', 'what is open in prod')
      .example('$0 incidents --env prod --output json', 'the same as JSON'),
  run: async (ctx) => {
    const env = ctx.env();
    const aws = await ctx.aws();
    const { openIncidents } = await import('../incidents.js');
    const incidents = await openIncidents(aws.dynamo(), controlPlaneNames(env).table);
    ctx.print(
      incidents,
      table(
        incidents,
        [
          'id',
          'severity',
          'status',
          'alert',
          'subject',
          'openedAt',
          'signals',
          'pagedLevels',
          'acknowledgedBy',
        ],
        `no unresolved incident in ${env}`,
      ),
    );
    return EXIT.ok;
  },
};
