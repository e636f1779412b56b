import type { StsRequest } from '../core/escalation/acknowledger';

/**
 * The function's end of an acknowledger's identity proof (lambdas/core/escalation/acknowledger.ts):
 * having checked the caller's signed GetCallerIdentity request, it sends it to STS and reads the ARN
 * STS answers. Only STS can tell whether the signature holds. (The caller's end, the signing, is
 * lambdas/incident-ack/sign-proof.ts: it stays out of the function's bundle.)
 */

export type CallerVerification =
  { readonly ok: true; readonly arn: string } | { readonly ok: false; readonly reason: string };

/** Sends a checked proof to STS. Injected into the handler so that tests replace STS. */
export type CallerVerifier = (request: StsRequest) => Promise<CallerVerification>;

/**
 * The verifier over STS's HTTPS endpoint, with the global `fetch`. A 4xx answer (a signature that
 * does not match, expired or unknown credentials) refuses the proof with STS's error code; a 5xx
 * or a network failure is an error of this invocation (the caller may retry), never an identity.
 */
export function stsCallerVerifier(send: typeof fetch = fetch, timeoutMs = 5000): CallerVerifier {
  return async (request) => {
    const response = await send(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      // The endpoint was checked; a redirect would lead somewhere that was not.
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (response.status >= 400 && response.status < 500) {
      const code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
      return { ok: false, reason: `STS refused the signed request: ${code}` };
    }
    if (response.status !== 200)
      throw new Error(`STS answered GetCallerIdentity with HTTP ${response.status}`);
    const arn = callerArnOf(text);
    if (!arn) throw new Error('STS answered GetCallerIdentity without an Arn');
    return { ok: true, arn };
  };
}

/** The `<GetCallerIdentityResult><Arn>` of STS's XML answer. */
export function callerArnOf(xml: string): string | undefined {
  const result = /<GetCallerIdentityResult>([\s\S]*?)<\/GetCallerIdentityResult>/.exec(xml)?.[1];
  const arn = result ? /<Arn>([^<]+)<\/Arn>/.exec(result)?.[1] : undefined;
  return arn
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}
