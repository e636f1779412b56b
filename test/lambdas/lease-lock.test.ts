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

test('holders of one lock never overlap', async () => {
  const lock = new LeaseLock(db.doc, db.table, { leaseMs: 5_000, waitMs: 10_000 });
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 6 }, () =>
      lock.withLock('GROUP#a', async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 5));
        inside--;
      }),
    ),
  );
  expect(most).toBe(1);
});

test('another lock is taken while the first is held', async () => {
  const lock = new LeaseLock(db.doc, db.table, { leaseMs: 5_000, waitMs: 2_000 });
  let entered: () => void = () => undefined;
  const aHeld = new Promise<void>((r) => (entered = r));
  let bDone: () => void = () => undefined;
  const bFinished = new Promise<void>((r) => (bDone = r));
  // A holds its lock until B has run inside its own: shared locks would make B give up (LockBusy).
  const a = lock.withLock('GROUP#a', async () => {
    entered();
    await bFinished;
  });
  const b = lock.withLock('GROUP#b', async () => {
    await aHeld;
    bDone();
    return 'ran';
  });
  await expect(b).resolves.toBe('ran');
  await a;
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
