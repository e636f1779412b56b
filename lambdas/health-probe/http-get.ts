import * as http from 'node:http';
import * as https from 'node:https';
import { PROBE_MAX_BODY_BYTES } from '../../lib/config/probes';
import type { FetchOutcome } from '../core/probes/judge';

export interface GetOptions {
  /** The whole exchange (DNS, connect, TLS, headers, body) must end within this. */
  readonly timeoutMs: number;
  /** Extra CAs to trust (tests); the deployed function trusts the default store only. */
  readonly ca?: string;
}

/**
 * One GET with a hard deadline, resolved with what happened and never rejected: a timeout, a DNS,
 * TLS or connection error, or a response of any status. Redirects are not followed (the caller
 * judges them). No connection reuse: each probe opens its own, as a new visitor would.
 */
export function httpGet(url: string, options: GetOptions): Promise<FetchOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: FetchOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      settle({ kind: 'error', code: 'ERR_INVALID_URL', message: `not a URL: ${url}` });
      return;
    }
    const client = target.protocol === 'https:' ? https : http;
    const request = client.get(
      target,
      {
        agent: false,
        headers: { 'user-agent': 'InfluenceGen-HealthProbe/1', accept: 'text/html,application/json' },
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          if (bytes < PROBE_MAX_BODY_BYTES) chunks.push(chunk);
          bytes += chunk.length;
        });
        response.on('end', () =>
          settle({
            kind: 'response',
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ...(response.headers.location ? { location: response.headers.location } : {}),
          }),
        );
        response.on('error', (error: NodeJS.ErrnoException) =>
          settle({ kind: 'error', code: error.code ?? 'ERR_RESPONSE', message: error.message }),
        );
      },
    );
    const timer = setTimeout(() => {
      settle({ kind: 'timeout', afterMs: options.timeoutMs });
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'error', code: error.code ?? 'ERR_REQUEST', message: error.message }),
    );
  });
}
