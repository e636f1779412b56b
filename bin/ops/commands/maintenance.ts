import { ALERT_COMPONENTS } from '../../../lib/config/constants';
import { controlPlaneNames } from '../../../lib/config/naming';
import type { OpsCommand } from '../command';
import { flag, text, withYes } from '../command';
import { EXIT } from '../errors';
import { fields, table } from '../output';
import { MAX_WINDOW_HOURS, oneOf } from '../validate';

const declare: OpsCommand = {
  command: 'declare <component>',
  describe:
    "declare a maintenance window: the component's (and its dependents') alerts are recorded, not paged (security and backup alerts still page); scaling, remediation and backup re-runs wait",
  missing: `COMPONENT: required: one of ${ALERT_COMPONENTS.join(', ')}`,
  builder: (y) =>
    withYes(
      y
        .usage(
          `$0 maintenance declare COMPONENT --to T [--from T] --reason TEXT --env ENV [--dry-run] [--yes]\n\nDeclares a maintenance window of at most ${MAX_WINDOW_HOURS} hours. T: ISO 8601 with a zone (2026-11-23T12:00:00Z) or +90m / +2h (after --from).`,
        )
        .positional('component', {
          type: 'string',
          choices: ALERT_COMPONENTS,
          describe: 'what the maintenance is on',
        })
        .option('to', { type: 'string', describe: 'when it ends: ISO 8601 with a zone, or +90m / +2h' })
        .option('from', { type: 'string', describe: 'when it starts (default: now)' })
        .option('reason', { type: 'string', describe: 'what the maintenance is (recorded with the window)' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'print the window, store nothing' }),
    )
      .example(
        '$0 maintenance declare odoo --to +2h --reason "Odoo 18.0.3 upgrade" --env prod',
        'two hours from now',
      )
      .example(
        '$0 maintenance declare flux-gpu --from 2026-11-23T22:00:00Z --to 2026-11-23T23:30:00Z --reason "new Flux image" --env prod --yes',
        'a window tonight, without asking',
      ),
  run: async (ctx) => {
    const env = ctx.env();
    const { maintenanceWindow, declareMaintenance } = await import('../maintenance.js');
    const window = maintenanceWindow({
      component: text(ctx.args, 'component'),
      from: text(ctx.args, 'from'),
      to: text(ctx.args, 'to'),
      reason: ctx.args.reason,
    });
    const { dependentsOf } = await import('../../../lib/config/maintenance-scope.js');
    // A window on a dependency holds its dependents too (lib/config/maintenance-scope.ts).
    const alsoHolds = dependentsOf(window.component);
    const preview = {
      env,
      component: window.component,
      alsoHolds: alsoHolds.length > 0 ? alsoHolds.join(', ') : 'nothing else',
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      reason: window.reason,
    };
    if (flag(ctx.args, 'dry-run')) {
      ctx.print({ dryRun: true, ...preview }, `dry run: nothing stored\n${fields(preview)}`);
      return EXIT.ok;
    }
    await ctx.confirm(
      `Declare maintenance of ${window.component} in ${env} from ${preview.start} to ${preview.end}?${alsoHolds.length > 0 ? ` It also holds ${preview.alsoHolds}, which depend on it.` : ''} Their alerts will not page (security and backup alerts still do); their scaling, remediation and automatic backup re-runs wait.`,
    );
    const aws = await ctx.aws();
    const { StateStore } = await import('../../../lambdas/aws/state-store.js');
    const { arn } = await aws.identity();
    const stored = await declareMaintenance(new StateStore(aws.dynamo(), controlPlaneNames(env).table), {
      ...window,
      by: arn,
    });
    ctx.print(stored, `declared maintenance window ${stored.id}\n${fields(stored)}`);
    return EXIT.ok;
  },
};

const list: OpsCommand = {
  command: 'list',
  describe: 'the maintenance windows not yet ended: active and upcoming',
  builder: (y) =>
    y
      .usage(
        '$0 maintenance list --env ENV [--component C]\n\nLists the active and upcoming maintenance windows, soonest first.',
      )
      .option('component', { type: 'string', choices: ALERT_COMPONENTS, describe: 'only this component' })
      .example('$0 maintenance list --env prod', 'every active and upcoming window of prod'),
  run: async (ctx) => {
    const env = ctx.env();
    const given = text(ctx.args, 'component');
    const component = given === undefined ? undefined : oneOf('--component', given, ALERT_COMPONENTS);
    const aws = await ctx.aws();
    const { listMaintenance } = await import('../maintenance.js');
    const windows = await listMaintenance(aws.dynamo(), controlPlaneNames(env).table, new Date(), component);
    ctx.print(
      windows,
      table(
        windows,
        ['id', 'component', 'state', 'start', 'end', 'reason', 'createdBy'],
        `no active or upcoming maintenance window in ${env}`,
      ),
    );
    return EXIT.ok;
  },
};

const end: OpsCommand = {
  command: 'end <id>',
  describe: 'end a maintenance window now (its record is kept, with its planned end)',
  missing: 'ID: required: the window id (ops maintenance list shows them)',
  builder: (y) =>
    withYes(
      y
        .usage(
          '$0 maintenance end ID --env ENV [--yes]\n\nEnds a window now: its alerts page again from now on. An upcoming window is cancelled.',
        )
        .positional('id', { type: 'string', describe: 'the window id (ops maintenance list)' }),
    ).example(
      '$0 maintenance end 0b5d3c1e-8a4f-4f4e-9d55-2f1c3e6b7a90 --env prod',
      'the upgrade finished early',
    ),
  run: async (ctx) => {
    const env = ctx.env();
    const { windowId, endMaintenance } = await import('../maintenance.js');
    const id = windowId(text(ctx.args, 'id'));
    await ctx.confirm(`End maintenance window ${id} in ${env} now? Its component's alerts page again.`);
    const aws = await ctx.aws();
    const { StateStore } = await import('../../../lambdas/aws/state-store.js');
    const table = controlPlaneNames(env).table;
    const { arn } = await aws.identity();
    const ended = await endMaintenance(
      { db: aws.dynamo(), store: new StateStore(aws.dynamo(), table), table },
      id,
      arn,
    );
    if (!ended) {
      process.stderr.write(
        `ops: no active or upcoming maintenance window ${id} in ${env} (ops maintenance list)\n`,
      );
      return EXIT.failed;
    }
    ctx.print(ended, `${ended.cancelled ? 'cancelled' : 'ended'} maintenance window ${id}\n${fields(ended)}`);
    return EXIT.ok;
  },
};

export const maintenanceCommand: OpsCommand = {
  command: 'maintenance',
  describe: 'maintenance windows: declare, list, end',
  missing: 'maintenance: a subcommand is required: declare, list or end (ops maintenance --help)',
  subcommands: [declare, list, end],
  builder: (y) =>
    y
      .usage(
        '$0 maintenance <declare|list|end> --env ENV ...\n\nMaintenance windows silence the pages of one component and of the components that depend on it (postgresql holds odoo and n8n; platform holds everything).',
      )
      .example('$0 maintenance list --env prod', 'the active and upcoming windows'),
};
