#!/usr/bin/env -S npx tsx
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENVIRONMENT_NAMES } from '../lib/config/constants';
import { controlPlaneNames } from '../lib/config/naming';
import { LedgerStore } from '../lambdas/aws/ledger-store';
import { StallStore } from '../lambdas/aws/stall-store';
import { StateStore } from '../lambdas/aws/state-store';
import { ack } from './ops/ack';
import { catalog } from './ops/catalog';
import { UsageError } from './ops/errors';
import { backupCheck } from './ops/backup';
import { gpuCheck } from './ops/gpu';
import { openIncidents } from './ops/incidents';
import { declareMaintenance } from './ops/maintenance';
import { route } from './ops/route';
import { component, ledgerReport, resume, scale } from './ops/scaling';
import { simulate, SIMULATE_DEFAULT_ENV, SIMULATE_USAGE } from './ops/simulate';

const USAGE = `usage: ops <command> [--env prod|staging|dev]     (default dev; simulate: prod)
  catalog                                   print the alert catalogue as JSON
  route FILE                                what the router would do with an event file (no AWS)
  incidents                                 every incident not yet resolved, most severe first
  ack INCIDENT [--comment TEXT]             acknowledge an incident (comment required for Critical), as
                                            the identity your AWS credentials prove (no --by)
  maintenance COMPONENT --to T [--from T] --reason TEXT
                                            declare a maintenance window (ISO 8601 times, at most 24 h)
  scale COMPONENT --to N --reason TEXT      scale by hand, through the same guardrails, lock and ledger
  pause COMPONENT --reason TEXT             pause automatic scaling of a component
  resume COMPONENT                          resume it
  ledger COMPONENT [--hours H]              recent scaling decisions, time to scale and success rate
  gpu-check [--dry-run]                     check every GPU host for a stall and remediate it (a dry
                                            run only reports what it sees)
  gpu-history [--hours H]                   recent stall checks: what each saw, did and how it ended
  backup-check [--resource database|filestore]
                                            assess the backups against the RPO now (one re-run if needed)
  simulate --trace FILE.csv --time-column C [--value-column C] --component C
           [--unit-capacity R] [--from T] [--to T] [--out DIR] [--frontier]
                                            replay a trace of requests per minute against the control
                                            plane and the baselines in the twin (no AWS); R: requests
                                            per minute one instance serves at 100 % utilisation
                                            (ops simulate --help for units and defaults)`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      // No default here: `simulate` defaults to prod, every other command to dev.
      env: { type: 'string' },
      comment: { type: 'string' },
      // Refused with a reason: the acknowledger is proven by the caller's credentials, never named.
      by: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      reason: { type: 'string' },
      hours: { type: 'string', default: '24' },
      trace: { type: 'string' },
      'time-column': { type: 'string' },
      'value-column': { type: 'string' },
      component: { type: 'string' },
      'unit-capacity': { type: 'string' },
      out: { type: 'string' },
      frontier: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      resource: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, target] = positionals;
  if (values.help || !command) {
    console.log(command === 'simulate' ? SIMULATE_USAGE : USAGE);
    return command || values.help ? 0 : 2;
  }
  const envName = values.env ?? (command === 'simulate' ? SIMULATE_DEFAULT_ENV : 'dev');
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(envName)) {
    throw new UsageError(`--env: ${envName} is not one of ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  if (values.by !== undefined) {
    throw new UsageError(
      '--by: not accepted: ops ack acknowledges as the identity your AWS credentials prove (a signed sts:GetCallerIdentity); use the profile or role of the person acknowledging',
    );
  }
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

  switch (command) {
    case 'catalog':
      print(catalog(envName));
      return 0;
    case 'route':
      if (!target) throw new UsageError('route: FILE is required');
      print(route(target, envName));
      return 0;
    case 'ack': {
      if (!target) throw new UsageError('ack: INCIDENT is required');
      const result = await ack({ lambda: new LambdaClient({}) }, envName, target, values.comment);
      print(result);
      return result.status === 'acknowledged' || result.status === 'already-acknowledged' ? 0 : 1;
    }
    case 'maintenance': {
      if (!target) throw new UsageError('maintenance: COMPONENT is required');
      const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      print(
        await declareMaintenance(new StateStore(db, controlPlaneNames(envName).table), {
          component: target,
          from: values.from,
          to: values.to,
          reason: values.reason,
          by: identity.Arn ?? 'unknown',
        }),
      );
      return 0;
    }
    case 'simulate': {
      const result = await simulate({
        trace: values.trace,
        timeColumn: values['time-column'],
        valueColumn: values['value-column'],
        component: values.component,
        unitCapacity: values['unit-capacity'],
        from: values.from,
        to: values.to,
        out: values.out,
        frontier: values.frontier === true,
        envName,
      });
      console.log(
        `${result.profile.join('\n')}\n\n${result.table}\n\nsummary: ${result.summary}\nreport:  ${result.report}`,
      );
      return 0;
    }
    case 'scale': {
      const sfn = new SFNClient({});
      const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      print(
        await scale(
          sfn,
          { envName, account: identity.Account ?? '', region: await sfn.config.region() },
          {
            component: component(target),
            to: values.to,
            reason: values.reason,
            by: identity.Arn ?? 'unknown',
          },
        ),
      );
      return 0;
    }
    case 'gpu-check': {
      const sfn = new SFNClient({});
      const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      print(
        await gpuCheck(
          sfn,
          { envName, account: identity.Account ?? '', region: await sfn.config.region() },
          { dryRun: values['dry-run'] === true, by: identity.Arn ?? 'unknown' },
        ),
      );
      return 0;
    }
    case 'backup-check': {
      const sfn = new SFNClient({});
      const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      print(
        await backupCheck(
          sfn,
          { envName, account: identity.Account ?? '', region: await sfn.config.region() },
          { ...(values.resource ? { resource: values.resource } : {}), by: identity.Arn ?? 'unknown' },
        ),
      );
      return 0;
    }
    case 'incidents': {
      const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      print(await openIncidents(db, controlPlaneNames(envName).table));
      return 0;
    }
    case 'gpu-history': {
      const hours = Number(values.hours);
      if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 14)
        throw new UsageError('--hours: must be between 1 and 336 (the checks are kept 14 days)');
      const stalls = new StallStore(
        DynamoDBDocumentClient.from(new DynamoDBClient({})),
        controlPlaneNames(envName).table,
      );
      const checks = await stalls.checksSince(new Date(Date.now() - hours * 3600_000));
      print(checks.map(({ pk: _pk, sk: _sk, expiresAt: _ttl, ...check }) => check));
      return 0;
    }
    case 'pause':
    case 'resume':
    case 'ledger': {
      const id = component(target);
      const ledger = new LedgerStore(
        DynamoDBDocumentClient.from(new DynamoDBClient({})),
        controlPlaneNames(envName).table,
      );
      if (command === 'ledger') {
        print(await ledgerReport(ledger, id, Number(values.hours)));
        return 0;
      }
      if (command === 'resume') {
        const sfn = new SFNClient({});
        const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
        const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
        print(
          await resume(
            { ledger, store: new StateStore(db, controlPlaneNames(envName).table), sfn },
            { envName, account: identity.Account ?? '', region: await sfn.config.region() },
            id,
            identity.Arn ?? 'unknown',
          ),
        );
        return 0;
      }
      if (!values.reason?.trim()) throw new UsageError('--reason: say why scaling is paused');
      const identity = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      await ledger.pause(id, values.reason.trim(), identity.Arn ?? 'unknown', new Date());
      print({ component: id, paused: true, reason: values.reason.trim() });
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${command}\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`ops: ${(error as Error).message}`);
    process.exitCode = usage ? 2 : 1;
  },
);
