import { COMPONENT_POLICIES, N8N_WORKER_CONCURRENCY } from '../../lib/config/components';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { BUSINESS_HOURS } from '../../lib/config/escalation';
import { isTimeZone } from '../../lib/config/schema';
import {
  ConfigError,
  ENVIRONMENT_NAMES,
  loadConfig,
  resolveAcknowledgers,
  validateConfig,
} from '../../lib/config';

const REGION = 'eu-west-1';

describe('the three environments', () => {
  test.each(ENVIRONMENT_NAMES)('%s loads and validates', (envName) => {
    const config = loadConfig({ envName, region: REGION });
    expect(config.env.name).toBe(envName);
    expect(config.env.region).toBe(REGION);
  });

  test('dev is chosen when no environment is named', () => {
    expect(loadConfig({ region: REGION }).env.name).toBe('dev');
  });

  test('scaling behaviour per environment is seed 001 "Environment Specific Policies"', () => {
    const scaling = Object.fromEntries(
      ENVIRONMENT_NAMES.map((e) => [e, loadConfig({ envName: e, region: REGION }).env.scaling]),
    );
    expect(scaling).toEqual({
      prod: { enabled: true, aggressiveness: 'moderate', costPriority: 'balanced' },
      staging: {
        enabled: true,
        aggressiveness: 'conservative',
        costPriority: 'cost-optimized',
        maxScalingRate: { odoo: { instances: 1, perSeconds: 300 } },
      },
      dev: { enabled: false, aggressiveness: 'conservative', costPriority: 'cost-optimized' },
    });
  });

  test("production capacity is the seeds': Odoo 2..10, n8n 1..5, GPU 1..5", () => {
    const { components } = loadConfig({ envName: 'prod', region: REGION });
    expect(components.odoo.capacity).toEqual({ min: 2, max: 10 });
    expect(components.n8n.capacity).toEqual({ min: 1, max: 5 });
    expect(components['flux-gpu'].capacity).toEqual({ min: 1, max: 5 });
  });

  test("recovery objectives are seed 003's in every environment", () => {
    for (const envName of ENVIRONMENT_NAMES) {
      const { backup } = loadConfig({ envName, region: REGION }).env;
      expect([backup.rpoMinutes, backup.rtoHours]).toEqual([15, 4]);
    }
  });

  test("who may acknowledge: each environment's on-call role in its own account, resolved by the stack", () => {
    const acknowledgers = Object.fromEntries(
      ENVIRONMENT_NAMES.map((e) => [e, loadConfig({ envName: e, region: REGION }).env.alerts.acknowledgers]),
    );
    expect(acknowledgers).toEqual({
      prod: ['arn:aws:iam::{account}:role/influencegen-prod-oncall'],
      staging: ['arn:aws:iam::{account}:role/influencegen-staging-oncall'],
      dev: ['arn:aws:iam::{account}:role/influencegen-dev-oncall'],
    });
    expect(resolveAcknowledgers(acknowledgers.prod ?? [], '123456789012')).toEqual([
      'arn:aws:iam::123456789012:role/influencegen-prod-oncall',
    ]);
    // Roles with a path (an SSO permission set's) and users, in any account, are accepted.
    const sso =
      'arn:aws:iam::210987654321:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_OnCall_0123456789abcdef';
    const config = validateConfig(
      {
        ...ENVIRONMENTS.prod,
        region: REGION,
        alerts: { ...ENVIRONMENTS.prod.alerts, acknowledgers: [sso, 'arn:aws:iam::123456789012:user/alice'] },
      },
      COMPONENT_POLICIES,
    );
    expect(config.env.alerts.acknowledgers).toEqual([sso, 'arn:aws:iam::123456789012:user/alice']);
  });

  test('context overrides the certificate and the domain', () => {
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e';
    const config = loadConfig({
      envName: 'prod',
      region: REGION,
      certificateArn: arn,
      odooDomainName: 'erp.example.org',
    });
    expect(config.env.odoo.certificateArn).toBe(arn);
    expect(config.env.odoo.domainName).toBe('erp.example.org');
  });
});

describe("the scaling rules are the seeds' numbers", () => {
  const rule = (component: keyof typeof COMPONENT_POLICIES, id: string) =>
    COMPONENT_POLICIES[component].rules.find((r) => r.id === id);

  test('Odoo (seed 002): CPU >= 70 % 2 of 3 +1, <= 30 % 4 of 5 -1, p95 >= 400 ms 2 of 2 +1', () => {
    expect(rule('odoo', 'cpu-high')).toMatchObject({
      comparison: '>=',
      threshold: 70,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      change: 1,
    });
    expect(rule('odoo', 'cpu-low')).toMatchObject({
      comparison: '<=',
      threshold: 30,
      evaluationPeriods: 5,
      datapointsToAlarm: 4,
      change: -1,
    });
    expect(rule('odoo', 'latency-p95-high')).toMatchObject({
      threshold: 400,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      change: 1,
    });
    expect(COMPONENT_POLICIES.odoo.cooldown).toEqual({ scaleUpSeconds: 300, scaleDownSeconds: 600 });
    // Seed 002's rate cap is an environment option: staging keeps it, prod (seed 000: "N/A") does not.
    expect(COMPONENT_POLICIES.odoo.maxScalingRate).toBeUndefined();
    expect(loadConfig({ envName: 'staging', region: REGION }).components.odoo.maxScalingRate).toEqual({
      instances: 1,
      perSeconds: 300,
    });
    expect(loadConfig({ envName: 'prod', region: REGION }).components.odoo.maxScalingRate).toBeUndefined();
    expect(COMPONENT_POLICIES.odoo.offPeak).toMatchObject({
      enabled: true,
      start: '00:00',
      end: '06:00',
      minCapacity: 2,
    });
  });

  test('GPU fleet (seed 001): backlog > 100, 1 of 2, +2; tasks per node 5/1; CPU 75/25; memory 80/40', () => {
    expect(rule('flux-gpu', 'queue-backlog-high')).toMatchObject({
      comparison: '>',
      threshold: 100,
      evaluationPeriods: 2,
      datapointsToAlarm: 1,
      change: 2,
    });
    expect(rule('flux-gpu', 'gpu-tasks-high')).toMatchObject({ threshold: 5, change: 1 });
    expect(rule('flux-gpu', 'gpu-tasks-low')).toMatchObject({ threshold: 1, change: -1 });
    expect([rule('flux-gpu', 'cpu-high')?.threshold, rule('flux-gpu', 'cpu-low')?.threshold]).toEqual([
      75, 25,
    ]);
    expect([rule('flux-gpu', 'memory-high')?.threshold, rule('flux-gpu', 'memory-low')?.threshold]).toEqual([
      80, 40,
    ]);
    expect(COMPONENT_POLICIES['flux-gpu'].scaleDownStep).toBe(1);
  });

  test('n8n: CPU 70/30 over 3 periods with 2 datapoints', () => {
    expect(rule('n8n', 'cpu-high')).toMatchObject({
      threshold: 70,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    expect(rule('n8n', 'cpu-low')).toMatchObject({
      threshold: 30,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
  });

  test('n8n workers (queue mode): jobs per worker above 70 % of the slots in 2 of 3 out, at most 30 % for 5 of 5 in', () => {
    expect(rule('n8n', 'queue-high')).toMatchObject({
      signal: 'workflow-queue-per-worker',
      comparison: '>',
      threshold: 0.7 * N8N_WORKER_CONCURRENCY,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      change: 1,
    });
    expect(rule('n8n', 'queue-low')).toMatchObject({
      signal: 'workflow-queue-per-worker',
      comparison: '<=',
      threshold: 0.3 * N8N_WORKER_CONCURRENCY,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      change: -1,
    });
    // Right-sized to 95 % of the slots, with a trigger at that target.
    expect(COMPONENT_POLICIES.n8n.rightSizing.targetUtilisation).toBe(95);
    expect(rule('n8n', 'queue-above-target')).toMatchObject({
      threshold: 0.95 * N8N_WORKER_CONCURRENCY,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
  });

  test.each(ENVIRONMENT_NAMES)(
    "%s deploys the worker concurrency n8n's queue rules are shares of",
    (envName) => {
      expect(loadConfig({ envName, region: REGION }).env.n8n.workerConcurrency).toBe(N8N_WORKER_CONCURRENCY);
    },
  );
});

describe('a bad value fails with a message that names the field', () => {
  const prod = ENVIRONMENTS.prod;
  const valid = { ...prod, region: REGION };
  type Mutation = (env: typeof valid) => unknown;
  const cases: Array<[string, Mutation, RegExp]> = [
    [
      'GPU type below 16 GiB',
      (e) => ({ ...e, flux: { ...e.flux, instanceTypes: ['g4ad.xlarge'] } }),
      /flux\.instanceTypes\.0: g4ad\.xlarge has 8 GiB/,
    ],
    [
      'unknown GPU type',
      (e) => ({ ...e, flux: { ...e.flux, instanceTypes: ['m5.large'] } }),
      /flux\.instanceTypes\.0: m5\.large is not a known GPU/,
    ],
    [
      'min above max',
      (e) => ({ ...e, capacity: { ...e.capacity, odoo: { min: 5, max: 3 } } }),
      /capacity\.odoo\.min: must not exceed/,
    ],
    [
      'capacity beyond the policy',
      (e) => ({ ...e, capacity: { ...e.capacity, n8n: { min: 1, max: 9 } } }),
      /capacity\.n8n: 1\.\.9 must lie within the policy's 1\.\.5/,
    ],
    [
      'zero minimum',
      (e) => ({ ...e, capacity: { ...e.capacity, 'flux-gpu': { min: 0, max: 5 } } }),
      /capacity\.flux-gpu\.min/,
    ],
    [
      'prod without Multi-AZ',
      (e) => ({ ...e, database: { ...e.database, multiAz: false } }),
      /database\.multiAz: production must run PostgreSQL Multi-AZ/,
    ],
    [
      'retention CloudWatch does not offer',
      (e) => ({ ...e, logRetentionDays: 10 }),
      /logRetentionDays: must be a CloudWatch Logs retention period/,
    ],
    [
      'bad email',
      (e) => ({ ...e, alerts: { ...e.alerts, emails: ['devops-at-example'] } }),
      /alerts\.emails\.0/,
    ],
    [
      'bad phone number',
      (e) => ({ ...e, alerts: { ...e.alerts, smsNumbers: ['0151 123'] } }),
      /alerts\.smsNumbers\.0: must be an E\.164 phone number/,
    ],
    [
      'an acknowledger that is not an ARN',
      (e) => ({ ...e, alerts: { ...e.alerts, acknowledgers: ['oncall'] } }),
      /alerts\.acknowledgers\.0: must be an IAM role or user ARN such as arn:aws:iam::123456789012:role\//,
    ],
    [
      'an IAM group as acknowledger',
      (e) => ({ ...e, alerts: { ...e.alerts, acknowledgers: ['arn:aws:iam::123456789012:group/oncall'] } }),
      /alerts\.acknowledgers\.0: an IAM group cannot acknowledge .* name the role its members assume/,
    ],
    [
      'a role session as acknowledger',
      (e) => ({
        ...e,
        alerts: { ...e.alerts, acknowledgers: ['arn:aws:sts::123456789012:assumed-role/oncall/alice'] },
      }),
      /alerts\.acknowledgers\.0: name the role .*, not one of its sessions/,
    ],
    [
      'a wildcard acknowledger',
      (e) => ({ ...e, alerts: { ...e.alerts, acknowledgers: ['arn:aws:iam::123456789012:role/*'] } }),
      /alerts\.acknowledgers\.0: must name one IAM role or user, without wildcards/,
    ],
    [
      'an acknowledger in a malformed account',
      (e) => ({ ...e, alerts: { ...e.alerts, acknowledgers: ['arn:aws:iam::12345:role/oncall'] } }),
      /alerts\.acknowledgers\.0: must be an IAM role or user ARN/,
    ],
    [
      'nobody may acknowledge',
      (e) => ({ ...e, alerts: { ...e.alerts, acknowledgers: [] } }),
      /alerts\.acknowledgers: must name at least one role or user/,
    ],
    [
      'bad certificate ARN',
      (e) => ({ ...e, odoo: { ...e.odoo, certificateArn: 'my-cert' } }),
      /odoo\.certificateArn: must be an ACM ARN/,
    ],
    [
      'Fargate memory out of range',
      (e) => ({ ...e, n8n: { ...e.n8n, memoryMiB: 1024 } }),
      /n8n\.memoryMiB: must be between 2x and 8x/,
    ],
    ['bad region', (e) => ({ ...e, region: 'Ireland' }), /region: must be an AWS region/],
    ['bad account', (e) => ({ ...e, account: '12345' }), /account: must be a 12-digit AWS account id/],
    [
      'more NAT gateways than AZs',
      (e) => ({ ...e, network: { ...e.network, natGateways: 3, availabilityZones: ['a', 'b'] } }),
      /network\.natGateways: must not exceed/,
    ],
    [
      'repeated AZ',
      (e) => ({ ...e, network: { ...e.network, availabilityZones: ['a', 'a'] } }),
      /network\.availabilityZones: must not repeat an AZ/,
    ],
    ['RPO missing', (e) => ({ ...e, backup: { ...e.backup, rpoMinutes: undefined } }), /backup\.rpoMinutes/],
    [
      'a rate cap of 0 instances',
      (e) => ({
        ...e,
        scaling: { ...e.scaling, maxScalingRate: { odoo: { instances: 0, perSeconds: 300 } } },
      }),
      /scaling\.maxScalingRate\.odoo\.instances/,
    ],
    [
      'a backup alert threshold inside the RPO',
      (e) => ({ ...e, backup: { ...e.backup, alertAfterMinutes: 10 } }),
      /backup\.alertAfterMinutes: must be at least backup\.rpoMinutes/,
    ],
    [
      'a re-run polled for longer than the RTO',
      (e) => ({ ...e, backup: { ...e.backup, rerunPoll: { ...e.backup.rerunPoll, giveUpMinutes: 300 } } }),
      /backup\.rerunPoll\.giveUpMinutes: must be within the RTO/,
    ],
    [
      'a daily retention keeping more recovery points than one read returns',
      (e) => ({ ...e, backup: { ...e.backup, dailyRetentionDays: 200 } }),
      /backup\.dailyRetentionDays: keeps more recovery points than the workflow reads in one call \(1000\)/,
    ],
    [
      'a stall judged on more datapoints than its window has',
      (e) => ({ ...e, gpuStall: { ...e.gpuStall, minDatapoints: 6 } }),
      /gpuStall\.minDatapoints: must be at most gpuStall\.windowMinutes/,
    ],
    [
      'a recheck after a task restart before the new task could be judged',
      (e) => ({ ...e, gpuStall: { ...e.gpuStall, restartWaitSeconds: 300 } }),
      /gpuStall\.restartWaitSeconds: must cover gpuStall\.taskStartGraceMinutes \+ windowMinutes/,
    ],
    [
      'a remediation budget share above the whole fleet',
      (e) => ({ ...e, gpuStall: { ...e.gpuStall, maxFleetShare: 1.5 } }),
      /gpuStall\.maxFleetShare/,
    ],
  ];

  test.each(cases)('%s', (_name, mutate, message) => {
    expect(() => validateConfig(mutate(valid), COMPONENT_POLICIES)).toThrow(message);
  });

  test('every problem is reported at once, under the environment name', () => {
    const bad = { ...valid, logRetentionDays: 10, region: 'nowhere' };
    expect(() => validateConfig(bad, COMPONENT_POLICIES)).toThrow(/environment "prod":\n {2}.*\n {2}/);
  });

  const policyCases: Array<[string, (p: (typeof COMPONENT_POLICIES)['odoo']) => unknown, RegExp]> = [
    [
      'datapoints above periods',
      (p) => ({ ...p, rules: [{ ...p.rules[0], datapointsToAlarm: 4, evaluationPeriods: 3 }] }),
      /components\.odoo\.rules\.0\.datapointsToAlarm: must not exceed evaluationPeriods/,
    ],
    [
      'scale-out rule triggering below its threshold',
      (p) => ({ ...p, rules: [{ ...p.rules[0], comparison: '<=' }] }),
      /components\.odoo\.rules\.0\.change/,
    ],
    [
      'zero change',
      (p) => ({ ...p, rules: [{ ...p.rules[0], change: 0 }] }),
      /components\.odoo\.rules\.0\.change: must not be 0/,
    ],
    [
      'duplicate rule ids',
      (p) => ({ ...p, rules: [p.rules[0], p.rules[0]] }),
      /components\.odoo\.rules: rule ids must be unique/,
    ],
    [
      'off-peak minimum above max',
      (p) => ({ ...p, offPeak: { ...p.offPeak, minCapacity: 11 } }),
      /components\.odoo\.offPeak\.minCapacity/,
    ],
    [
      'bad off-peak time',
      (p) => ({ ...p, offPeak: { ...p.offPeak, start: '25:00' } }),
      /components\.odoo\.offPeak\.start: must be a time of day/,
    ],
    [
      'a misspelt off-peak time zone (Intl would throw at run time)',
      (p) => ({ ...p, offPeak: { ...p.offPeak, timezone: 'Europe/Berln' } }),
      /components\.odoo\.offPeak\.timezone: must be an IANA time zone/,
    ],
    [
      'an empty off-peak time zone',
      (p) => ({ ...p, offPeak: { ...p.offPeak, timezone: '' } }),
      /components\.odoo\.offPeak\.timezone: must be an IANA time zone/,
    ],
    [
      'a right-sizing target above 100 %',
      (p) => ({ ...p, rightSizing: { ...p.rightSizing, targetUtilisation: 120 } }),
      /components\.odoo\.rightSizing\.targetUtilisation/,
    ],
    [
      'a scale-in window shorter than the scale-out peak (a scale-in the next scale-out undoes)',
      (p) => ({ ...p, rightSizing: { ...p.rightSizing, scaleInAfterMinutes: 3 } }),
      /components\.odoo\.rightSizing\.scaleInAfterMinutes: must be at least peakMinutes/,
    ],
    [
      'a right-sizing window longer than the 30 minutes the plan reads',
      (p) => ({ ...p, rightSizing: { ...p.rightSizing, scaleInAfterMinutes: 31 } }),
      /components\.odoo\.rightSizing\.scaleInAfterMinutes/,
    ],
    [
      "seed 002's rate cap set in the policy instead of the environment",
      (p) => ({ ...p, maxScalingRate: { instances: 1, perSeconds: 300 } }),
      /components\.odoo\.maxScalingRate: set it per environment/,
    ],
    [
      'a runaway budget of one direction change (every flash crowd would pause)',
      (p) => ({ ...p, runawayMaxReversalsPerHour: 1 }),
      /components\.odoo\.runawayMaxReversalsPerHour/,
    ],
  ];

  test.each(policyCases)('policy: %s', (_name, mutate, message) => {
    const policies = { ...COMPONENT_POLICIES, odoo: mutate(COMPONENT_POLICIES.odoo) };
    expect(() => validateConfig(valid, policies)).toThrow(message);
  });

  test.each(['Europe/Berlin', 'UTC', 'Etc/UTC', 'America/New_York'])(
    'off-peak time zone %s is one Intl knows, and passes',
    (timezone) => {
      const odoo = { ...COMPONENT_POLICIES.odoo, offPeak: { ...COMPONENT_POLICIES.odoo.offPeak, timezone } };
      expect(validateConfig(valid, { ...COMPONENT_POLICIES, odoo }).components.odoo.offPeak.timezone).toBe(
        timezone,
      );
    },
  );

  test('the time zones the config holds outside the schema are ones Intl knows (business hours)', () => {
    expect(isTimeZone(BUSINESS_HOURS.timezone)).toBe(true);
    expect(isTimeZone('Europe/Berln')).toBe(false);
  });

  test('an unknown environment names the valid ones', () => {
    expect(() => loadConfig({ envName: 'qa', region: REGION })).toThrow(
      /Unknown environment "qa": expected one of prod, staging, dev/,
    );
  });

  test('a missing region says how to give one', () => {
    expect(() => loadConfig({ envName: 'dev' })).toThrow(/region: required; pass --context region=/);
  });

  test('errors are ConfigErrors, so the app prints them without a stack trace', () => {
    expect(() => loadConfig({ envName: 'qa', region: REGION })).toThrow(ConfigError);
  });
});
