import type { OpsCommand } from '../command';
import { text } from '../command';
import { EXIT, UsageError } from '../errors';
import { fields } from '../output';

export const routeCommand: OpsCommand = {
  command: 'route <file>',
  describe:
    'what the alarm router would do with an event file: the workflow, execution name and input (no AWS)',
  missing: 'FILE: required: a JSON event file (an SNS alarm, an EventBridge event, ...)',
  builder: (y) =>
    y
      .usage(
        '$0 route FILE --env ENV\n\nDecides what the alarm router would start for the event in FILE, without starting it. Reads no AWS.',
      )
      .positional('file', { type: 'string', describe: 'a JSON event, as the router receives it' })
      .example(
        '$0 route test/fixtures/events/sns-metric-alarm.json --env prod',
        'the escalation this alarm starts',
      ),
  run: async (ctx) => {
    const env = ctx.env();
    const file = text(ctx.args, 'file');
    if (!file) throw new UsageError('FILE: required');
    const { route } = await import('../route.js');
    const decision = route(file, env);
    ctx.print(decision, fields(decision));
    return EXIT.ok;
  },
};
