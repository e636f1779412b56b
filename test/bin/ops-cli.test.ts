import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALERT_CATALOGUE } from '../../lib/config/alerts';
import { ACCOUNT, awsEnv, CALLER_ARN, jsonError, queryError, startFakeAws, type Handler } from './fake-aws';
import { EMPTY_HOME, inParallel, opsAsync, type OpsRun } from './run-ops';
import { manualScaleOutput } from './scale-execution';

/**
 * `ops` run as the operator runs it: a separate process (tsx), AWS a fake on a loopback port that
 * records every request. Every bad argument is refused before anything reaches it.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'events');

/** Runs `ops` against a fresh fake AWS: its exit, output and every request it received. */
async function against(args: readonly string[], handlers: Record<string, Handler> = {}) {
  const fake = await startFakeAws(handlers);
  try {
    const run = await opsAsync(args, { env: fake.env(EMPTY_HOME) });
    return { ...run, requests: fake.requests };
  } finally {
    await fake.close();
  }
}

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

describe('ops --help', () => {
  const commands = [
    'incidents',
    'ack',
    'maintenance',
    'maintenance declare',
    'maintenance list',
    'maintenance end',
    'scale',
    'pause',
    'resume',
    'ledger',
    'gpu-check',
    'gpu-history',
    'backup-check',
    'catalog',
    'route',
    'simulate',
  ];

  test('the top-level help lists every command, the global options and the exit codes', async () => {
    const { status, stdout } = await opsAsync(['--help']);
    expect(status).toBe(0);
    for (const command of commands.filter((c) => !c.includes(' ')))
      expect(stdout).toMatch(new RegExp(`^  ops ${command}\\b`, 'm'));
    expect(stdout).toMatch(/^ {2}ops completion\b/m);
    for (const option of ['--env', '--profile', '--region', '--output', '--version'])
      expect(stdout).toContain(option);
    expect(stdout).toMatch(/Exit codes:\n {2}0 {2}done\n {2}1 {2}the operation failed/);
    expect(stdout).toMatch(/^ {2}3 {2}AWS unreachable or not authorised/m);
    expect(stdout).toMatch(/^ {2}4 {2}a workflow was started and still running/m);
  });

  test('each command prints its own usage: its options and an example', async () => {
    const runs = await inParallel(commands, (c) => opsAsync([...c.split(' '), '--help']));
    const own: Record<string, string[]> = {
      incidents: [],
      ack: ['--comment', '--yes'],
      maintenance: ['declare', 'list', 'end'],
      'maintenance declare': ['--to', '--from', '--reason', '--dry-run', '--yes'],
      'maintenance list': ['--component'],
      'maintenance end': ['--yes'],
      scale: ['--to', '--reason', '--dry-run', '--yes', '--wait', '--wait-seconds'],
      pause: ['--reason', '--yes'],
      resume: ['--yes', '--wait', '--wait-seconds'],
      ledger: ['--hours'],
      'gpu-check': ['--dry-run', '--yes', '--wait', '--wait-seconds'],
      'gpu-history': ['--hours'],
      'backup-check': ['--resource', '--yes', '--wait', '--wait-seconds'],
      catalog: [],
      route: [],
      simulate: [
        '--trace',
        '--time-column',
        '--value-column',
        '--component',
        '--unit-capacity',
        '--frontier',
      ],
    };
    commands.forEach((command, i) => {
      const { status, stdout, stderr } = runs[i] as OpsRun;
      expect({ command, status, stderr }).toEqual({ command, status: 0, stderr: '' });
      expect(stdout.split('\n')[0]).toMatch(new RegExp(`^ops ${command}\\b`));
      expect(stdout).toMatch(new RegExp(`Examples:\\n {2}ops ${command}\\b`));
      for (const option of own[command] ?? []) expect(`${command}: ${stdout}`).toContain(option);
    });
    // One command's help is its own: scale's is not gpu-check's.
    expect(runs[commands.indexOf('scale')]?.stdout).not.toContain('--resource');
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    await expect(opsAsync(['--version'])).resolves.toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  test('ops completion prints the bash script, and zsh with SHELL=zsh', async () => {
    const [bash, zsh] = await Promise.all([
      opsAsync(['completion'], { env: { SHELL: '/bin/bash' } }),
      opsAsync(['completion'], { env: { SHELL: '/bin/zsh' } }),
    ]);
    expect(bash.status).toBe(0);
    expect(bash.stdout).toContain('complete -o bashdefault -o default -F _ops_yargs_completions ops');
    expect(zsh.status).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef ops/);
    const suggestions = await opsAsync(['--get-yargs-completions', 'ops', 'scale', '--env', '']);
    expect(lines(suggestions.stdout)).toEqual(['prod', 'staging', 'dev']);
  });
});

describe('usage errors: exit 2, one stderr line naming the argument, nothing sent to AWS', () => {
  const TIME = '2026-11-23T12:00:00Z';
  const cases: Array<[string[], RegExp]> = [
    [
      ['catalog', '--reason', 'x', '--dry-run', '--env', 'prod'],
      /^ops: unknown options --reason, --dry-run /,
    ],
    [
      ['scale', 'odoo', '--to', 'four', '--reason', 'campaign', '--env', 'prod', '--yes'],
      /^ops: --to: four is not a whole number$/,
    ],
    [
      ['scale', 'odoo', '--to', '11', '--reason', 'campaign', '--env', 'prod', '--yes'],
      /^ops: --to: 11 is above odoo's maximum of 10 in prod$/,
    ],
    [
      ['scale', 'odoo', '--to', '1', '--reason', 'campaign', '--env', 'prod', '--yes'],
      /^ops: --to: 1 is below odoo's minimum of 2/,
    ],
    [['scale', 'odoo', '--to', '4', '--env', 'prod', '--yes'], /^ops: --reason: required/],
    [
      ['scale', 'kafka', '--to', '4', '--reason', 'campaign', '--env', 'prod', '--yes'],
      /^ops: COMPONENT: kafka is not one of odoo, n8n, flux-gpu$/,
    ],
    [['scale', '--env', 'prod'], /^ops: COMPONENT: required/],
    [
      ['scale', 'odoo', '--to', '4', '--reason', 'campaign', '--yes'],
      /^ops: --env: required for ops scale: one of prod, staging, dev/,
    ],
    [
      ['scale', 'odoo', '--to', '4', '--reason', 'campaign', '--env', 'qa', '--yes'],
      /^ops: --env: qa is not one of prod, staging, dev$/,
    ],
    [
      ['scale', 'odoo', '--to', '4', '--reason', 'campaign', '--env', 'prod', '--wait-seconds', '0', '--yes'],
      /^ops: --wait-seconds: 0 /,
    ],
    [['incidents'], /^ops: --env: required for ops incidents/],
    [
      [
        'maintenance',
        'declare',
        'odoo',
        '--to',
        'yesterday',
        '--reason',
        'upgrade',
        '--env',
        'prod',
        '--yes',
      ],
      /^ops: --to: yesterday is not a date and time/,
    ],
    [
      [
        'maintenance',
        'declare',
        'odoo',
        '--to',
        '2020-01-01T00:00:00Z',
        '--reason',
        'upgrade',
        '--env',
        'prod',
        '--yes',
      ],
      /^ops: --to: 2020-01-01T00:00:00Z is in the past/,
    ],
    [
      ['maintenance', 'declare', 'odoo', '--to', '+25h', '--reason', 'upgrade', '--env', 'prod', '--yes'],
      /^ops: --to: a maintenance window lasts at most 24 hours$/,
    ],
    [['maintenance', 'declare', 'odoo', '--to', '+2h', '--env', 'prod', '--yes'], /^ops: --reason: required/],
    [
      ['maintenance', 'declare', 'kafka', '--to', TIME, '--reason', 'upgrade', '--env', 'prod'],
      /^ops: COMPONENT: kafka is not one of odoo, n8n, flux-gpu, postgresql/,
    ],
    [
      ['maintenance', 'end', 'not-an-id', '--env', 'prod', '--yes'],
      /^ops: ID: not-an-id is not a maintenance window id/,
    ],
    [['maintenance', '--env', 'prod'], /^ops: maintenance: a subcommand is required: declare, list or end/],
    [['ledger', 'odoo', '--hours', '0', '--env', 'prod'], /^ops: --hours: 0 is not from 1 to 2160/],
    [['gpu-history', '--hours', '9999', '--env', 'prod'], /^ops: --hours: 9999 is not from 1 to 336/],
    [
      ['backup-check', '--resource', 'x', '--env', 'prod', '--yes'],
      /^ops: --resource: x is not one of database, filestore, images$/,
    ],
    [['ack', '--env', 'prod', '--yes'], /^ops: INCIDENT: required/],
    [['ack', 'INC-1', '--env', 'prod', '--yes'], /^ops: INCIDENT: INC-1 is not an incident id/],
    [
      ['ack', 'INC-20261123T1005-abcdef', '--by', 'arn:aws:iam::1:user/alice', '--env', 'prod', '--yes'],
      /^ops: --by: not accepted: ops ack acknowledges as the identity your AWS credentials prove/,
    ],
    [['pause', 'odoo', '--env', 'prod', '--yes'], /^ops: --reason: required/],
    [['gpu-check', '--env', 'prod', '--output', 'yaml'], /^ops: --output: yaml is not one of table, json$/],
    [['incidents', '--env', 'prod', '--region', ''], /^ops: --region: must not be empty$/],
    [['scael', '--env', 'prod'], /^ops: unknown command scael /],
    [[], /^ops: a command is required/],
  ];

  test(`${cases.length} bad invocations`, async () => {
    const runs = await inParallel(cases, ([args]) => against(args));
    cases.forEach(([args, message], i) => {
      const { status, stdout, stderr, requests } = runs[i] as Awaited<ReturnType<typeof against>>;
      const seen = { args: args.join(' '), status, stdout, stderr: lines(stderr), requests: requests.length };
      expect(seen).toEqual({
        args: args.join(' '),
        status: 2,
        stdout: '',
        stderr: [expect.stringMatching(message)],
        requests: 0,
      });
    });
  });
});

describe('confirmation: --yes, or y on a terminal', () => {
  const destructive: string[][] = [
    ['scale', 'odoo', '--to', '4', '--reason', 'campaign', '--env', 'prod'],
    ['pause', 'odoo', '--reason', 'load test', '--env', 'prod'],
    ['resume', 'odoo', '--env', 'prod'],
    ['gpu-check', '--env', 'prod'],
    ['backup-check', '--env', 'prod'],
    ['ack', 'INC-20261123T1005-abcdef', '--env', 'prod'],
    ['maintenance', 'declare', 'odoo', '--to', '+2h', '--reason', 'upgrade', '--env', 'prod'],
    ['maintenance', 'end', '0b5d3c1e-8a4f-4f4e-9d55-2f1c3e6b7a90', '--env', 'prod'],
  ];

  test('without --yes and without a terminal, every command that changes, pages or silences exits 2 naming --yes, nothing sent', async () => {
    const runs = await inParallel(destructive, (args) => against(args));
    destructive.forEach((args, i) => {
      const { status, stderr, requests } = runs[i] as Awaited<ReturnType<typeof against>>;
      expect({ args: args.join(' '), status, stderr: lines(stderr), requests: requests.length }).toEqual({
        args: args.join(' '),
        status: 2,
        stderr: [
          expect.stringMatching(/^ops: --yes: ops [a-z -]+ needs confirming and there is no terminal/),
        ],
        requests: 0,
      });
    });
  });

  test('--dry-run previews without confirming or touching AWS', async () => {
    const [scale, declare] = await Promise.all([
      against([
        'scale',
        'odoo',
        '--to',
        '4',
        '--reason',
        'campaign',
        '--env',
        'prod',
        '--dry-run',
        '--output',
        'json',
      ]),
      against([
        'maintenance',
        'declare',
        'odoo',
        '--to',
        '+2h',
        '--reason',
        'upgrade',
        '--env',
        'prod',
        '--dry-run',
      ]),
    ]);
    expect(scale).toMatchObject({ status: 0, stderr: '', requests: [] });
    expect(JSON.parse(scale.stdout)).toMatchObject({
      dryRun: true,
      stateMachine: 'influencegen-prod-scale-decision',
      input: { component: 'odoo', to: 4, reason: 'campaign' },
    });
    expect(declare).toMatchObject({ status: 0, stderr: '', requests: [] });
    expect(JSON.parse(declare.stdout)).toMatchObject({ dryRun: true, component: 'odoo', reason: 'upgrade' });
  });
});

/** A describe answer that ends the execution with `status`. */
const ends =
  (status: string, extra: Record<string, unknown> = {}): Handler =>
  () => ({ body: { status, ...extra } });

describe('workflows: waited for, the outcome in words, a failed execution is exit 1', () => {
  test('a FAILED execution exits 1: gpu-check --dry-run, backup-check and scale', async () => {
    const failed = ends('FAILED', {
      error: 'StallCheckFailed',
      cause: 'AccessDeniedException on ecs:ListTasks',
    });
    const [gpu, backup, scale] = await Promise.all([
      against(['gpu-check', '--dry-run', '--env', 'prod'], { DescribeExecution: failed }),
      against(['backup-check', '--env', 'prod', '--yes'], {
        DescribeExecution: ends('FAILED', {
          error: 'BackupCheckFailed',
          cause: 'backup:ListRecoveryPointsByResource throttled',
        }),
      }),
      against(['scale', 'odoo', '--to', '4', '--reason', 'campaign', '--env', 'prod', '--yes'], {
        DescribeExecution: ends('FAILED', {
          error: 'ScalingEventFailed',
          cause: 'scaling odoo 2 -> 4 failed: tasks not starting',
        }),
      }),
    ]);
    expect(gpu.status).toBe(1);
    expect(JSON.parse(gpu.stdout)).toMatchObject({
      status: 'FAILED',
      error: 'StallCheckFailed: AccessDeniedException on ecs:ListTasks',
    });
    expect(gpu.requests.map((r) => r.action)).toEqual([
      'GetCallerIdentity',
      'StartExecution',
      'DescribeExecution',
    ]);
    expect(gpu.requests[1]?.json).toMatchObject({
      stateMachineArn: `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:influencegen-prod-stalled-gpu`,
      input: JSON.stringify({ dryRun: true, requestedBy: CALLER_ARN }),
    });
    expect(backup.status).toBe(1);
    expect(JSON.parse(backup.stdout)).toMatchObject({
      status: 'FAILED',
      summary: expect.stringMatching(/^failed: BackupCheckFailed/),
    });
    expect(scale.status).toBe(1);
    expect(JSON.parse(scale.stdout)).toMatchObject({
      result: 'failed',
      summary: 'asked for 4: failed: ScalingEventFailed: scaling odoo 2 -> 4 failed: tasks not starting',
    });
  });

  test('scale prints what happened in words, with the console link: table and json', async () => {
    // staging keeps seed 002's rate cap on Odoo (1 instance per 300 s): asked for 4 from 2, scaled to 3.
    const { output, decision } = manualScaleOutput({
      envName: 'staging',
      component: 'odoo',
      desired: 2,
      to: 4,
      reason: 'campaign',
    });
    expect(decision).toMatchObject({
      action: 'scale',
      from: 2,
      to: 3,
      proposed: 4,
      guardrails: ['max-rate'],
    });
    const succeeded: Handler = (_r, i) => ({
      body: i === 0 ? { status: 'RUNNING' } : { status: 'SUCCEEDED', output },
    });
    const args = ['scale', 'odoo', '--to', '4', '--reason', 'campaign launch', '--env', 'staging', '--yes'];
    const [table, json] = await Promise.all([
      against([...args, '--output', 'table'], { DescribeExecution: succeeded }),
      against([...args, '--output', 'json'], { DescribeExecution: succeeded }),
    ]);
    expect(table.stderr).toBe('');
    expect(table.status).toBe(0);
    const shown = lines(table.stdout);
    expect(shown[0]).toBe(
      "asked for 4, scaled to 3: odoo's maximum scaling rate in staging (1 instance per 300 s)",
    );
    expect(table.stdout).toMatch(/^time to scale: +75 s$/m);
    const start = table.requests.find((r) => r.action === 'StartExecution');
    expect(start?.json?.stateMachineArn).toBe(
      `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:influencegen-staging-scale-decision`,
    );
    expect(JSON.parse(String(start?.json?.input))).toEqual({
      component: 'odoo',
      to: 4,
      reason: 'campaign launch',
      requestedBy: CALLER_ARN,
    });
    const executionArn = String(
      table.requests.find((r) => r.action === 'DescribeExecution')?.json?.executionArn,
    );
    expect(shown).toContain(
      `console:        https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${executionArn}`,
    );
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      env: 'staging',
      component: 'odoo',
      asked: 4,
      status: 'SUCCEEDED',
      result: 'scaled',
      from: 2,
      to: 3,
      guardrails: ['max-rate'],
      timeToScaleSeconds: 75,
      summary: "asked for 4, scaled to 3: odoo's maximum scaling rate in staging (1 instance per 300 s)",
      executionArn: expect.stringMatching(/:execution:influencegen-staging-scale-decision:manual-odoo-\d+$/),
      console: expect.stringMatching(
        /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/states\/home\?region=eu-west-1#\/v2\/executions\/details\/arn:aws:states:/,
      ),
    });
  });

  test('still running when the wait ends: exit 4, said so; --no-wait returns once started', async () => {
    const [running, started] = await Promise.all([
      against(['gpu-check', '--dry-run', '--env', 'prod', '--wait-seconds', '1'], {
        DescribeExecution: ends('RUNNING'),
      }),
      against(['backup-check', '--env', 'prod', '--yes', '--no-wait']),
    ]);
    expect(running.status).toBe(4);
    expect(JSON.parse(running.stdout)).toMatchObject({
      status: 'RUNNING',
      summary: expect.stringMatching(/^still running/),
    });
    expect(started.status).toBe(0);
    expect(started.requests.map((r) => r.action)).toEqual(['GetCallerIdentity', 'StartExecution']);
  });
});

describe('ops ack (Lambda)', () => {
  test("acknowledged: exit 0; refused by the function: exit 1, the function's reason shown", async () => {
    const ID = 'INC-20261123T1005-abcdef';
    const invoke =
      (body: unknown): Handler =>
      () => ({ body });
    const [acknowledged, refused] = await Promise.all([
      against(['ack', ID, '--comment', 'on it', '--env', 'prod', '--yes', '--output', 'json'], {
        Invoke: invoke({ status: 'acknowledged', incidentId: ID, by: CALLER_ARN, stoppedEscalation: true }),
      }),
      against(['ack', ID, '--env', 'prod', '--yes', '--output', 'table'], {
        Invoke: invoke({ status: 'rejected', incidentId: ID, reason: 'a Critical incident needs a comment' }),
      }),
    ]);
    expect(acknowledged.status).toBe(0);
    expect(JSON.parse(acknowledged.stdout)).toMatchObject({ status: 'acknowledged', by: CALLER_ARN });
    expect(acknowledged.requests.map((r) => r.path)).toEqual([
      '/2015-03-31/functions/influencegen-prod-incident-ack/invocations',
    ]);
    expect(acknowledged.requests[0]?.json).toMatchObject({
      incidentId: ID,
      comment: 'on it',
      proof: { url: 'https://sts.eu-west-1.amazonaws.com/' },
    });
    expect(refused.status).toBe(1);
    expect(lines(refused.stdout)).toEqual([
      'not acknowledged',
      'status:      rejected',
      `incidentId:  ${ID}`,
      'reason:      a Critical incident needs a comment',
    ]);
  });
});

describe('output: table on a terminal, json otherwise, --output to choose', () => {
  test('catalog', async () => {
    const [json, table] = await Promise.all([
      opsAsync(['catalog', '--env', 'prod']),
      opsAsync(['catalog', '--env', 'prod', '--output', 'table']),
    ]);
    expect(json.status).toBe(0);
    const entries = JSON.parse(json.stdout) as Array<Record<string, string>>;
    expect(entries).toHaveLength(ALERT_CATALOGUE.length);
    expect(entries).toContainEqual({
      alarmName: 'influencegen-prod-AI_Service_Stalled',
      kind: 'stall',
      component: 'flux-gpu',
      severity: 'Critical',
      runbook: 'runbooks/ai_service_stalled.md',
    });
    expect(table.status).toBe(0);
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^alarmName +kind +component +severity +runbook$/);
    expect(rows).toHaveLength(ALERT_CATALOGUE.length + 1);
    const stalled = rows.find((r) => r.startsWith('influencegen-prod-AI_Service_Stalled '));
    expect(stalled?.split(/ {2,}/)).toEqual([
      'influencegen-prod-AI_Service_Stalled',
      'stall',
      'flux-gpu',
      'Critical',
      'runbooks/ai_service_stalled.md',
    ]);
    // Aligned: every column starts at the same offset on every row.
    const offset = (row: string) => row.indexOf(' kind') + 1;
    expect(rows.every((r) => r.slice(0, offset(rows[0] ?? '')).endsWith(' '))).toBe(true);
  });

  test('incidents, read page by page (paginateScan), most severe first', async () => {
    const item = (id: string, severity: string, openedAt: string) => ({
      pk: { S: `INCIDENT#${id}` },
      sk: { S: 'INCIDENT' },
      id: { S: id },
      alertName: { S: `Alert_${id}` },
      severity: { S: severity },
      status: { S: 'open' },
      subject: { S: 'odoo' },
      openedAt: { S: openedAt },
      count: { N: '2' },
      pages: { L: [] },
    });
    const scan: Handler = (_r, i) => ({
      body:
        i === 0
          ? {
              Items: [item('INC-20261123T0900-aaaaaa', 'Medium', '2026-11-23T09:00:00Z')],
              Count: 1,
              ScannedCount: 1,
              LastEvaluatedKey: { pk: { S: 'x' }, sk: { S: 'y' } },
            }
          : {
              Items: [item('INC-20261123T0930-bbbbbb', 'Critical', '2026-11-23T09:30:00Z')],
              Count: 1,
              ScannedCount: 1,
            },
    });
    const [json, table] = await Promise.all([
      against(['incidents', '--env', 'prod', '--output', 'json'], { Scan: scan }),
      against(['incidents', '--env', 'prod', '--output', 'table'], { Scan: scan }),
    ]);
    expect(json.status).toBe(0);
    expect(json.requests.map((r) => r.action)).toEqual(['Scan', 'Scan']);
    expect(json.requests[0]?.json).toMatchObject({ TableName: 'influencegen-prod-control-plane' });
    expect(json.requests[1]?.json).toMatchObject({ ExclusiveStartKey: { pk: { S: 'x' }, sk: { S: 'y' } } });
    expect((JSON.parse(json.stdout) as Array<{ id: string }>).map((i) => i.id)).toEqual([
      'INC-20261123T0930-bbbbbb',
      'INC-20261123T0900-aaaaaa',
    ]);
    expect(table.status).toBe(0);
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(
      /^id +severity +status +alert +subject +openedAt +signals +pagedLevels +acknowledgedBy$/,
    );
    expect(rows[1]?.split(/ {2,}/)).toEqual([
      'INC-20261123T0930-bbbbbb',
      'Critical',
      'open',
      'Alert_INC-20261123T0930-bbbbbb',
      'odoo',
      '2026-11-23T09:30:00Z',
      '2',
      '0',
      '-',
    ]);
  });
});

describe('exit 3: AWS unreachable or not authorised', () => {
  test('an expired token, an unrecognised client, access denied, a closed port, no region', async () => {
    const [expired, unrecognised, denied, closed, noRegion] = await Promise.all([
      against(['gpu-check', '--dry-run', '--env', 'prod'], {
        GetCallerIdentity: () =>
          queryError(403, 'ExpiredToken', 'The security token included in the request is expired'),
      }),
      against(['incidents', '--env', 'prod'], {
        Scan: () =>
          jsonError(
            400,
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          ),
      }),
      against(['backup-check', '--env', 'prod', '--yes'], {
        StartExecution: () =>
          jsonError(
            400,
            'AccessDeniedException',
            'User: alice is not authorized to perform: states:StartExecution',
          ),
      }),
      // Port 9 (discard) on loopback: nothing listens, the connection is refused.
      opsAsync(['scale', 'odoo', '--to', '4', '--reason', 'campaign', '--env', 'prod', '--yes'], {
        env: awsEnv('http://127.0.0.1:9', EMPTY_HOME),
      }),
      opsAsync(['incidents', '--env', 'prod'], {
        env: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' },
      }),
    ]);
    for (const [run, cause] of [
      [expired, /ExpiredToken: The security token included in the request is expired/],
      [unrecognised, /UnrecognizedClientException/],
      [denied, /AccessDeniedException: User: alice is not authorized/],
      [closed, /ECONNREFUSED/],
      [noRegion, /Region is missing/],
    ] as const) {
      expect(run.status).toBe(3);
      expect(lines(run.stderr)).toEqual([expect.stringMatching(/^ops: AWS unreachable or not authorised: /)]);
      expect(run.stderr).toMatch(cause);
    }
    expect(expired.requests.map((r) => r.action)).toEqual(['GetCallerIdentity']);
  });
});

describe('--profile and --region reach every client', () => {
  test("the profile's key signs every request, for the region given, which names the state machine", async () => {
    // A home with one profile and nothing else: no key in the environment, no region.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-profile-'));
    fs.mkdirSync(path.join(home, '.aws'));
    fs.writeFileSync(
      path.join(home, '.aws', 'credentials'),
      '[oncall]\naws_access_key_id = AKIDONCALL\naws_secret_access_key = oncall-secret\n',
    );
    const fake = await startFakeAws();
    try {
      const run = await opsAsync(
        [
          'gpu-check',
          '--dry-run',
          '--env',
          'prod',
          '--no-wait',
          '--profile',
          'oncall',
          '--region',
          'us-east-1',
        ],
        { env: { AWS_ENDPOINT_URL: fake.url, HOME: home } },
      );
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expect(fake.requests.map((r) => r.action)).toEqual(['GetCallerIdentity', 'StartExecution']);
      for (const r of fake.requests)
        expect(r.authorization).toMatch(/Credential=AKIDONCALL\/\d{8}\/us-east-1\/(sts|states)\//);
      expect(fake.requests[1]?.json?.stateMachineArn).toBe(
        `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:influencegen-prod-stalled-gpu`,
      );
      // A profile that does not exist is the operator's credentials missing: exit 3, nothing sent.
      const before = fake.requests.length;
      const missing = await opsAsync(
        ['incidents', '--env', 'prod', '--profile', 'nobody', '--region', 'us-east-1'],
        {
          env: { AWS_ENDPOINT_URL: fake.url, HOME: home },
        },
      );
      expect(missing.status).toBe(3);
      expect(missing.stderr).toMatch(/^ops: AWS unreachable or not authorised: CredentialsProviderError: /);
      expect(fake.requests.length).toBe(before);
    } finally {
      await fake.close();
    }
  });
});

describe("the SDK's Node version warning never reaches the operator", () => {
  test('with Node reporting v20, a command that constructs clients prints no NodeVersionSupportWarning', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-node20-'));
    const fake20 = path.join(dir, 'node20.mjs');
    fs.writeFileSync(fake20, "Object.defineProperty(process, 'version', { value: 'v20.19.0' });\n");
    // The fake works: a bare client under it warns.
    const control = spawnSync(
      process.execPath,
      ['-e', "const { STSClient } = require('@aws-sdk/client-sts'); new STSClient({ region: 'eu-west-1' });"],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: `--import=${fake20}` },
        encoding: 'utf8',
      },
    );
    expect(control.status).toBe(0);
    expect(control.stderr).toContain('NodeVersionSupportWarning');
    const fake = await startFakeAws({
      DescribeExecution: ends('SUCCEEDED', {
        output: JSON.stringify({
          status: 'healthy',
          checkedAt: 'x',
          summary: 'all hosts healthy',
          stalled: [],
          instances: [],
          queue: {},
        }),
      }),
    });
    try {
      const run = await opsAsync(['gpu-check', '--dry-run', '--env', 'prod'], {
        env: { ...fake.env(EMPTY_HOME), NODE_OPTIONS: `--import=${fake20}` },
      });
      expect(run.status).toBe(0);
      expect(fake.requests.map((r) => r.action)).toEqual([
        'GetCallerIdentity',
        'StartExecution',
        'DescribeExecution',
      ]);
      expect(run.stderr).not.toContain('NodeVersionSupportWarning');
      expect(run.stderr).toBe('');
    } finally {
      await fake.close();
    }
  });
});

describe('ops route (no AWS)', () => {
  test('prints the workflow, execution name and input the router would start, or why it ignores the event', async () => {
    const [start, ignore] = await Promise.all([
      opsAsync(['route', path.join(FIXTURES, 'sns-metric-alarm.json'), '--env', 'prod']),
      opsAsync([
        'route',
        path.join(FIXTURES, 'eventbridge-alarm-configuration-change.json'),
        '--env',
        'prod',
      ]),
    ]);
    expect(start.status).toBe(0);
    expect(JSON.parse(start.stdout)).toMatchObject({
      action: 'start',
      workflow: 'escalation',
      executionName: expect.stringMatching(/^Odoo_Server_High_CPU-ALARM-/),
      input: { alert: { name: 'Odoo_Server_High_CPU' }, state: 'ALARM' },
    });
    expect(ignore.status).toBe(0);
    expect(JSON.parse(ignore.stdout)).toEqual({
      action: 'ignore',
      reason: expect.stringMatching(/not a state change/),
    });
  });

  test('a file that is not JSON, or missing, exits 2 with one line', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ops-')), 'event.json');
    fs.writeFileSync(file, 'ALARM!\n{');
    const [bad, missing] = await Promise.all([
      opsAsync(['route', file, '--env', 'prod']),
      opsAsync(['route', '/nonexistent/event.json', '--env', 'prod']),
    ]);
    expect(bad).toMatchObject({ status: 2, stdout: '' });
    expect(lines(bad.stderr)).toEqual([expect.stringMatching(/^ops: .*event\.json is not JSON: /)]);
    expect(missing).toMatchObject({
      status: 2,
      stderr: 'ops: cannot read /nonexistent/event.json: ENOENT\n',
    });
  });
});
