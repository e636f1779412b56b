import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { EdgeBlockStore } from '../../lambdas/aws/edge-block-store';
import { controlPlaneNames } from '../../lib/config/naming';
import { Aws } from '../../bin/ops/aws';
import { block } from '../../lambdas/aws/edge-blocks';
import { unblockCommand } from '../../bin/ops/commands/unblock';
import { UsageError } from '../../bin/ops/errors';
import { unblockAddressNow } from '../../bin/ops/unblock';
import { blockedAddress } from '../../bin/ops/unblock-input';
import { createStateTable, startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { FakeWafSet } from '../lambdas/edge-fakes';
import { commandContext } from './command-context';

// The command loads its AWS side lazily, as `import('../unblock.js')` (what Node resolves under
// tsx); Jest's resolver knows only the .ts file.
jest.mock('../../bin/ops/unblock.js', () => jest.requireActual('../../bin/ops/unblock'), { virtual: true });

const CALLER = 'arn:aws:sts::123456789012:assumed-role/influencegen-prod-oncall/alice';
const AT = new Date('2026-11-23T10:10:00Z');

/** The unblock command's context: confirmation answered yes. */
const context = (args: Record<string, unknown>, aws: () => Promise<unknown>) =>
  commandContext({ yes: true, ...args }, aws);

describe('ops unblock: the checks before anything reaches AWS', () => {
  test.each([
    ['203.0.113.007', /^IP: 203\.0\.113\.007 is not an IPv4 or IPv6 address$/],
    ['203.0.113.256', /^IP: 203\.0\.113\.256 is not an IPv4 or IPv6 address$/],
    ['not-an-ip', /^IP: not-an-ip is not an IPv4 or IPv6 address$/],
    ['203.0.113.0/24', /^IP: 203\.0\.113\.0\/24 is a range; give one address/],
    ['2001:db8::1::2', /^IP: 2001:db8::1::2 is not an IPv4 or IPv6 address$/],
    ['', /^IP: required/],
  ])(
    '%s is refused naming the field, with zero AWS requests and no confirmation asked',
    async (ip, message) => {
      const waf = new FakeWafSet(undefined, true);
      try {
        const run = context({ ip, reason: 'our pen test' }, async () => {
          throw new Error('AWS must not be reached');
        });
        const error = await unblockCommand.run?.(run.ctx).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toMatch(message);
        expect(run.awsCalls()).toBe(0);
        expect(run.confirmed()).toBe(0);
        expect(waf.calls).toBe(0);
      } finally {
        waf.mock.restore();
      }
    },
  );

  test('--reason is required, before any AWS request', async () => {
    const run = context({ ip: '203.0.113.7' }, async () => {
      throw new Error('AWS must not be reached');
    });
    await expect(unblockCommand.run?.(run.ctx)).rejects.toThrow(/^--reason: required/);
    expect(run.awsCalls()).toBe(0);
  });

  test('addresses are written as WAF holds them', () => {
    expect(blockedAddress(' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(blockedAddress('2001:DB8:0:0:0:0:0:7')).toBe('2001:db8::7');
    expect(blockedAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });
});

describe('ops unblock against the block list (WAF faked at the SDK, DynamoDB local)', () => {
  let db: LocalDynamoDB;
  beforeAll(async () => {
    db = await startLocalDynamoDB();
  });
  afterAll(async () => {
    await db.stop();
  });

  async function blocked(waf: FakeWafSet) {
    const table = await db.freshTable();
    const store = new EdgeBlockStore(db.doc, table.table);
    await block(
      { waf: waf.client, store, ipSet: { name: waf.name, id: 'set-id', scope: 'REGIONAL' } },
      {
        ip: '203.0.113.7',
        cidr: '203.0.113.7/32',
        blockId: 'b-1',
        blockedAt: '2026-11-23T10:00:00.000Z',
        until: '2026-11-23T11:00:00.000Z',
        by: 'edge-block detector',
        reason: '6 failed logins to admin account admin',
      },
      500,
      new Date('2026-11-23T10:00:00Z'),
    );
    waf.addresses.push('198.51.100.9/32');
    return { table: table.table, store };
  }

  test('removes the address early, leaves the others, and records the caller and the reason', async () => {
    const waf = new FakeWafSet();
    const { table, store } = await blocked(waf);
    const outcome = await unblockAddressNow(
      { waf: waf.client, db: db.doc, table },
      { env: 'prod', ip: '203.0.113.7', reason: 'our pen test, SEC-142', by: CALLER, at: AT },
    );
    expect(waf.addresses).toEqual(['198.51.100.9/32']);
    expect(outcome).toMatchObject({
      ip: '203.0.113.7',
      removedFromSet: true,
      previous: { until: '2026-11-23T11:00:00.000Z' },
      holdUntil: '2026-11-23T10:25:00.000Z',
    });
    expect(await store.current('203.0.113.7')).toMatchObject({
      state: 'unblocked',
      endedBy: CALLER,
      endedReason: 'our pen test, SEC-142',
    });
    expect((await store.ledger('203.0.113.7')).at(-1)).toMatchObject({
      event: 'unblocked',
      by: CALLER,
      reason: 'our pen test, SEC-142',
    });
    // Twice: nothing left to remove, the second end recorded too.
    const again = await unblockAddressNow(
      { waf: waf.client, db: db.doc, table },
      { env: 'prod', ip: '203.0.113.7', reason: 'again', by: CALLER, at: AT },
    );
    expect(again.removedFromSet).toBe(false);
    expect(waf.addresses).toEqual(['198.51.100.9/32']);
  });

  test('a block list missing in the account is an error naming it', async () => {
    const waf = new FakeWafSet('some-other-set');
    const table = await db.freshTable();
    await expect(
      unblockAddressNow(
        { waf: waf.client, db: db.doc, table: table.table },
        { env: 'prod', ip: '203.0.113.7', reason: 'x', by: CALLER, at: AT },
      ),
    ).rejects.toThrow('the block list influencegen-prod-control-plane-blocks does not exist');
  });
});

describe('ops unblock through the command and the house AWS clients (bin/ops/aws.ts)', () => {
  let db: LocalDynamoDB;
  const saved = { ...process.env };
  beforeAll(async () => {
    db = await startLocalDynamoDB();
  });
  afterAll(async () => {
    process.env = { ...saved };
    await db.stop();
  });

  test('removes the address from the set the environment names and records the caller from STS', async () => {
    // The command's Aws builds its own clients: DynamoDB reaches the local server by the SDK's
    // per-service endpoint variable; WAF and STS are faked on every client of their class.
    const endpoint = await db.client.config.endpoint?.();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: `http://${endpoint?.hostname}:${endpoint?.port}`,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    const table = controlPlaneNames('prod').table;
    await createStateTable(db.client, table);
    const waf = new FakeWafSet(undefined, true);
    const sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).resolves({ Arn: CALLER, Account: '123456789012' });
    const aws = new Aws({ region: 'eu-west-1' });
    try {
      waf.addresses.push('203.0.113.7/32', '198.51.100.9/32');
      const run = context({ ip: '203.0.113.7', reason: 'our pen test, SEC-142' }, async () => aws);
      expect(await unblockCommand.run?.(run.ctx)).toBe(0);
      expect(waf.addresses).toEqual(['198.51.100.9/32']);
      expect(run.confirmed()).toBe(1);
      expect(run.printed[0]).toMatchObject({ ip: '203.0.113.7', removedFromSet: true, by: CALLER });
      const store = new EdgeBlockStore(db.doc, table);
      expect(await store.current('203.0.113.7')).toMatchObject({ state: 'unblocked', endedBy: CALLER });
      expect(await store.ledger('203.0.113.7')).toEqual([
        expect.objectContaining({ event: 'unblocked', by: CALLER, reason: 'our pen test, SEC-142' }),
      ]);
    } finally {
      aws.destroy();
      sts.restore();
      waf.mock.restore();
    }
  });
});
