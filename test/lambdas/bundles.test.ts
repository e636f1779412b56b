import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from '../../lib/config/alerts';
import type { AlertSignal, LogMetricSpec } from '../../lib/config/alert-schema';
import { BUNDLE_BUDGET_BYTES } from '../../lib/constructs/bundling';
import { bundleLambda, lambdaNames } from '../../scripts/lambda-bundles';

/** Sizes are deterministic, so the budget is a test; load times are only measured (npm run bench). */
describe('Lambda bundles', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundles-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const bundles = new Map<string, ReturnType<typeof bundleLambda>>();
  const bundled = (name: string) => {
    if (!bundles.has(name)) bundles.set(name, bundleLambda(name, outdir));
    return bundles.get(name) as ReturnType<typeof bundleLambda>;
  };
  /** Each module of a bundle (repository-relative path), with the modules that import it. */
  const importers = async (name: string) => {
    const { metafile } = await bundled(name);
    const by = new Map<string, string[]>(Object.keys(metafile.inputs).map((p) => [p, []]));
    for (const [p, input] of Object.entries(metafile.inputs))
      for (const i of input.imports) by.get(i.path)?.push(p);
    return by;
  };

  test('every deployed function has a bundle', () => {
    expect(lambdaNames()).toEqual([
      'alarm-router',
      'backup-assess',
      'db-bootstrap',
      'disk-forecast',
      'edge-block',
      'escalation-await-ack',
      'escalation-notify',
      'escalation-register',
      'escalation-resolve',
      'escalation-ticket',
      'filestore-restore-validate',
      'health-probe',
      'incident-ack',
      'major-pagerduty',
      'major-record',
      'odoo-init-runner',
      'rds-ca-bundle',
      'restore-validate',
      'scale-observe',
      'scale-plan',
      'scale-record',
      'scale-verify',
      'stall-act',
      'stall-check',
      'stall-close',
    ]);
  });

  test.each(lambdaNames())(
    `%s stays within ${BUNDLE_BUDGET_BYTES / 1024} KiB, with the SDK bundled`,
    async (name) => {
      const { file, bytes } = await bundled(name);
      expect(bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
      const code = fs.readFileSync(file, 'utf8');
      expect(code).not.toMatch(/require\("@aws-sdk\//);
      // The environment-only credentials provider replaced the default chain.
      expect(code).not.toContain('credential-provider-sso');
    },
  );

  /** What only the constructs read: the log lines and filter patterns of the catalogue's alarms. */
  const logMetrics = (signal: AlertSignal): LogMetricSpec[] =>
    signal.type === 'log-metric'
      ? [signal.logMetric]
      : signal.type === 'metric-math'
        ? Object.values(signal.metrics).filter((m): m is LogMetricSpec => 'filterPattern' in m)
        : [];
  const infrastructureOnly = [...ALERT_CATALOGUE, ...INTERNAL_ALARM_CATALOGUE].flatMap(({ signal }) => [
    ...logMetrics(signal).flatMap((m) => [m.exampleLine, m.filterPattern]),
    ...(signal.type === 'contributor' ? [signal.exampleLine] : []),
  ]);

  test.each(lambdaNames())(
    '%s carries the runtime alert catalogue, not the alarm definitions',
    async (name) => {
      expect(infrastructureOnly.length).toBeGreaterThan(20);
      const { file, metafile } = await bundled(name);
      expect(Object.keys(metafile.inputs)).not.toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^lib\/config\/(alerts|alert-schema|schema|index)\.ts$/),
        ]),
      );
      const code = fs.readFileSync(file, 'utf8');
      const found = infrastructureOnly.filter(
        (text) => code.includes(text) || code.includes(JSON.stringify(text).slice(1, -1)),
      );
      expect(found).toEqual([]);
    },
  );

  test.each(lambdaNames())(
    '%s: the stand-ins of lib/constructs/bundling.ts replace only what no function uses',
    async (name) => {
      const by = await importers(name);
      const modules = [...by.keys()];
      // Neither the event-stream codecs nor mnemonist are bundled...
      expect(
        modules.filter((p) => /\/event-streams\/|node_modules\/(mnemonist|obliterator)\//.test(p)),
      ).toEqual([]);
      // ...and only the SDK's lazy load of event streams (HttpProtocol) reaches their stand-in: a
      // client whose operations stream events imports it itself, and is refused here, except the
      // CloudWatch Logs client, whose only streaming operation (StartLiveTail) must then be absent.
      const logsClient = [
        'node_modules/@aws-sdk/client-cloudwatch-logs/dist-es/runtimeConfig.js',
        'node_modules/@aws-sdk/client-cloudwatch-logs/dist-es/CloudWatchLogsClient.js',
      ];
      const standInUsers = by.get('lambdas/aws/no-event-streams.ts') ?? [];
      expect(standInUsers.filter((p) => !logsClient.includes(p))).toEqual(
        by.has('lambdas/aws/no-event-streams.ts')
          ? ['node_modules/@smithy/core/dist-es/submodules/protocols/HttpProtocol.js']
          : [],
      );
      if (standInUsers.some((p) => logsClient.includes(p))) {
        // The client's barrel lists every command; what matters is whether its code is bundled.
        const { metafile } = await bundled(name);
        const liveTail = Object.values(metafile.outputs).flatMap((o) =>
          Object.entries(o.inputs).filter(
            ([p, i]) => p.endsWith('/commands/StartLiveTailCommand.js') && i.bytesInOutput > 0,
          ),
        );
        expect(liveTail).toEqual([]);
      }
      expect(by.get('lambdas/aws/lru-cache.ts') ?? []).toEqual(
        by.has('lambdas/aws/lru-cache.ts')
          ? ['node_modules/@aws-sdk/endpoint-cache/dist-es/EndpointCache.js']
          : [],
      );
    },
  );
});
