import { Logger } from '@aws-lambda-powertools/logger';
import { PROBE_EXPECTATIONS, PROBE_TARGETS, type ProbeTarget } from '../../lib/config/probes';
import { probeDocument } from '../core/probes/datapoints';
import { parseProbeRequest } from '../core/probes/input';
import { judgeProbe, type FetchOutcome, type ProbeResult } from '../core/probes/judge';
import { writeEmfDocument } from '../aws/emf-writer';
import { lazyHandler } from '../aws/lazy-handler';
import { readProbeConfig, type ProbeConfig } from '../aws/probe-config';
import { httpGet } from './http-get';

export type { ProbeResult } from '../core/probes/judge';

export interface ProbeDeps {
  readonly config: ProbeConfig;
  readonly get: (url: string, timeoutMs: number) => Promise<FetchOutcome>;
  /** Writes one EMF document as a log line: CloudWatch Logs makes the datapoints. */
  readonly writeMetrics: (document: Record<string, unknown>) => void;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'addContext' | 'appendKeys' | 'resetKeys'>;
  readonly now: () => Date;
  /** Milliseconds on a monotonic clock, for durations. */
  readonly elapsed: () => number;
}

/** The scheduled mode's result: what this AZ's agent saw, also published as metrics. */
export interface ProbeRoundResult {
  readonly status: 'PUBLISHED';
  readonly zone: string;
  readonly results: readonly ProbeResult[];
}

/**
 * The health probe (seed 004 "Alert Validation" and "Quorum Based Alerting"), two modes:
 * - scheduled (`{"mode":"scheduled"}`, an EventBridge rule per AZ every minute): probes Odoo's login
 *   page and n8n's readiness endpoint and publishes ProbeSuccess and ProbeLatencyMs by Target and
 *   AvailabilityZone (EMF): three such agents, one per AZ, make the quorum;
 * - validate (`{"mode":"validate","target","executionId"}`, the escalation workflow before paging a
 *   "Service Unresponsive" alert): probes one target and returns HEALTHY or UNHEALTHY with the reason.
 * A failed probe is a result, never an error; only malformed input throws (naming the field).
 */
export function makeProbeHandler(deps: ProbeDeps) {
  const probe = async (target: ProbeTarget): Promise<ProbeResult> => {
    const url = `${deps.config.targets[target].replace(/\/+$/, '')}${PROBE_EXPECTATIONS[target].path}`;
    const started = deps.elapsed();
    const outcome = await deps.get(url, deps.config.timeoutMs);
    return judgeProbe(target, url, outcome, Math.round(deps.elapsed() - started));
  };
  return async (event: unknown): Promise<ProbeResult | ProbeRoundResult> => {
    const request = parseProbeRequest(event);
    if (request.mode === 'validate') {
      const result = await probe(request.target);
      deps.logger.info('probe validated', {
        ...result,
        executionId: request.executionId,
        zone: deps.config.zone,
      });
      return result;
    }
    const results = await Promise.all(PROBE_TARGETS.map(probe));
    const at = deps.now();
    for (const result of results) {
      deps.writeMetrics(probeDocument(result, deps.config.zone, at));
      if (result.status === 'UNHEALTHY')
        deps.logger.warn('probe failed', { ...result, zone: deps.config.zone });
    }
    deps.logger.info('probe round', { zone: deps.config.zone, results });
    return { status: 'PUBLISHED', zone: deps.config.zone, results };
  };
}

export const handler = lazyHandler(
  (): ProbeDeps => ({
    config: readProbeConfig(),
    get: (url, timeoutMs) => httpGet(url, { timeoutMs }),
    writeMetrics: (document) => writeEmfDocument(document),
    logger: new Logger(),
    now: () => new Date(),
    elapsed: () => performance.now(),
  }),
  makeProbeHandler,
  // The executionId names the escalation workflow's execution on every line of a validation.
  (event: unknown) => {
    const id = (event as { executionId?: unknown } | null)?.executionId;
    return typeof id === 'string' ? { executionName: id } : {};
  },
);
