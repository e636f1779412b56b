import { GetIPSetCommand, UpdateIPSetCommand, type WAFV2Client } from '@aws-sdk/client-wafv2';
import { EDGE_TIMING } from '../../lib/config/edge-blocking-timing';

/** The control plane's WAF IP set (EdgeFirewall's ControlPlaneBlockList). */
export interface IpSetRef {
  readonly name: string;
  readonly id: string;
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
}

/**
 * Errors worth another read-and-write: the lock token went stale (another writer was first), WAF
 * throttled the call, or WAF had a transient fault. Anything else (a limit, a bad parameter, no
 * such set, no permission) will not improve by waiting.
 */
const RETRYABLE = new Set([
  'WAFOptimisticLockException',
  'WAFInternalErrorException',
  'WAFUnavailableEntityException',
  'ThrottlingException',
  'TooManyRequestsException',
]);

function retryable(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean } };
  return RETRYABLE.has(e.name ?? '') || e.$retryable?.throttling === true;
}

export class WafEditFailed extends Error {
  override readonly name = 'WafEditFailed';
}

/** What an edit decides from the set as read: the new list, or no change. */
export type Edit<T> = (
  addresses: readonly string[],
) => Promise<{ readonly addresses?: readonly string[]; readonly result: T }>;

/**
 * Edits the IP set the only safe way: GetIPSet, compute, UpdateIPSet with the lock token read, and
 * on a stale token start again from a fresh read (the computation sees the other writer's change).
 * UpdateIPSet replaces the whole list, so nothing else is. Throttling and transient faults are
 * retried with jittered exponential backoff; a lasting failure is a WafEditFailed naming the error.
 */
export async function editIpSet<T>(
  waf: WAFV2Client,
  set: IpSetRef,
  edit: Edit<T>,
  options: { retry?: RetryPolicy; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const retry = options.retry ?? EDGE_TIMING.wafRetry;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: unknown;
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    try {
      const read = await waf.send(new GetIPSetCommand({ Name: set.name, Id: set.id, Scope: set.scope }));
      const token = read.LockToken;
      if (!token) throw new WafEditFailed('GetIPSet returned no lock token');
      const { addresses, result } = await edit(read.IPSet?.Addresses ?? []);
      if (addresses === undefined) return result;
      await waf.send(
        new UpdateIPSetCommand({
          Name: set.name,
          Id: set.id,
          Scope: set.scope,
          Addresses: [...addresses],
          LockToken: token,
          // UpdateIPSet resets an omitted description to none.
          ...(read.IPSet?.Description ? { Description: read.IPSet.Description } : {}),
        }),
      );
      return result;
    } catch (error) {
      if (!retryable(error)) {
        const e = error as Error;
        throw error instanceof WafEditFailed ? error : new WafEditFailed(`${e.name}: ${e.message}`);
      }
      last = error;
      if (attempt < retry.attempts)
        await sleep(retry.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
    }
  }
  const e = last as Error;
  throw new WafEditFailed(`${e.name}: ${e.message} (still failing after ${retry.attempts} attempts)`);
}
