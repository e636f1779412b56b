import type { OpsCommand } from '../command';
import { table } from '../output';
import { EXIT } from '../errors';

export const catalogCommand: OpsCommand = {
  command: 'catalog',
  describe:
    "the alert catalogue: each alarm's name in the environment, kind, component, severity and runbook (no AWS)",
  builder: (y) =>
    y
      .usage(
        '$0 catalog --env ENV\n\nPrints the alert catalogue with the alarm names of the environment. Reads no AWS.',
      )
      .example('$0 catalog --env prod', 'every alert of prod, as a table on a terminal')
      .example('$0 catalog --env staging --output json', 'the same as JSON, for scripts'),
  run: async (ctx) => {
    const env = ctx.env();
    const { catalog } = await import('../catalog.js');
    const entries = catalog(env);
    ctx.print(entries, table(entries, ['alarmName', 'kind', 'component', 'severity', 'runbook']));
    return EXIT.ok;
  },
};
