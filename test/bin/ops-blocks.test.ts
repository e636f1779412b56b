import { EdgeBlockStore } from '../../lambdas/aws/edge-block-store';
import { block } from '../../lambdas/aws/edge-blocks';
import { controlPlaneNames } from '../../lib/config/naming';
import { blockHistory, listBlocks } from '../../bin/ops/blocks';
import { blocksCommand } from '../../bin/ops/commands/blocks';
import { EXIT, UsageError } from '../../bin/ops/errors';
import { unblockAddressNow } from '../../bin/ops/unblock';
import { createStateTable, startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { FakeWafSet } from '../lambdas/edge-fakes';
import { commandContext } from './command-context';

// The command loads its AWS side lazily, as `import('../blocks.js')` (what Node resolves under
// tsx); Jest's resolver knows only the .ts file.
jest.mock('../../bin/ops/blocks.js', () => jest.requireActual('../../bin/ops/blocks'), { virtual: true });

const CALLER = 'arn:aws:sts::123456789012:assumed-role/influencegen-prod-oncall/alice';
const NOW = new Date('2026-11-23T10:40:00Z');

let db: LocalDynamoDB;
beforeAll(async () => {
  db = await startLocalDynamoDB();
});
afterAll(async () => {
  await db.stop();
});

/** Two detector blocks (one past its end, not yet swept) and one address added by hand. */
async function blockList(waf: FakeWafSet, table: string) {
  const store = new EdgeBlockStore(db.doc, table);
  const ipSet = { name: waf.name, id: 'set-id', scope: 'REGIONAL' as const };
  const detected = (ip: string, until: string, reason: string) =>
    block(
      { waf: waf.client, store, ipSet },
      {
        ip,
        cidr: `${ip}/32`,
        blockId: `b-${ip}`,
        blockedAt: '2026-11-23T10:00:00.000Z',
        until,
        by: 'edge-block detector',
        reason,
      },
      500,
      new Date('2026-11-23T10:00:00Z'),
    );
  await detected('203.0.113.7', '2026-11-23T11:00:00.000Z', '6 failed logins to admin account admin');
  await detected('198.51.100.20', '2026-11-23T10:30:00.000Z', 'failed logins to 4 admin accounts');
  waf.addresses.push('192.0.2.1/32');
  return store;
}

describe('ops blocks: what the block list holds, and why (WAF faked at the SDK, DynamoDB local)', () => {
  test('every address in the set with its block, soonest to end first; an ended one marked expired; a hand-added one apart', async () => {
    const waf = new FakeWafSet();
    try {
      const { table } = await db.freshTable();
      await blockList(waf, table);
      const updates = waf.updates;
      const report = await listBlocks({ waf: waf.client, db: db.doc, table }, 'prod', NOW);
      expect(report).toEqual({
        env: 'prod',
        set: 'influencegen-prod-control-plane-blocks',
        blocks: [
          {
            ip: '198.51.100.20',
            state: 'expired',
            until: '2026-11-23T10:30:00.000Z',
            blockedAt: '2026-11-23T10:00:00.000Z',
            by: 'edge-block detector',
            reason: 'failed logins to 4 admin accounts',
          },
          {
            ip: '203.0.113.7',
            state: 'blocked',
            until: '2026-11-23T11:00:00.000Z',
            blockedAt: '2026-11-23T10:00:00.000Z',
            by: 'edge-block detector',
            reason: '6 failed logins to admin account admin',
          },
        ],
        unrecorded: ['192.0.2.1/32'],
      });
      // It only reads: the set is as it was.
      expect(waf.updates).toBe(updates);
      expect(waf.addresses).toHaveLength(3);
    } finally {
      waf.mock.restore();
    }
  });

  test('one address: out of the list after `ops unblock`, its block ended, its ledger oldest first with who and why', async () => {
    const waf = new FakeWafSet();
    try {
      const { table } = await db.freshTable();
      await blockList(waf, table);
      await unblockAddressNow(
        { waf: waf.client, db: db.doc, table },
        { env: 'prod', ip: '203.0.113.7', reason: 'our pen test, SEC-142', by: CALLER, at: NOW },
      );
      const history = await blockHistory({ waf: waf.client, db: db.doc, table }, 'prod', '203.0.113.7', NOW);
      expect(history).toMatchObject({
        ip: '203.0.113.7',
        inBlockList: false,
        // `until` is now the hold's end: the detector leaves the address alone for its 15-minute window.
        current: { state: 'unblocked', until: '2026-11-23T10:55:00.000Z' },
        ledger: [
          { event: 'blocked', by: 'edge-block detector', reason: '6 failed logins to admin account admin' },
          { event: 'unblocked', by: CALLER, reason: 'our pen test, SEC-142' },
        ],
      });
      expect(
        await blockHistory({ waf: waf.client, db: db.doc, table }, 'prod', '198.51.100.20', NOW),
      ).toMatchObject({ inBlockList: true, current: { state: 'expired' } });
      expect(await blockHistory({ waf: waf.client, db: db.doc, table }, 'prod', '192.0.2.55', NOW)).toEqual({
        env: 'prod',
        ip: '192.0.2.55',
        inBlockList: false,
        current: null,
        ledger: [],
      });
    } finally {
      waf.mock.restore();
    }
  });
});

describe('ops blocks through the command', () => {
  const context = (args: Record<string, unknown>, aws: () => Promise<unknown>) =>
    commandContext(args, aws, async () => {
      throw new Error('a read-only command must not ask for confirmation');
    });

  test('a malformed address is refused naming the field, before any AWS call', async () => {
    const run = context({ ip: '203.0.113.0/24' }, async () => {
      throw new Error('AWS must not be reached');
    });
    const error = await blocksCommand.run?.(run.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^IP: 203\.0\.113\.0\/24 is a range/);
    expect(run.awsCalls()).toBe(0);
  });

  test("lists the deployed environment's block list from its state table, without confirmation", async () => {
    const waf = new FakeWafSet();
    try {
      const table = controlPlaneNames('prod').table;
      await createStateTable(db.client, table);
      await blockList(waf, table);
      const run = context({}, async () => ({ waf: () => waf.client, dynamo: () => db.doc }));
      expect(await blocksCommand.run?.(run.ctx)).toBe(EXIT.ok);
      expect(run.printed).toHaveLength(1);
      const printed = run.printed[0] as { blocks: Array<{ ip: string }>; unrecorded: string[] };
      expect(printed.blocks.map((b) => b.ip).sort()).toEqual(['198.51.100.20', '203.0.113.7']);
      expect(printed.unrecorded).toEqual(['192.0.2.1/32']);
    } finally {
      waf.mock.restore();
    }
  });
});
