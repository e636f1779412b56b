import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { PROBE_FUNCTION_TIMEOUT_SECONDS, PROBE_TIMEOUT_SECONDS } from '../../lib/config/probes';
import { readProbeConfig } from '../../lambdas/aws/probe-config';
import { handler, makeProbeHandler, type ProbeDeps, type ProbeResult } from '../../lambdas/health-probe';
import { httpGet } from '../../lambdas/health-probe/http-get';
import { makeTestCa, type TestCa } from '../support/tls-ca';

/**
 * The health probe against real servers on 127.0.0.1 started here: Odoo 18's login page and n8n's
 * readiness answer as the deployed versions serve them, and every way a probe fails (a 502, a
 * server that never answers, a certificate nobody trusts, a 200 with the wrong body, a redirect, a
 * name that does not resolve). The timeout is injected (250 ms) so the test is quick; the deployed
 * value is asserted separately.
 */

/** The part of Odoo 18's web.login page (addons/web/views/webclient_templates.xml) the probe reads. */
const ODOO_LOGIN_PAGE = `<!DOCTYPE html><html><head><title>Odoo</title></head><body class="bg-100">
<div class="container py-5"><form class="oe_login_form " role="form" action="/web/login" method="post">
<input type="hidden" name="csrf_token" value="4f0e"/>
<input type="text" placeholder="Email" name="login" id="login" class="form-control"/>
<input type="password" placeholder="Password" name="password" id="password" class="form-control password-input"/>
<button type="submit" class="btn btn-primary">Log in</button></form></div></body></html>`;

type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const ROUTES: Record<string, Route> = {
  '/healthy/web/login': (_q, s) => s.writeHead(200, { 'content-type': 'text/html' }).end(ODOO_LOGIN_PAGE),
  '/healthy/healthz/readiness': (_q, s) =>
    s.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'),
  '/bad-gateway/web/login': (_q, s) => s.writeHead(502).end('<html><body>502 Bad Gateway</body></html>'),
  '/bad-gateway/healthz/readiness': (_q, s) => s.writeHead(503).end('{"status":"error"}'),
  '/garbage/web/login': (_q, s) =>
    s.writeHead(200, { 'content-type': 'text/html' }).end('\u0000\u00ff{not html'),
  '/garbage/healthz/readiness': (_q, s) => s.writeHead(200).end('{"status":"starting"}'),
  '/redirect/web/login': (_q, s) => s.writeHead(303, { location: '/web/database/selector' }).end(),
  // Never answers: headers never come.
  '/hang/web/login': () => undefined,
  '/hang/healthz/readiness': () => undefined,
};
const handle: Route = (req, res) => (ROUTES[req.url ?? ''] ?? ((_q, s) => s.writeHead(404).end()))(req, res);

let plain: http.Server;
let tls: https.Server;
let ca: TestCa;
let base: string;
let tlsBase: string;
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  ca = makeTestCa();
  plain = http.createServer(handle);
  tls = https.createServer(
    { cert: fs.readFileSync(ca.server.certFile), key: fs.readFileSync(ca.server.keyFile) },
    handle,
  );
  for (const server of [plain, tls]) server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  tlsBase = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => plain.close(r));
  await new Promise((r) => tls.close(r));
  ca.remove();
});

/** The injected timeout of the probes of servers that never answer; the others get 5 s (a loaded CI). */
const TIMEOUT_MS = 250;
const ANSWERING_MS = 5_000;

function deps(prefix: string, over: Partial<ProbeDeps> = {}) {
  const documents: Array<Record<string, unknown>> = [];
  const d: ProbeDeps = {
    config: {
      zone: 'eu-west-1b',
      timeoutMs: prefix === 'hang' ? TIMEOUT_MS : ANSWERING_MS,
      targets: { odoo: `${base}/${prefix}`, n8n: `${base}/${prefix}/` },
    },
    get: (url, timeoutMs) => httpGet(url, { timeoutMs }),
    writeMetrics: (doc) => documents.push(doc),
    logger: new Logger({ logLevel: 'SILENT' }),
    now: () => new Date('2026-12-04T05:00:00.000Z'),
    elapsed: () => performance.now(),
    ...over,
  };
  return { deps: d, documents };
}

const validate = async (prefix: string, target: 'odoo' | 'n8n', over: Partial<ProbeDeps> = {}) =>
  (await makeProbeHandler(deps(prefix, over).deps)({
    mode: 'validate',
    target,
    executionId: 'exec-1',
  })) as ProbeResult;

describe('validate mode: the result the escalation workflow reads', () => {
  test('Odoo login page with its form -> HEALTHY, with the URL, status and duration', async () => {
    const result = await validate('healthy', 'odoo');
    expect(result).toEqual({
      status: 'HEALTHY',
      target: 'odoo',
      url: `${base}/healthy/web/login`,
      httpStatus: 200,
      durationMs: expect.any(Number) as number,
      reason: 'HTTP 200 with the expected content',
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('n8n\'s readiness {"status":"ok"} -> HEALTHY; the trailing slash of the base URL is dropped', async () => {
    const result = await validate('healthy', 'n8n');
    expect(result).toMatchObject({ status: 'HEALTHY', url: `${base}/healthy/healthz/readiness` });
  });

  test('a 502 from the ALB -> UNHEALTHY naming the status', async () => {
    expect(await validate('bad-gateway', 'odoo')).toMatchObject({
      status: 'UNHEALTHY',
      httpStatus: 502,
      reason: 'HTTP 502, expected 200',
    });
    expect(await validate('bad-gateway', 'n8n')).toMatchObject({ status: 'UNHEALTHY', httpStatus: 503 });
  });

  test('a server that never answers -> UNHEALTHY at the timeout, not later', async () => {
    const started = Date.now();
    const result = await validate('hang', 'odoo');
    const took = Date.now() - started;
    expect(result).toMatchObject({ status: 'UNHEALTHY', reason: `no answer within ${TIMEOUT_MS} ms` });
    expect(result.httpStatus).toBeUndefined();
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    // Well short of anything but the injected timeout (the deployed one is 30 s).
    expect(took).toBeLessThan(TIMEOUT_MS + 1_500);
  });

  test('a 200 with garbage instead of the login form -> UNHEALTHY naming what is missing', async () => {
    expect(await validate('garbage', 'odoo')).toMatchObject({
      status: 'UNHEALTHY',
      httpStatus: 200,
      reason: `HTTP 200 but the body lacks 'oe_login_form', 'name="login"', 'name="password"'`,
    });
    expect(await validate('garbage', 'n8n')).toMatchObject({
      status: 'UNHEALTHY',
      reason: `HTTP 200 but the body lacks '"status":"ok"'`,
    });
  });

  test('a redirect (to the database selector) -> UNHEALTHY, not followed', async () => {
    expect(await validate('redirect', 'odoo')).toMatchObject({
      status: 'UNHEALTHY',
      httpStatus: 303,
      reason: 'redirected (303) to /web/database/selector',
    });
  });

  test('TLS: a certificate the probe does not trust -> UNHEALTHY as a TLS failure; trusted -> HEALTHY', async () => {
    const untrusted = await validate('healthy', 'odoo', {
      config: { zone: 'z', timeoutMs: 5_000, targets: { odoo: `${tlsBase}/healthy`, n8n: tlsBase } },
    });
    expect(untrusted.status).toBe('UNHEALTHY');
    expect(untrusted.reason).toMatch(
      /^TLS failure \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/,
    );
    const trusted = await validate('healthy', 'odoo', {
      config: { zone: 'z', timeoutMs: 5_000, targets: { odoo: `${tlsBase}/healthy`, n8n: tlsBase } },
      get: (url, timeoutMs) => httpGet(url, { timeoutMs, ca: ca.ca.pem }),
    });
    expect(trusted).toMatchObject({ status: 'HEALTHY', httpStatus: 200 });
  });

  test('a connection refused and an unresolvable name -> UNHEALTHY with the cause', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await validate('x', 'odoo', {
      config: { zone: 'z', timeoutMs: 2_000, targets: { odoo: `http://127.0.0.1:${port}`, n8n: base } },
    });
    expect(refused).toMatchObject({ status: 'UNHEALTHY' });
    expect(refused.reason).toMatch(/^connection refused/);
    const dns = await validate('x', 'odoo', {
      config: { zone: 'z', timeoutMs: 1_500, targets: { odoo: 'http://odoo.probe-test.invalid', n8n: base } },
    });
    expect(dns.status).toBe('UNHEALTHY');
    // Offline resolvers answer ENOTFOUND or EAI_AGAIN; either way no exception and a reason.
    expect(dns.reason).toMatch(/^(DNS lookup failed \((ENOTFOUND|EAI_AGAIN)\)|no answer within)/);
  });

  test.each([
    [null, 'event: must be an object with a mode'],
    [{ mode: 'probe' }, 'mode: must be "scheduled" or "validate"'],
    [{ mode: 'validate', target: 'postgres', executionId: 'e' }, 'target: must be one of odoo, n8n'],
    [{ mode: 'validate', target: 'odoo' }, 'executionId: must be a non-empty string'],
    [{ mode: 'validate', target: 'odoo', executionId: ' ' }, 'executionId: must be a non-empty string'],
  ])('malformed input %j fails naming the field, before any request', async (event, message) => {
    const requested: string[] = [];
    const { deps: d } = deps('healthy', {
      get: async (url) => {
        requested.push(url);
        return { kind: 'timeout', afterMs: 0 };
      },
    });
    await expect(makeProbeHandler(d)(event)).rejects.toThrow(message);
    expect(requested).toEqual([]);
  });
});

describe('scheduled mode: one AZ agent publishes both targets', () => {
  test('healthy Odoo, failing n8n: ProbeSuccess 1 and 0 by Target and AZ and by Target alone', async () => {
    const { deps: d, documents } = deps('healthy');
    const mixed: ProbeDeps = {
      ...d,
      config: { ...d.config, targets: { odoo: `${base}/healthy`, n8n: `${base}/bad-gateway` } },
    };
    const round = await makeProbeHandler(mixed)({ mode: 'scheduled' });
    expect(round).toMatchObject({ status: 'PUBLISHED', zone: 'eu-west-1b' });
    expect(documents).toHaveLength(2);
    const byTarget = Object.fromEntries(documents.map((doc) => [doc.Target, doc]));
    for (const [target, success] of [
      ['odoo', 1],
      ['n8n', 0],
    ] as const) {
      const doc = byTarget[target] as Record<string, unknown>;
      expect(doc).toMatchObject({
        _aws: {
          Timestamp: Date.parse('2026-12-04T05:00:00.000Z'),
          CloudWatchMetrics: [
            {
              Namespace: 'InfluenceGen/Probes',
              Dimensions: [['Target', 'AvailabilityZone'], ['Target']],
              Metrics: [
                { Name: 'ProbeSuccess', Unit: 'Count' },
                { Name: 'ProbeLatencyMs', Unit: 'Milliseconds' },
              ],
            },
          ],
        },
        Target: target,
        AvailabilityZone: 'eu-west-1b',
        ProbeSuccess: success,
      });
      expect(doc.ProbeLatencyMs).toEqual(expect.any(Number));
    }
  });

  test('both targets hanging: both published as failures after one timeout (probed in parallel)', async () => {
    const { deps: d, documents } = deps('hang');
    const slow = { ...d, config: { ...d.config, timeoutMs: 800 } };
    const started = Date.now();
    await makeProbeHandler(slow)({ mode: 'scheduled' });
    // One after the other would take at least 1,600 ms.
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(documents.map((doc) => [doc.Target, doc.ProbeSuccess])).toEqual([
      ['odoo', 0],
      ['n8n', 0],
    ]);
  });

  test('the deployed handler: PROBE_CONFIG from the environment, EMF lines on stdout', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const saved = process.env.PROBE_CONFIG;
    process.env.PROBE_CONFIG = JSON.stringify({
      zone: 'eu-west-1c',
      timeoutMs: ANSWERING_MS,
      targets: { odoo: `${base}/healthy`, n8n: `${base}/healthy` },
    });
    try {
      await handler({ mode: 'scheduled' });
    } finally {
      spy.mockRestore();
      if (saved === undefined) delete process.env.PROBE_CONFIG;
      else process.env.PROBE_CONFIG = saved;
    }
    const emf = written
      .flatMap((w) => w.split('\n'))
      .filter((l) => l.includes('"CloudWatchMetrics"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(emf.map((d) => [d.Target, d.AvailabilityZone, d.ProbeSuccess])).toEqual([
      ['odoo', 'eu-west-1c', 1],
      ['n8n', 'eu-west-1c', 1],
    ]);
  });
});

describe('configuration', () => {
  test("the deployed timeout is seed 004's 30 seconds, inside the function's own", () => {
    expect(PROBE_TIMEOUT_SECONDS).toBe(30);
    // A slow target must end as an UNHEALTHY result, never as the function timing out.
    expect(PROBE_FUNCTION_TIMEOUT_SECONDS).toBeGreaterThan(PROBE_TIMEOUT_SECONDS);
  });

  test.each([
    ['', 'PROBE_CONFIG: must be JSON'],
    ['{"timeoutMs":30000,"targets":{}}', 'PROBE_CONFIG.zone: '],
    ['{"zone":"a","timeoutMs":0,"targets":{}}', 'PROBE_CONFIG.timeoutMs: '],
    ['{"zone":"a","timeoutMs":1,"targets":{"odoo":"https://x"}}', 'PROBE_CONFIG.targets.n8n: '],
    [
      '{"zone":"a","timeoutMs":1,"targets":{"odoo":"https://x","n8n":"ftp://y"}}',
      'PROBE_CONFIG.targets.n8n: must be an http(s) URL',
    ],
  ])('PROBE_CONFIG %s fails naming the field', (value, message) => {
    expect(() => readProbeConfig({ PROBE_CONFIG: value })).toThrow(
      `Invalid function configuration: ${message}`,
    );
  });

  test('a well-formed PROBE_CONFIG is read as given', () => {
    const config = {
      zone: 'eu-west-1a',
      timeoutMs: 30_000,
      targets: { odoo: 'https://erp', n8n: 'http://n8n' },
    };
    expect(readProbeConfig({ PROBE_CONFIG: JSON.stringify(config) })).toEqual(config);
  });
});
