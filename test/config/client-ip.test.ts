import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Behind the ALB, Odoo 18 applies its proxy fix only to requests carrying X-Forwarded-Host, which the
 * ALB never sends, so REMOTE_ADDR (Odoo's "Login failed ... from <ip>" line, the addon's login_failed
 * `ip`, the brute-force rule and the edge-block detector) would be the ALB node's VPC address. The
 * influencegen_signals addon's client_address.py puts the ALB-appended X-Forwarded-For entry there.
 * Its real code runs here with python3, wrapped around a stand-in for odoo.http.Application
 * (test/config/client-ip-requests.py), and each case asserts the address Odoo's code then reads.
 */

const ROOT = path.join(__dirname, '..', '..');
const ALB_NODE = '10.0.1.5';

interface Request {
  readonly environ: Readonly<Record<string, string>>;
  readonly proxyMode: boolean;
}
interface Seen {
  readonly seen: string | null;
  readonly original: string | null;
  readonly error: string | null;
}

function send(requests: readonly Request[], viaHook = false): { installs: boolean[]; results: Seen[] } {
  const args = ['test/config/client-ip-requests.py', ...(viaHook ? ['--via-hook'] : [])];
  const result = spawnSync('python3', args, {
    cwd: ROOT,
    encoding: 'utf8',
    input: JSON.stringify(requests),
  });
  if (result.error !== undefined)
    throw new Error(
      `python3 could not be run (${result.error.message}): the addon's code is run, so python3 must be on PATH`,
    );
  if (result.status !== 0)
    throw new Error(`client-ip-requests.py failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as { installs: boolean[]; results: Seen[] };
}

/** One request through the wrapper: what Odoo read as REMOTE_ADDR, and the ALB address kept aside. */
function through(
  headers: Record<string, string>,
  options: { proxyMode?: boolean; peer?: string } = {},
): Seen {
  const environ = {
    REMOTE_ADDR: options.peer ?? ALB_NODE,
    HTTP_HOST: 'odoo.influencegen.example.com',
    ...headers,
  };
  const { results } = send([{ environ, proxyMode: options.proxyMode ?? true }]);
  const [seen] = results;
  if (seen === undefined) throw new Error('no result');
  expect(seen.error).toBeNull();
  return seen;
}

test('the client address the ALB appended replaces the ALB node address', () => {
  expect(through({ HTTP_X_FORWARDED_FOR: '203.0.113.9' })).toEqual({
    seen: '203.0.113.9',
    original: ALB_NODE,
    error: null,
  });
});

test('a client-supplied X-Forwarded-For entry is not trusted: the last (ALB-appended) entry wins', () => {
  expect(through({ HTTP_X_FORWARDED_FOR: '1.2.3.4, 203.0.113.9' }).seen).toBe('203.0.113.9');
  expect(through({ HTTP_X_FORWARDED_FOR: '127.0.0.1,10.9.9.9 , 198.51.100.20' }).seen).toBe('198.51.100.20');
});

test('IPv6 clients and the ALB client-port format give the bare, normalised address', () => {
  expect(through({ HTTP_X_FORWARDED_FOR: '2001:DB8:0:0::7' }).seen).toBe('2001:db8::7');
  expect(through({ HTTP_X_FORWARDED_FOR: '203.0.113.9:51234' }).seen).toBe('203.0.113.9');
  expect(through({ HTTP_X_FORWARDED_FOR: '[2001:db8::7]:51234' }).seen).toBe('2001:db8::7');
});

test('without X-Forwarded-For (ALB health checks, calls from inside the VPC) the address is unchanged', () => {
  expect(through({})).toEqual({ seen: ALB_NODE, original: null, error: null });
  expect(through({ HTTP_X_FORWARDED_FOR: '  ' })).toEqual({ seen: ALB_NODE, original: null, error: null });
});

test('with proxy_mode off the headers are the client’s own and are ignored', () => {
  expect(through({ HTTP_X_FORWARDED_FOR: '203.0.113.9' }, { proxyMode: false })).toEqual({
    seen: ALB_NODE,
    original: null,
    error: null,
  });
});

test('with X-Forwarded-Host present the addon leaves the request to Odoo’s own ProxyFix (same one-hop rule)', () => {
  const seen = through({
    HTTP_X_FORWARDED_FOR: '1.2.3.4, 203.0.113.9',
    HTTP_X_FORWARDED_HOST: 'odoo.example.com',
  });
  // Odoo rewrote it (x_for=1, the last entry); the addon did not (nothing kept aside).
  expect(seen).toEqual({ seen: '203.0.113.9', original: null, error: null });
  // Odoo with proxy_mode off ignores X-Forwarded-Host too: nothing rewrites the address.
  expect(
    through(
      { HTTP_X_FORWARDED_FOR: '203.0.113.9', HTTP_X_FORWARDED_HOST: 'odoo.example.com' },
      { proxyMode: false },
    ).seen,
  ).toBe(ALB_NODE);
});

test('a public peer did not come through the ALB (tasks have no public address): its header is not trusted', () => {
  expect(through({ HTTP_X_FORWARDED_FOR: '203.0.113.9' }, { peer: '52.95.110.1' })).toEqual({
    seen: '52.95.110.1',
    original: null,
    error: null,
  });
});

test('garbage X-Forwarded-For leaves the address unchanged and never fails the request', () => {
  const garbage = [
    'unknown',
    '203.0.113.9, not-an-ip',
    '203.0.113.9,',
    '999.1.1.1',
    '1.2.3.4:port',
    '[::1',
    ',,,',
    'x'.repeat(10_000),
  ];
  const { results } = send(
    garbage.map((xff) => ({
      environ: { REMOTE_ADDR: ALB_NODE, HTTP_X_FORWARDED_FOR: xff },
      proxyMode: true,
    })),
  );
  expect(results).toEqual(garbage.map(() => ({ seen: ALB_NODE, original: null, error: null })));
});

test('a request without REMOTE_ADDR is passed on untouched', () => {
  const { results } = send([{ environ: { HTTP_X_FORWARDED_FOR: '203.0.113.9' }, proxyMode: true }]);
  expect(results).toEqual([{ seen: null, original: null, error: null }]);
});

test('the wrapper installs once per process: a second install wraps nothing', () => {
  expect(send([]).installs).toEqual([true, false]);
});

test('the manifest hook wraps the class, so the root instance Odoo servers already hold uses it', () => {
  const requests: Request[] = [
    { environ: { REMOTE_ADDR: ALB_NODE, HTTP_X_FORWARDED_FOR: '1.2.3.4, 203.0.113.9' }, proxyMode: true },
    // proxy_mode is read from odoo.tools.config on each request
    { environ: { REMOTE_ADDR: ALB_NODE, HTTP_X_FORWARDED_FOR: '203.0.113.9' }, proxyMode: false },
  ];
  expect(send(requests, true)).toEqual({
    installs: [false],
    results: [
      { seen: '203.0.113.9', original: ALB_NODE, error: null },
      { seen: ALB_NODE, original: null, error: null },
    ],
  });
});
