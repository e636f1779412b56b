import { CONTROL_PLANE_LIMITS } from '../../lib/config/control-plane-limits';
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Thrown when a lock stays taken for the whole wait: the workflow's Retry tries again later. */
export class LockBusyError extends Error {
  override readonly name = 'LockBusy';
}

export interface LeaseOptions {
  /** How long a holder may keep the lock before others may take it (a crashed holder's lease ends). */
  readonly leaseMs: number;
  /** How long to wait for a taken lock before giving up with LockBusy. */
  readonly waitMs: number;
}

/** A held lock: `ending()` is true when too little of the lease is left to start another effect. */
export interface Lease {
  /** Too little of the lease is left for one more call: stop (retryably) before making it. */
  ending(): boolean;
  /** Milliseconds until the call-sized margin at the lease's end: a call must be over by then. */
  usableMs(): number;
}

/** Inside a Lambda of 30 s: lib/config's lease, given up after its wait (the Retry waits more). */
export const DEFAULT_LEASE: LeaseOptions = {
  leaseMs: CONTROL_PLANE_LIMITS.groupLock.leaseSeconds * 1000,
  waitMs: CONTROL_PLANE_LIMITS.groupLock.waitSeconds * 1000,
};

/**
 * A lease lock on one item of the state table (`LOCK#<name>` / `LOCK`): a conditional put that
 * succeeds when the item is absent or its lease has ended, released by a delete conditional on
 * the holder. Leases run on the wall clock (Date.now), not on a workflow's business clock: they
 * are about processes, not incidents. The lock orders writers; every write under it is still
 * conditional, so a holder whose lease ran out cannot overwrite what the next holder wrote.
 */
export class LeaseLock {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly options: LeaseOptions = DEFAULT_LEASE,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Runs `work` holding the lock `name`; the lock is released whatever `work` does. */
  async withLock<T>(name: string, work: (lease: Lease) => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const acquiredAt = await this.acquire(name, owner);
    const { leaseMs } = this.options;
    try {
      // Enough lease left for one more call: a quarter of the lease, at most 5 s.
      const margin = Math.min(5_000, leaseMs / 4);
      const usableMs = () => acquiredAt + leaseMs - margin - this.clock();
      return await work({ ending: () => usableMs() < 0, usableMs });
    } finally {
      // A release that keeps failing leaves the lease to end by itself; until then the group
      // waits, so a failed release is tried again first.
      for (let attempt = 0; attempt < 3; attempt++) {
        const released = await this.release(name, owner).then(
          () => true,
          () => false,
        );
        if (released) break;
      }
    }
  }

  private async acquire(name: string, owner: string): Promise<number> {
    const giveUpAt = this.clock() + this.options.waitMs;
    for (let attempt = 0; ; attempt++) {
      const now = this.clock();
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk: `LOCK#${name}`,
              sk: 'LOCK',
              owner,
              leaseEndsAtMs: now + this.options.leaseMs,
              // Removed by TTL long after the lease: the item is overwritten by the next holder anyway.
              expiresAt: Math.floor(now / 1000) + 86_400,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR leaseEndsAtMs < :now',
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        return now;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      if (this.clock() >= giveUpAt)
        throw new LockBusyError(`lock ${name} stayed taken for ${this.options.waitMs} ms`);
      // Full jitter, growing to 200 ms: contenders spread out instead of retrying in step.
      await this.sleep(Math.random() * Math.min(200, 10 * 2 ** Math.min(attempt, 5)));
    }
  }

  private async release(name: string, owner: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: `LOCK#${name}`, sk: 'LOCK' },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
