import { GetIPSetCommand, type WAFV2Client } from '@aws-sdk/client-wafv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EdgeBlockStore, type BlockRecord } from '../../lambdas/aws/edge-block-store';
import { hostOf } from '../../lambdas/aws/edge-blocks';
import type { EnvironmentName } from '../../lib/config/constants';
import { findBlockList } from './block-list';

interface Clients {
  readonly waf: WAFV2Client;
  readonly db: DynamoDBDocumentClient;
  readonly table: string;
}

/** One address in the block list, with the record that says who blocked it, why and until when. */
export interface BlockRow {
  readonly ip: string;
  /** blocked; expired (the next sweep, within 5 minutes, removes it); unblocked (ended early, the sweep removes it); pending (a detector is adding it). */
  readonly state: 'blocked' | 'expired' | 'unblocked' | 'pending';
  /** The block's end; once ended early (`unblocked`), the end of the hold in which the detector leaves the address alone. */
  readonly until: string;
  readonly blockedAt: string;
  readonly by: string;
  readonly reason: string;
}

export interface BlockListReport {
  readonly env: EnvironmentName;
  readonly set: string;
  readonly blocks: readonly BlockRow[];
  /** In the set with no record: added by hand in the console; the sweep leaves them alone. */
  readonly unrecorded: readonly string[];
}

function rowOf(record: BlockRecord, now: Date): BlockRow {
  const expired = record.state === 'blocked' && record.until <= now.toISOString();
  return {
    ip: record.ip,
    state: expired ? 'expired' : record.state,
    until: record.until,
    blockedAt: record.blockedAt,
    by: record.by,
    reason: record.reason,
  };
}

async function addressesIn(waf: WAFV2Client, env: EnvironmentName) {
  const set = await findBlockList(waf, env);
  const read = await waf.send(new GetIPSetCommand({ Name: set.name, Id: set.id, Scope: set.scope }));
  return { set, addresses: read.IPSet?.Addresses ?? [] };
}

/** What the control plane's WAF block list holds now, soonest to end first. Reads only. */
export async function listBlocks(
  clients: Clients,
  env: EnvironmentName,
  now: Date,
): Promise<BlockListReport> {
  const { set, addresses } = await addressesIn(clients.waf, env);
  const store = new EdgeBlockStore(clients.db, clients.table);
  const blocks: BlockRow[] = [];
  const unrecorded: string[] = [];
  for (const cidr of addresses) {
    const record = await store.current(hostOf(cidr));
    if (record) blocks.push(rowOf(record, now));
    else unrecorded.push(cidr);
  }
  blocks.sort((a, b) => a.until.localeCompare(b.until) || a.ip.localeCompare(b.ip));
  return { env, set: set.name, blocks, unrecorded };
}

/** One ledger line of an address: blocked, expired, unblocked, refused or failed. */
export interface BlockLedgerRow {
  readonly at: string;
  readonly event: string;
  readonly by: string;
  readonly reason: string;
  readonly until: string;
}

export interface BlockHistory {
  readonly env: EnvironmentName;
  readonly ip: string;
  readonly inBlockList: boolean;
  readonly current: BlockRow | null;
  readonly ledger: readonly BlockLedgerRow[];
}

/** One address: whether the set holds it now, its block record and its ledger, oldest first. Reads only. */
export async function blockHistory(
  clients: Clients,
  env: EnvironmentName,
  ip: string,
  now: Date,
): Promise<BlockHistory> {
  const { addresses } = await addressesIn(clients.waf, env);
  const store = new EdgeBlockStore(clients.db, clients.table);
  const [record, lines] = await Promise.all([store.current(ip), store.ledger(ip)]);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    env,
    ip,
    inBlockList: addresses.some((cidr) => hostOf(cidr) === ip),
    current: record ? rowOf(record, now) : null,
    ledger: lines.map((line) => ({
      at: text(line.at),
      event: text(line.event),
      by: text(line.by),
      reason: text(line.reason),
      until: text(line.until),
    })),
  };
}
