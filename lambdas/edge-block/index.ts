import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SNSClient } from '@aws-sdk/client-sns';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { EDGE_TIMING } from '../../lib/config/edge-blocking-timing';
import { describe, detect, verdict, type Suspect } from '../core/edge/detect';
import { failedLoginQuery, parseRows } from '../core/edge/query';
import { documentClient } from '../aws/dynamo';
import { EdgeBlockStore } from '../aws/edge-block-store';
import { block, sweep, type EdgeDeps, type SweepOutcome } from '../aws/edge-blocks';
import { readEdgeConfig, type EdgeFunctionConfig } from '../aws/edge-config';
import { EdgeMetrics, type EdgeMetricsSink } from '../aws/edge-metrics';
import { notifySecurity, type SecurityNotice } from '../aws/edge-pager';
import { runInsightsQuery } from '../aws/edge-query';
import type { RetryPolicy } from '../aws/edge-waf';
import { lazyHandler } from '../aws/lazy-handler';
import { readRuntimeConfig, type RuntimeConfig } from '../aws/runtime-config';

export interface EdgeBlockDeps {
  readonly edge: EdgeFunctionConfig;
  readonly runtime: Pick<RuntimeConfig, 'environment' | 'channelTopics' | 'runbookBaseUrl'>;
  readonly logs: CloudWatchLogsClient;
  readonly waf: WAFV2Client;
  readonly sns: SNSClient;
  readonly store: EdgeBlockStore;
  readonly metrics: EdgeMetricsSink;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error' | 'addContext' | 'appendKeys' | 'resetKeys'>;
  readonly now: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Milliseconds on a monotonic clock, for the query's deadline (tests advance it with `sleep`). */
  readonly clock?: () => number;
  readonly retry?: RetryPolicy;
  readonly pollMs?: number;
}

export interface Refusal {
  readonly ip: string;
  readonly reason: string;
}

/** What one run did; `status` says whether it could look at all. */
export interface EdgeBlockResult {
  readonly status: 'ok' | 'query-failed';
  readonly reason?: string;
  readonly blocked: readonly { readonly ip: string; readonly until: string; readonly reason: string }[];
  readonly alreadyBlocked: readonly string[];
  readonly refused: readonly Refusal[];
  readonly capped: readonly string[];
  readonly failed: readonly Refusal[];
  readonly expired: readonly string[];
  /** Would have been blocked, with blockingEnabled false. */
  readonly detectedOnly: readonly string[];
}

/** The run's lists as it fills them. */
type Tally = {
  -readonly [K in Exclude<keyof EdgeBlockResult, 'status' | 'reason'>]: EdgeBlockResult[K][number][];
};

const RUNBOOK = 'runbooks/security_admin_failed_logins.md';

/**
 * The edge-block detector, run every few minutes by a schedule (EventBridge). Each run:
 * 1. sweeps: removes from the WAF set the blocks that expired (or were ended with `ops unblock`);
 * 2. asks Logs Insights for the failed admin logins of the window in Odoo's log;
 * 3. publishes the two halves' largest values as metrics (the catalogue alarms read them);
 * 4. blocks each address over either threshold for `blockMinutes`, unless allow-listed, non-public
 *    or the set is at its cap, and pages the security channels about each block.
 * A failing query or WAF is a logged reason, a DetectorFailures datapoint and (for a block that
 * could not be made) a page, never an exception: EventBridge would retry an exception, and the next
 * scheduled run looks again anyway.
 */
export function makeEdgeBlockHandler(deps: EdgeBlockDeps) {
  const { settings, ipSet, logGroupName } = deps.edge;
  const edgeDeps: EdgeDeps = {
    waf: deps.waf,
    store: deps.store,
    ipSet,
    ...(deps.retry ? { retry: deps.retry } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  };
  const listVersion = ipSet.version === 'IPV6' ? 6 : 4;
  const page = (notice: SecurityNotice) => notifySecurity(deps.sns, deps.runtime.channelTopics, notice);
  const runbook = `${deps.runtime.runbookBaseUrl.replace(/\/$/, '')}/${RUNBOOK}`;
  const env = deps.runtime.environment;

  return async (_event: unknown): Promise<EdgeBlockResult> => {
    const now = deps.now();
    const result: Tally = {
      blocked: [],
      alreadyBlocked: [],
      refused: [],
      capped: [],
      failed: [],
      expired: [],
      detectedOnly: [],
    };

    let swept: SweepOutcome | undefined;
    try {
      swept = await sweep(edgeDeps, now);
      result.expired.push(...swept.removed.map((r) => r.ip));
      if (swept.removed.length) deps.logger.info('blocks ended', { removed: swept.removed.map((r) => r.ip) });
      if (swept.unknown.length)
        deps.logger.warn('addresses in the block list with no record: left alone', {
          unknown: swept.unknown,
        });
    } catch (error) {
      // Expired blocks stay in the set until a sweep succeeds: logged and counted; detection goes on.
      deps.logger.error('sweep failed', { reason: (error as Error).message });
      deps.metrics.emit('failures', 1);
    }

    const query = await runInsightsQuery(
      deps.logs,
      {
        logGroupName,
        query: failedLoginQuery(settings.adminLogins),
        start: new Date(now.getTime() - settings.windowMinutes * 60_000),
        end: now,
      },
      {
        pollMs: deps.pollMs ?? EDGE_TIMING.queryPollMs,
        timeoutMs: settings.queryTimeoutSeconds * 1000,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        ...(deps.clock ? { now: deps.clock } : {}),
      },
    );
    if (query.status === 'failed') {
      deps.logger.error('failed-login query failed: nothing detected this run', { reason: query.reason });
      deps.metrics.emit('failures', 1);
      return { status: 'query-failed', reason: query.reason, ...result };
    }

    const { rows, ignored } = parseRows(query.results);
    const detection = detect(rows, settings);
    for (const i of [...ignored, ...detection.ignored]) deps.logger.warn('query row ignored', i);
    deps.metrics.emit('maxAttemptsOnOneAdmin', detection.maxAttemptsOnOneAdmin);
    deps.metrics.emit('maxDistinctAdmins', detection.maxDistinctAdmins);

    for (const suspect of detection.suspects) await handleSuspect(suspect, now, result);
    deps.logger.info('run', { rows: rows.length, suspects: detection.suspects.length, ...result });
    return { status: 'ok', ...result };
  };

  async function handleSuspect(suspect: Suspect, now: Date, result: Tally): Promise<void> {
    const why = describe(suspect, settings, settings.windowMinutes);
    const v = verdict(suspect.ip, settings.allowList, listVersion);
    if (v.action === 'refuse') {
      deps.logger.warn('not blocked', { ip: v.ip, reason: v.reason, detected: why });
      result.refused.push({ ip: v.ip, reason: v.reason });
      return;
    }
    if (!settings.blockingEnabled) {
      deps.logger.info('would block (blocking disabled)', { ip: v.ip, detected: why });
      result.detectedOnly.push(v.ip);
      return;
    }
    const until = new Date(now.getTime() + settings.blockMinutes * 60_000);
    const outcome = await block(
      edgeDeps,
      {
        ip: v.ip,
        cidr: v.cidr,
        blockId: randomUUID(),
        blockedAt: now.toISOString(),
        until: until.toISOString(),
        by: 'edge-block detector (Admin_Account_Brute_Force_Suspected)',
        reason: why,
        evidence: {
          halves: suspect.halves,
          topLogin: suspect.topLogin,
          topAttempts: suspect.topAttempts,
          distinctAdmins: suspect.distinctAdmins,
          admins: suspect.admins.slice(0, 20),
          windowMinutes: settings.windowMinutes,
        },
      },
      settings.maxBlockedAddresses,
      now,
    );
    const windowEnd = new Date(now.getTime() + settings.windowMinutes * 60_000);
    switch (outcome.status) {
      case 'already-blocked':
        result.alreadyBlocked.push(v.ip);
        return;
      case 'blocked': {
        result.blocked.push({ ip: v.ip, until: until.toISOString(), reason: why });
        deps.metrics.emit('blocks', 1);
        deps.logger.info('blocked', { ip: v.ip, cidr: v.cidr, until: until.toISOString(), reason: why });
        const report = await page({
          kind: 'blocked',
          subject: `[${env}] Edge block: ${v.ip} blocked until ${until.toISOString()}`,
          message: [
            `InfluenceGen ${env}: ${v.ip} is blocked at the WAF (${ipSet.name}) until ${until.toISOString()}.`,
            `Why: ${why} (Admin_Account_Brute_Force_Suspected).`,
            `The block ends by itself; to end it now: ops unblock ${v.ip} --env ${env} --reason "..."`,
            `Runbook: ${runbook}`,
          ].join('\n'),
        });
        if (report.failed.length)
          deps.logger.error('block notice not delivered', { ip: v.ip, failed: report.failed });
        return;
      }
      case 'cap-reached': {
        result.capped.push(v.ip);
        const reason = `the block list holds ${outcome.size} addresses, its cap (maxBlockedAddresses ${settings.maxBlockedAddresses})`;
        deps.logger.error('not blocked: block list full', { ip: v.ip, reason, detected: why });
        await deps.store.record(v.ip, 'refused', now, { by: 'edge-block detector', reason, detected: why });
        if (await deps.store.firstNotice(v.ip, 'cap', now, windowEnd))
          await page({
            kind: 'cap-reached',
            subject: `[${env}] Edge block NOT applied: block list full (${v.ip})`,
            message: [
              `InfluenceGen ${env}: ${v.ip} was NOT blocked: ${reason}.`,
              `Detected: ${why}.`,
              `Block it by hand or raise edgeBlocking.maxBlockedAddresses. Runbook: ${runbook}`,
            ].join('\n'),
          });
        return;
      }
      case 'failed': {
        result.failed.push({ ip: v.ip, reason: outcome.reason });
        deps.metrics.emit('failures', 1);
        deps.logger.error('block failed', { ip: v.ip, reason: outcome.reason, detected: why });
        await deps.store.record(v.ip, 'failed', now, {
          by: 'edge-block detector',
          reason: outcome.reason,
          detected: why,
        });
        if (await deps.store.firstNotice(v.ip, 'failed', now, windowEnd))
          await page({
            kind: 'failed',
            subject: `[${env}] Edge block FAILED for ${v.ip}`,
            message: [
              `InfluenceGen ${env}: ${v.ip} could NOT be blocked: the WAF update failed: ${outcome.reason}.`,
              `Detected: ${why}. The next run (in a few minutes) tries again.`,
              `Runbook: ${runbook}`,
            ].join('\n'),
          });
        return;
      }
    }
  }
}

export function edgeBlockDeps(): EdgeBlockDeps {
  const runtime = readRuntimeConfig();
  const edge = readEdgeConfig();
  return {
    edge,
    runtime,
    // The function's own retries (edge-waf.ts) do the backing off: the SDK's are kept short.
    logs: new CloudWatchLogsClient({ maxAttempts: 3 }),
    waf: new WAFV2Client({ maxAttempts: 2 }),
    sns: new SNSClient({ maxAttempts: 3 }),
    store: new EdgeBlockStore(documentClient(), runtime.stateTable),
    metrics: new EdgeMetrics(),
    logger: new Logger(),
    now: () => new Date(),
  };
}

export const handler = lazyHandler(edgeBlockDeps, makeEdgeBlockHandler, () => ({}));
