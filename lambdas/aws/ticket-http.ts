/**
 * The ticket systems' HTTP calls: JSON in, JSON out, a deadline on each, and every way a call can
 * fail sorted into the two errors the escalation workflow's Retry and Catch read:
 * - `TicketSystemUnavailable`: worth retrying (no answer in time, a 5xx or 429, a body that is not
 *   the JSON the API documents: a proxy's error page, a half-written response);
 * - `TicketRejected`: the system answered and refused (authentication, a field it does not know):
 *   retrying cannot help, the failure is recorded and alerted on at once.
 */
type TicketErrorName = 'TicketSystemUnavailable' | 'TicketRejected';

export class TicketSystemError extends Error {
  constructor(
    name: TicketErrorName,
    message: string,
    /** An authentication refusal: the cached secret is dropped, a rotated one is read next time. */
    readonly authentication = false,
  ) {
    super(message);
    this.name = name;
  }
}

interface JsonResponse {
  readonly status: number;
  /** Undefined for an empty body (Jira's 204 on a transition). */
  readonly body: unknown;
}

export type HttpFetch = typeof fetch;

/** One HTTP call with a JSON body; the answer parsed, or a TicketSystemError saying why not. */
export async function requestJson(
  fetchImpl: HttpFetch,
  url: string,
  init: {
    method: 'GET' | 'POST' | 'PUT';
    headers?: Record<string, string>;
    body?: unknown;
    timeoutMs: number;
  },
): Promise<JsonResponse> {
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, {
      method: init.method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    // The deadline covers the body too: a server that sends headers and stalls is as down.
    text = await response.text();
  } catch (error) {
    const e = error as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    throw new TicketSystemError(
      'TicketSystemUnavailable',
      timedOut
        ? `${init.method} ${pathOf(url)}: no answer within ${init.timeoutMs} ms`
        : `${init.method} ${pathOf(url)}: ${e.message}${causeOf(e)}`,
    );
  }
  const where = `${init.method} ${pathOf(url)}: HTTP ${response.status}`;
  if (response.status >= 500 || response.status === 429)
    throw new TicketSystemError('TicketSystemUnavailable', `${where} ${excerpt(text)}`);
  if (response.status === 401 || response.status === 403)
    throw new TicketSystemError('TicketRejected', `${where}: authentication refused`, true);
  if (response.status >= 400) throw new TicketSystemError('TicketRejected', `${where} ${excerpt(text)}`);
  if (text.trim() === '') return { status: response.status, body: undefined };
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new TicketSystemError('TicketSystemUnavailable', `${where}: not JSON: ${excerpt(text)}`);
  }
}

/** The path only: a query string could carry something private. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(bad url)';
  }
}

function causeOf(e: Error): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message ?? 'no detail'})` : '';
}

/** Enough of a body to say what it was, never a whole page in a log line or a state's output. */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}
