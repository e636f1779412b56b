import { PROBE_EXPECTATIONS, type ProbeTarget } from '../../../lib/config/probes';

/** What one HTTP GET came to: an answer (any status), or no answer at all. */
export type FetchOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly location?: string }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

export type ProbeStatus = 'HEALTHY' | 'UNHEALTHY';

/** The validate mode's result: the escalation workflow's Choice state reads `status`. */
export interface ProbeResult {
  readonly status: ProbeStatus;
  readonly target: ProbeTarget;
  readonly url: string;
  readonly httpStatus?: number;
  readonly durationMs: number;
  readonly reason: string;
}

/** Error codes Node reports for a failed TLS handshake or certificate check. */
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/;

/** Names what went wrong so a responder can tell DNS from TLS from the application. */
function describeError(code: string, message: string): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed (${code}): ${message}`;
  if (TLS_CODES.test(code)) return `TLS failure (${code}): ${message}`;
  if (code === 'ECONNREFUSED') return `connection refused: ${message}`;
  if (code === 'ECONNRESET') return `connection reset: ${message}`;
  return `request failed (${code}): ${message}`;
}

/**
 * Whether a target is healthy: a 200 whose body carries every marker of PROBE_EXPECTATIONS. Pure;
 * every failure is an UNHEALTHY result with its reason, never an exception.
 */
export function judgeProbe(
  target: ProbeTarget,
  url: string,
  outcome: FetchOutcome,
  durationMs: number,
): ProbeResult {
  const base = { target, url, durationMs };
  if (outcome.kind === 'timeout')
    return { ...base, status: 'UNHEALTHY', reason: `no answer within ${outcome.afterMs} ms` };
  if (outcome.kind === 'error')
    return { ...base, status: 'UNHEALTHY', reason: describeError(outcome.code, outcome.message) };
  const httpStatus = outcome.status;
  if (httpStatus >= 300 && httpStatus < 400)
    return {
      ...base,
      httpStatus,
      status: 'UNHEALTHY',
      reason: `redirected (${httpStatus}) to ${outcome.location ?? 'an unnamed location'}`,
    };
  if (httpStatus !== 200)
    return { ...base, httpStatus, status: 'UNHEALTHY', reason: `HTTP ${httpStatus}, expected 200` };
  const missing = PROBE_EXPECTATIONS[target].markers.filter((m) => !outcome.body.includes(m));
  if (missing.length > 0)
    return {
      ...base,
      httpStatus,
      status: 'UNHEALTHY',
      reason: `HTTP 200 but the body lacks ${missing.map((m) => `'${m}'`).join(', ')}`,
    };
  return { ...base, httpStatus, status: 'HEALTHY', reason: `HTTP 200 with the expected content` };
}
