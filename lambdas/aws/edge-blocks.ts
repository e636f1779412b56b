import type { WAFV2Client } from '@aws-sdk/client-wafv2';
import { EDGE_TIMING } from '../../lib/config/edge-blocking-timing';
import { hostCidr, parseIp } from '../core/edge/ip';
import type { BlockRecord, EdgeBlockStore } from './edge-block-store';
import { editIpSet, WafEditFailed, type IpSetRef, type RetryPolicy } from './edge-waf';

/**
 * Blocking, expiring and unblocking an address, shared by the detector and `ops unblock`. The
 * ordering rule that keeps them safe together: whoever changes an address's CURRENT record does so
 * BEFORE reading the set, and a block always writes the set (even when the address is already in
 * it), which changes the set's lock token. So a sweep that read a block as expired and is about to
 * remove it fails on the stale token if the block was renewed meanwhile, re-reads, and keeps it.
 */
export interface EdgeDeps {
  readonly waf: WAFV2Client;
  readonly store: EdgeBlockStore;
  readonly ipSet: IpSetRef;
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The address of a single-address CIDR as the set holds it (`203.0.113.7/32` -> `203.0.113.7`). */
export const hostOf = (cidr: string) => cidr.replace(/\/(32|128)$/, '');

export type BlockOutcome =
  | { readonly status: 'blocked'; readonly record: BlockRecord }
  | { readonly status: 'already-blocked'; readonly record?: BlockRecord }
  | { readonly status: 'cap-reached'; readonly size: number }
  | { readonly status: 'failed'; readonly reason: string };

/** Claims the address, adds it to the set (unless the set is at `cap`), and confirms the block. */
export async function block(
  deps: EdgeDeps,
  record: Omit<BlockRecord, 'state'>,
  cap: number,
  now: Date,
): Promise<BlockOutcome> {
  const claimed: BlockRecord = { ...record, state: 'pending' };
  const staleBefore = new Date(now.getTime() - EDGE_TIMING.pendingStaleMinutes * 60_000);
  if (!(await deps.store.claim(claimed, now, staleBefore)))
    return { status: 'already-blocked', record: await deps.store.current(record.ip) };
  type Added = { added: true } | { added: false; size: number };
  let outcome: Added;
  try {
    outcome = await editIpSet<Added>(
      deps.waf,
      deps.ipSet,
      async (addresses) => {
        const present = addresses.includes(record.cidr);
        if (!present && addresses.length >= cap) return { result: { added: false, size: addresses.length } };
        // Written even when present: the new lock token is what stops a concurrent sweep.
        return {
          addresses: present ? addresses : [...addresses, record.cidr],
          result: { added: true },
        };
      },
      { retry: deps.retry, sleep: deps.sleep },
    );
  } catch (error) {
    await deps.store.release(record.ip, record.blockId);
    if (error instanceof WafEditFailed) return { status: 'failed', reason: error.message };
    throw error;
  }
  if (!outcome.added) {
    await deps.store.release(record.ip, record.blockId);
    return { status: 'cap-reached', size: outcome.size };
  }
  await deps.store.confirm(claimed);
  await deps.store.record(record.ip, 'blocked', now, {
    by: record.by,
    reason: record.reason,
    until: record.until,
    blockId: record.blockId,
    evidence: record.evidence,
  });
  return { status: 'blocked', record: { ...claimed, state: 'blocked' } };
}

export interface SweepOutcome {
  readonly removed: readonly { readonly ip: string; readonly record: BlockRecord }[];
  /** Addresses in the set with no record: added by hand in the console; left alone, reported. */
  readonly unknown: readonly string[];
}

/**
 * Removes from the set every address whose block has expired or was ended early, then ends each
 * expired block's record (only the block that was read: a renewed one is a new blockId). Safe to
 * run twice or concurrently: an address already gone is not in the list to remove.
 */
export async function sweep(deps: EdgeDeps, now: Date): Promise<SweepOutcome> {
  const { removed, unknown } = await editIpSet(
    deps.waf,
    deps.ipSet,
    async (addresses) => {
      const gone: { ip: string; cidr: string; record: BlockRecord }[] = [];
      const unknownHere: string[] = [];
      for (const cidr of addresses) {
        const ip = hostOf(cidr);
        const record = await deps.store.current(ip);
        if (!record) unknownHere.push(cidr);
        else if (record.state === 'unblocked' || record.until <= now.toISOString())
          gone.push({ ip, cidr, record });
      }
      const result = { removed: gone, unknown: unknownHere };
      if (!gone.length) return { result };
      const drop = new Set(gone.map((g) => g.cidr));
      return { addresses: addresses.filter((a) => !drop.has(a)), result };
    },
    { retry: deps.retry, sleep: deps.sleep },
  );
  for (const { ip, record } of removed) {
    if (record.state === 'unblocked') continue;
    if (await deps.store.endExpired(ip, record.blockId, now))
      await deps.store.record(ip, 'expired', now, {
        by: 'edge-block sweep',
        reason: record.reason,
        until: record.until,
        blockId: record.blockId,
      });
  }
  return { removed: removed.map(({ ip, record }) => ({ ip, record })), unknown };
}

export interface UnblockOutcome {
  readonly ip: string;
  readonly removedFromSet: boolean;
  /** The block that was in force, if any. */
  readonly previous?: BlockRecord;
}

/**
 * Ends a block early: records who ended it and why (held until `holdUntil` so the detector does not
 * block again for attempts it already counted), then removes the address from the set.
 */
export async function unblock(
  deps: EdgeDeps,
  ipText: string,
  ended: { by: string; reason: string; at: Date; holdUntil: Date },
): Promise<UnblockOutcome> {
  const ip = parseIp(ipText);
  if (!ip) throw new Error(`IP: ${ipText} is not an IP address`);
  const cidr = hostCidr(ip);
  const previous = await deps.store.endEarly(ip.text, cidr, ended);
  const removedFromSet = await editIpSet(
    deps.waf,
    deps.ipSet,
    async (addresses) =>
      addresses.includes(cidr)
        ? { addresses: addresses.filter((a) => a !== cidr), result: true }
        : { result: false },
    { retry: deps.retry, sleep: deps.sleep },
  );
  await deps.store.record(ip.text, 'unblocked', ended.at, {
    by: ended.by,
    reason: ended.reason,
    removedFromSet,
    holdUntil: ended.holdUntil.toISOString(),
    ...(previous ? { blockId: previous.blockId, until: previous.until } : {}),
  });
  return { ip: ip.text, removedFromSet, ...(previous ? { previous } : {}) };
}
