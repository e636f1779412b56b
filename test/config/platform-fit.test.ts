import { COMPONENT_POLICIES } from '../../lib/config/components';
import { connectionBudget } from '../../lib/config/connection-budget';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { ENVIRONMENT_NAMES, loadConfig, validateConfig, type EnvironmentConfig } from '../../lib/config';
import { odooProcessSizing } from '../../lib/config/odoo-sizing';

const REGION = 'eu-west-1';
const prodEnv = (): EnvironmentConfig => ({ ...ENVIRONMENTS.prod, region: REGION });

describe("Odoo's prefork server, sized from its task (Odoo's deployment guide)", () => {
  test('prod (4 vCPU, 16 GiB): 2 x 4 + 1 = 9 workers, 2 cron, limits within the task, 64 connections a task', () => {
    expect(odooProcessSizing(loadConfig({ envName: 'prod', region: REGION }).env.odoo)).toEqual({
      vcpus: 4,
      workers: 9,
      maxCronThreads: 2,
      // 90 % of 16,384 MiB shared by 9 workers + 2 cron + 1 gevent = 1,228 MiB each; soft 80 % of it.
      limitMemoryHardMiB: 1228,
      limitMemorySoftMiB: 982,
      dbMaxConn: 4,
      dbMaxConnGevent: 16,
      connectionsPerTask: (9 + 2 + 1) * 4 + 16,
    });
  });

  test('memory caps the workers before the limits shrink below 768 MiB (dev: 1 vCPU, 4 GiB)', () => {
    const dev = odooProcessSizing(loadConfig({ envName: 'dev', region: REGION }).env.odoo);
    // By CPU 3 workers; 3,686 MiB holds 4 processes at 768 MiB: 1 cron + 1 gevent leave 2 workers.
    expect(dev.workers).toBe(2);
    expect(dev.limitMemoryHardMiB).toBeGreaterThanOrEqual(768);
    const processes = dev.workers + dev.maxCronThreads + 1;
    expect(processes * dev.limitMemoryHardMiB).toBeLessThanOrEqual(4096 * 0.9);
  });

  test('every process at its hard limit fits in the task, in every environment', () => {
    for (const envName of ENVIRONMENT_NAMES) {
      const { odoo } = loadConfig({ envName, region: REGION }).env;
      const s = odooProcessSizing(odoo);
      expect((s.workers + s.maxCronThreads + 1) * s.limitMemoryHardMiB).toBeLessThanOrEqual(odoo.memoryMiB);
      expect(s.limitMemorySoftMiB).toBeLessThan(s.limitMemoryHardMiB);
    }
  });
});

describe('the PostgreSQL connection budget, checked at synth', () => {
  test.each(ENVIRONMENT_NAMES)('%s fits its instance class', (envName) => {
    const { env, components } = loadConfig({ envName, region: REGION });
    const budget = connectionBudget(env, components);
    expect(budget.fits).toBe(true);
    expect(budget.total).toBeLessThanOrEqual(env.database.maxConnections - env.database.reservedConnections);
  });

  test('prod at every maximum: 10 Odoo tasks x 64 + init 4 + n8n (5 workers + main) x 2 + bootstrap 1 + rotation 6 = 663 of 896', () => {
    const { env, components } = loadConfig({ envName: 'prod', region: REGION });
    const budget = connectionBudget(env, components);
    expect(Object.fromEntries(budget.terms.map((t) => [t.name, t.connections]))).toEqual({
      odoo: 640,
      'odoo-init': 4,
      n8n: 12,
      'control-plane': 1,
      rotation: 6,
    });
    expect([budget.total, budget.available]).toEqual([663, 896]);
  });

  test('a budget that overflows fails synth naming the numbers and the field', () => {
    const overflowing = { ...prodEnv(), odoo: { ...prodEnv().odoo, dbMaxConnPerProcess: 8 } };
    // 10 x ((9 + 2 + 1) x 8 + 16) = 1,120 for Odoo alone, above 901 - 5.
    expect(() => validateConfig(overflowing, COMPONENT_POLICIES)).toThrow(
      /database\.maxConnections: the connection budget needs 1147 connections \(odoo 1120 \(10 tasks x \(\(9 workers \+ 2 cron \+ 1 master\) x db_maxconn 8 \+ db_maxconn_gevent 16\)\) \+ odoo-init 8 .*\) but only 896 are available \(max_connections 901 - 5 reserved\)/,
    );
  });

  test('a smaller instance class with the same fleet fails the same way', () => {
    const small = { ...prodEnv(), database: { ...prodEnv().database, maxConnections: 450 } };
    expect(() => validateConfig(small, COMPONENT_POLICIES)).toThrow(
      /needs 663 connections .* only 445 are available/,
    );
  });

  test('a task too small for one worker fails naming odoo.memoryMiB', () => {
    const tiny = { ...prodEnv(), odoo: { ...prodEnv().odoo, cpu: 1024, memoryMiB: 2048, maxCronThreads: 2 } };
    expect(() => validateConfig(tiny, COMPONENT_POLICIES)).toThrow(
      /odoo\.memoryMiB: 2048 MiB leaves no Odoo worker/,
    );
  });
});

describe('bad platform settings fail at synth, naming the field', () => {
  const cases: Array<[string, (e: EnvironmentConfig) => unknown, RegExp]> = [
    [
      'a module list with a name Odoo cannot have',
      (e) => ({ ...e, odoo: { ...e.odoo, modules: ['base', 'Influence-Gen Signals'] } }),
      /odoo\.modules\.1: must be an Odoo module name/,
    ],
    ['an empty module list', (e) => ({ ...e, odoo: { ...e.odoo, modules: [] } }), /odoo\.modules/],
    [
      'a WAF block with a malformed CIDR',
      (e) => ({ ...e, waf: { ...e.waf, blockedCidrs: ['203.0.113.0/24', '203.0.113.300/32'] } }),
      /waf\.blockedCidrs\.1: must be an IPv4 CIDR/,
    ],
    [
      'a never-block range without its prefix length',
      (e) => ({ ...e, waf: { ...e.waf, neverBlockCidrs: ['198.51.100.7'] } }),
      /waf\.neverBlockCidrs\.0: must be an IPv4 CIDR/,
    ],
    [
      'a WAF rate limit below what WAF accepts',
      (e) => ({ ...e, waf: { ...e.waf, rateLimitPerFiveMinutes: 5 } }),
      /waf\.rateLimitPerFiveMinutes/,
    ],
    [
      'a filestore backup more often than AWS Backup schedules EFS',
      (e) => ({ ...e, backup: { ...e.backup, filestoreBackupEveryMinutes: 15 } }),
      /backup\.filestoreBackupEveryMinutes: must be at least 60/,
    ],
    [
      'a filestore backup interval that is not whole hours dividing a day',
      (e) => ({ ...e, backup: { ...e.backup, filestoreBackupEveryMinutes: 90 } }),
      /backup\.filestoreBackupEveryMinutes: must be a whole number of hours/,
    ],
    [
      'an admin login that is not an email',
      (e) => ({ ...e, odoo: { ...e.odoo, adminLogin: 'admin' } }),
      /odoo\.adminLogin/,
    ],
    [
      'a hosted zone id of the wrong shape',
      (e) => ({ ...e, odoo: { ...e.odoo, hostedZone: { id: 'my-zone', name: 'influencegen.example.com' } } }),
      /odoo\.hostedZone\.id: must be a Route 53 hosted zone id/,
    ],
    [
      'no GPU host of headroom (a revision could not roll at the ceiling)',
      (e) => ({ ...e, flux: { ...e.flux, deployHeadroomHosts: 0 } }),
      /flux\.deployHeadroomHosts/,
    ],
  ];
  test.each(cases)('%s', (_name, mutate, message) => {
    expect(() => validateConfig(mutate(prodEnv()), COMPONENT_POLICIES)).toThrow(message);
  });

  test('a valid CIDR list passes', () => {
    const ok = {
      ...prodEnv(),
      waf: { ...prodEnv().waf, blockedCidrs: ['203.0.113.0/24', '198.51.100.7/32'] },
    };
    expect(() => validateConfig(ok, COMPONENT_POLICIES)).not.toThrow();
  });
});
