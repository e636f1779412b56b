import {
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ResultRow } from '../core/edge/query';

export type QueryOutcome =
  | { readonly status: 'complete'; readonly results: readonly ResultRow[]; readonly queryId: string }
  | { readonly status: 'failed'; readonly reason: string; readonly queryId?: string };

/**
 * Runs one Logs Insights query and waits for it, polling every `pollMs`, for at most `timeoutMs`.
 * Never throws for the query's own failure: a refused start, a Failed/Cancelled/Timeout status or
 * a wait that ran out is a `failed` outcome with the reason (a query still running at the deadline
 * is stopped, so it does not count against the account's concurrent-query quota).
 */
export async function runInsightsQuery(
  logs: CloudWatchLogsClient,
  request: { logGroupName: string; query: string; start: Date; end: Date },
  options: { pollMs: number; timeoutMs: number; sleep?: (ms: number) => Promise<void>; now?: () => number },
): Promise<QueryOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const clock = options.now ?? Date.now;
  const deadline = clock() + options.timeoutMs;
  let queryId: string | undefined;
  try {
    const started = await logs.send(
      new StartQueryCommand({
        logGroupName: request.logGroupName,
        queryString: request.query,
        // Insights takes epoch seconds; the end is inclusive.
        startTime: Math.floor(request.start.getTime() / 1000),
        endTime: Math.floor(request.end.getTime() / 1000),
      }),
    );
    queryId = started.queryId;
    if (!queryId) return { status: 'failed', reason: 'StartQuery returned no query id' };
    for (;;) {
      const r = await logs.send(new GetQueryResultsCommand({ queryId }));
      switch (r.status) {
        case 'Complete':
          return { status: 'complete', results: r.results ?? [], queryId };
        case 'Failed':
        case 'Cancelled':
        case 'Timeout':
        case 'Unknown':
          return { status: 'failed', reason: `query ${queryId} ended ${r.status}`, queryId };
        default:
          break;
      }
      if (clock() + options.pollMs > deadline) {
        try {
          await logs.send(new StopQueryCommand({ queryId }));
        } catch {
          // The query ends by itself after Insights' own limit; the failure reported is the wait.
        }
        return {
          status: 'failed',
          reason: `query ${queryId} still ${r.status ?? 'unknown'} after ${Math.round(options.timeoutMs / 1000)} s; stopped`,
          queryId,
        };
      }
      await sleep(options.pollMs);
    }
  } catch (error) {
    const e = error as Error;
    return { status: 'failed', reason: `${e.name}: ${e.message}`, ...(queryId ? { queryId } : {}) };
  }
}
