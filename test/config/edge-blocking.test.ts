import { parseEdgeConfig } from '../../lambdas/aws/edge-config';
import { EdgeMetrics } from '../../lambdas/aws/edge-metrics';
import { AlertDefinitionSchema } from '../../lib/config/alert-schema';
import {
  EDGE_BLOCKING_DEFAULTS,
  EDGE_TIMING,
  EdgeBlockingSchema,
  edgeBlockingConfig,
  type EdgeBlockingConfig,
} from '../../lib/config/edge-blocking';
import { EDGE_RUNTIME_ALERTS } from '../../lib/config/edge-blocking-alert-runtime';
import { EDGE_CATALOGUE_INFRASTRUCTURE } from '../../lib/config/edge-blocking-alerts';

describe('edgeBlocking config', () => {
  test("every environment's defaults are valid and hold seed 004's thresholds", () => {
    for (const config of Object.values(EDGE_BLOCKING_DEFAULTS)) {
      expect(edgeBlockingConfig(config)).toEqual(config);
      expect(config).toMatchObject({ windowMinutes: 15, failedLoginsPerAdmin: 5, distinctAdminAccounts: 3 });
    }
  });

  test('the fixed timings fit together: a live run never loses its claim, its WAF retries fit its timeout', () => {
    const longestQuery = EdgeBlockingSchema.shape.queryTimeoutSeconds.maxValue ?? Infinity;
    const longestRun = longestQuery + EDGE_TIMING.runMarginSeconds;
    // Lambda's own ceiling is 15 minutes; a claim is taken over only once no run can still hold it.
    expect(longestRun).toBeLessThanOrEqual(15 * 60);
    expect(EDGE_TIMING.pendingStaleMinutes * 60).toBeGreaterThanOrEqual(longestRun);
    const { attempts, baseDelayMs } = EDGE_TIMING.wafRetry;
    const longestBackoffMs = baseDelayMs * (2 ** (attempts - 1) - 1);
    // The sweep and at least ten blocks' worst-case retries within the margin.
    expect(11 * longestBackoffMs).toBeLessThanOrEqual(EDGE_TIMING.runMarginSeconds * 1000);
    // The schedule comes around several times per window, so a block lands while the attack goes on.
    for (const config of Object.values(EDGE_BLOCKING_DEFAULTS))
      expect(config.windowMinutes / config.everyMinutes).toBeGreaterThanOrEqual(3);
  });

  const withField = (patch: Partial<Record<keyof EdgeBlockingConfig, unknown>>) => () =>
    edgeBlockingConfig({ ...EDGE_BLOCKING_DEFAULTS.prod, ...patch });

  test('a bad range fails naming the field and its index', () => {
    expect(withField({ allowList: ['198.51.100.0/24', '198.51.100.7/24'] })).toThrow(
      /^edgeBlocking\.allowList\.1: must be a CIDR range with no host bits set/,
    );
    expect(withField({ allowList: ['2001:db8::/129'] })).toThrow(
      /^edgeBlocking\.allowList\.0: must be a CIDR/,
    );
    expect(withField({ allowList: ['office'] })).toThrow(/^edgeBlocking\.allowList\.0:/);
    expect(withField({ allowList: ['2001:db8::/32', '203.0.113.0/24'] })).not.toThrow();
  });

  test('other fields fail naming themselves', () => {
    expect(withField({ adminLogins: ['ad"min'] })).toThrow(
      /^edgeBlocking\.adminLogins\.0: must not contain quotes/,
    );
    expect(withField({ maxBlockedAddresses: 20_000 })).toThrow(/^edgeBlocking\.maxBlockedAddresses:/);
    expect(withField({ blockMinutes: 0 })).toThrow(/^edgeBlocking\.blockMinutes:/);
    expect(withField({ surprise: true } as never)).toThrow(/^edgeBlocking\.: Unrecognized key/);
  });

  test("the function's copy is checked for shape, naming the field", () => {
    const good = {
      settings: EDGE_BLOCKING_DEFAULTS.prod,
      ipSet: { name: 'n', id: 'i', scope: 'REGIONAL', version: 'IPV4' },
      logGroupName: '/odoo',
    };
    expect(parseEdgeConfig(good).settings.failedLoginsPerAdmin).toBe(5);
    expect(() => parseEdgeConfig({ ...good, ipSet: { ...good.ipSet, scope: 'GLOBAL' } })).toThrow(
      'EDGE_BLOCKING_CONFIG.ipSet.scope: expected one of REGIONAL|CLOUDFRONT',
    );
    expect(() => parseEdgeConfig({ ...good, settings: { ...good.settings, windowMinutes: '15' } })).toThrow(
      'EDGE_BLOCKING_CONFIG.settings.windowMinutes: expected a positive number',
    );
  });
});

describe('the catalogue halves', () => {
  test('a security alert whose runtime entry and alarm pair up by name, on the detector metric above 3', () => {
    expect(EDGE_RUNTIME_ALERTS.map((a) => a.name)).toEqual(Object.keys(EDGE_CATALOGUE_INFRASTRUCTURE));
    const alert = EDGE_RUNTIME_ALERTS.find(
      (a) => a.name === 'Multiple_Admin_Failed_Logins_Different_Accounts_Same_IP',
    );
    expect(alert).toMatchObject({ security: true, severity: 'Critical', suppressedByMaintenance: false });
    const infra = EDGE_CATALOGUE_INFRASTRUCTURE[alert?.name ?? ''];
    expect(infra?.signal).toMatchObject({
      type: 'metric',
      metric: {
        namespace: 'InfluenceGen/EdgeBlocking',
        metricName: 'DistinctAdminAccountsFailedPerIp',
        statistic: 'Maximum',
      },
      comparison: '>',
      threshold: 3,
    });
  });

  test('every entry composes into a valid catalogue definition (the schema the catalogue checks)', () => {
    for (const alert of EDGE_RUNTIME_ALERTS) {
      const infra = EDGE_CATALOGUE_INFRASTRUCTURE[alert.name];
      const parsed = AlertDefinitionSchema.safeParse({
        ...alert,
        signal: infra?.signal,
        source: infra?.source,
      });
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
  });

  test('the failure alarm reads the datapoints the detector emits: no dimensions, as emitted', () => {
    const lines: string[] = [];
    new EdgeMetrics((line) => lines.push(line)).emit('failures', 1);
    const doc = JSON.parse(lines[0] ?? '{}') as {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    };
    const [directive] = doc._aws.CloudWatchMetrics;
    const signal = EDGE_CATALOGUE_INFRASTRUCTURE.Edge_Blocking_Detector_Failing?.signal;
    expect(signal?.type === 'metric' && signal.metric).toMatchObject({
      namespace: directive?.Namespace,
      metricName: directive?.Metrics[0]?.Name,
      dimensions: {},
    });
    expect(directive?.Dimensions).toEqual([[]]);
  });
});
