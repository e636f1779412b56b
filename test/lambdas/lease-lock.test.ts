import { LeaseLock, LockBusyError } from '../../lambdas/aws/lease-lock';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';

/** The group lock on dynalite: what it lets run together, and when a stuck holder's lease ends. */
let db: LocalDynamoDB;
beforeEach(async () => {
  db = await startLocalDynamoDB();
});
afterEach(async () => {
  await db.stop();
});

test('holders of one lock never overlap; other locks run alongside', async () => {
  const lock = new LeaseLock(db.doc, db.table, { leaseMs: 5_000, waitMs: 10_000 });
  const inside: Record<string, number> = {};
  let overlaps = 0;
  let together = 0;
  const hold = (name: string) =>
    lock.withLock(name, async () => {
      inside[name] = (inside[name] ?? 0) + 1;
      if (inside[name] > 1) overlaps++;
      if (Object.values(inside).filter((n) => n > 0).length > 1) together++;
      await new Promise((r) => setTimeout(r, 5));
      inside[name] -= 1;
    });
  await Promise.all([...Array.from({ length: 6 }, () => hold('GROUP#a')), hold('GROUP#b'), hold('GROUP#b')]);
  expect(overlaps).toBe(0);
  expect(together).toBeGreaterThan(0);
});

test('a holder that never lets go blocks others for its lease only', async () => {
  let now = 1_000_000;
  const clock = () => now;
  const noWait = async () => undefined;
  const options = { leaseMs: 20_000, waitMs: 1_000 };
  const stuck = new LeaseLock(db.doc, db.table, options, clock, noWait);
  const other = new LeaseLock(db.doc, db.table, options, clock, async () => {
    now += 100; // each wait moves the clock on
  });
  let letGo: () => void = () => undefined;
  const holding = stuck.withLock('GROUP#a', () => new Promise<void>((r) => (letGo = r)));
  await new Promise((r) => setTimeout(r, 50));
  // Within the lease: the other waits its 1 s and gives up (LockBusy: the workflow retries).
  await expect(other.withLock('GROUP#a', async () => 'ran')).rejects.toBeInstanceOf(LockBusyError);
  // Past the lease: the other takes it, although the first never released it.
  now += 20_000;
  await expect(other.withLock('GROUP#a', async () => 'ran')).resolves.toBe('ran');
  letGo();
  await holding;
});
