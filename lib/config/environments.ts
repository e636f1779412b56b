import { DISK_FORECAST_DEFAULTS } from './disk-forecast';
import { EDGE_BLOCKING_DEFAULTS } from './edge-blocking';
import { GPU_BUDGET_DEFAULTS } from './gpu-budget';
import { PROBES_DEFAULTS } from './probes-schema';
import { TICKETING_DEFAULTS } from './ticketing';
import { MAJOR_INCIDENT_DEFAULTS } from './major-incidents';
import { N8N_IMAGE, N8N_WORKER_CONCURRENCY } from './n8n';
import { ACCOUNT_PLACEHOLDER, type EnvironmentConfig, type EnvironmentName } from './schema';

/**
 * One entry per environment. Scaling behaviour is seed 001's "Environment Specific Policies";
 * sizes follow seed 000's instance specifications (Odoo 4 vCPU / 16 GB, n8n 2 vCPU / 8 GB);
 * recovery objectives are seed 003's (RPO 15 min, RTO 4 h); recipients are seed 004's defaults.
 * Account and region are not here: they come from context or the CDK environment (lib/config/index.ts).
 * `domainName` and the alert recipients are the organisation's to set before a first deploy.
 */
type EnvironmentDefaults = Omit<EnvironmentConfig, 'account' | 'region'>;

/** The runbooks/ folder as published (the repository's default branch); the organisation's to set. */
const RUNBOOK_BASE_URL = 'https://runbooks.influencegen.example.com/control-plane/';

/**
 * How the GPU fleet is sized, the same in every environment: a generation takes 10-20 s
 * (seed 000), so about 4 jobs a minute per GPU; a backlog is cleared within 10 minutes. The
 * targets: seed 001's GPU-worker CPU scale-out threshold (75 %), and scale-in 10 points under it
 * (measured in the simulator: 0.75 both ways flapped the bundled day's GPU fleet, 25 actions
 * against 9).
 */
const FLUX_SIZING = {
  jobsPerGpuPerMinute: 4,
  backlogDrainMinutes: 10,
  deployHeadroomHosts: 1,
} as const;

/**
 * Stalled-GPU detection (seed 004: GPU 0 % for 5 minutes while jobs wait). A warm host restarts its
 * Flux task and loads the model in a few minutes, so a task gets 5 minutes before it is judged and
 * the recheck waits for that plus a full window; a replaced host boots in 5-8 minutes (DESIGN.md),
 * so the replacement recheck comes after 15. Checked every 5 minutes, as the composite alarm's window.
 * The remediation claim outlives both waits by half an hour: a run's Lambda steps and a late
 * trigger fit in it, and an escalated stall keeps later triggers joined to its incident that long.
 */
const GPU_STALL_DETECTION = {
  windowMinutes: 5,
  minDatapoints: 4,
  taskStartGraceMinutes: 5,
  checkEverySeconds: 300,
  restartWaitSeconds: 600,
  replaceWaitSeconds: 900,
  claimSlackMinutes: 30,
} as const;

/**
 * Backup verification, the same in every environment: seed 004 pages Critical when the last good
 * backup is over an hour old with a failure; assessed hourly; the one automatic re-run is polled
 * from 1 minute, doubling up to 15, for at most 4 hours (seed 003's RTO), and its claim outlives
 * the polling by an hour, so the re-run's own failure event (which can lag) finds it taken. Jobs
 * are listed two days back: the newest daily job and any re-run are among them.
 */
const BACKUP_VERIFICATION = {
  alertAfterMinutes: 60,
  filestoreBackupEveryMinutes: 60,
  filestoreFrequentRetentionDays: 7,
  checkEverySeconds: 3600,
  rerunPoll: { firstSeconds: 60, maxSeconds: 900, giveUpMinutes: 240 },
  rerunClaimSlackMinutes: 60,
  jobsLookbackHours: 48,
} as const;

/**
 * Monthly cost budgets in USD (seed 002's cost guardrail). The seeds give no amount: these are the
 * organisation's to set. Starting figures sized from on-demand list prices (us-east-1 / eu-west-1) of
 * what each environment keeps running, with room for scale-outs:
 * - prod, about 1,800 a month at its minimum (2 Odoo and 1 n8n Fargate tasks, one GPU host, RDS
 *   Multi-AZ, 3 NAT gateways, ALB, backups, logs) and about 2,700 with a typical 3 Odoo and 2 GPUs:
 *   4,000 is crossed only by a fleet held well above that for most of a month (at its max, about 6,700).
 * - staging, about 1,200 at its minimum and 2,200 at its max: 2,000.
 * - dev, about 700 with its one GPU host on g4dn (about 1,050 on the g5 fallback): 1,200.
 */
const MONTHLY_COST_BUDGET_USD: Readonly<Record<EnvironmentName, number>> = {
  prod: 4000,
  staging: 2000,
  dev: 1200,
};

/**
 * Odoo as a fleet (Odoo's deployment guide, "Builtin server / Worker number calculation"): prefork
 * workers sized from the task (lib/config/odoo-sizing.ts), 2 cron processes, small connection pools
 * (a prefork worker serves one request at a time and needs 1-2 connections; the one gevent process
 * serves every websocket of the task), Odoo's own time limits. The modules the init task installs:
 * the web client and messaging the platform is built on, payments (payouts to influencers) and the
 * signals addon the catalogue's alerts read (platform/odoo/addons). The filestore on EFS belongs to
 * the image's `odoo` user (uid/gid 101); the access point enforces it whatever the container runs as.
 */
const ODOO_FLEET = {
  modules: ['base', 'web', 'mail', 'contacts', 'payment', 'influencegen_signals'],
  maxCronThreads: 2,
  dbMaxConnPerProcess: 4,
  dbMaxConnGevent: 16,
  limitTimeCpuSeconds: 60,
  limitTimeRealSeconds: 120,
  limitRequest: 8192,
  filestoreOwner: { uid: 101, gid: 101 },
  // The KYC provider is not named in the seeds: the organisation sets its API host(s).
  kycApiHosts: [] as string[],
};

/**
 * n8n in queue mode (n8n's "Queue mode" documentation): workers run n8n's default 10 jobs at once;
 * an execution may run 100 s (EXECUTIONS_TIMEOUT), so a worker stopped on scale-in finishes its jobs
 * inside Fargate's 120-second stop timeout; the pool per process is n8n's default
 * (DB_POSTGRESDB_POOL_SIZE=2).
 */
const N8N_QUEUE_MODE = {
  image: N8N_IMAGE,
  dbPoolSize: 2,
  workerConcurrency: N8N_WORKER_CONCURRENCY,
  maxExecutionSeconds: 100,
};

/**
 * RDS keeps superuser_reserved_connections (3) and rds.rds_superuser_reserved_connections (2) for
 * administrators: ordinary roles can never have them (the connection budget subtracts them).
 */
const RDS_RESERVED_CONNECTIONS = 5;

/**
 * AWS WAF on the ALB: a client IP above 2,000 requests in 5 minutes (about 7 a second, far above a
 * person using Odoo, below a scripted flood) is blocked while it stays above. Never-block ranges are the
 * organisation's to set (office egress, synthetic monitoring).
 */
const WAF_DEFAULTS = {
  rateLimitPerFiveMinutes: 2000,
  blockedCidrs: [] as string[],
  neverBlockCidrs: [] as string[],
};

const SEED_EMAIL_RECIPIENTS = ['devops@example.com', 'support@example.com'];

/**
 * Who may acknowledge an incident: the on-call role of the environment, in its own account
 * (`{account}`, resolved at synth). The role is the organisation's to create (or to replace here by
 * its SSO permission set's role, or add users); people on call assume it, and the role session's
 * ARN (which names the person) is recorded as the acknowledger.
 */
const onCallRole = (env: EnvironmentName): string[] => [
  `arn:aws:iam::${ACCOUNT_PLACEHOLDER}:role/influencegen-${env}-oncall`,
];

export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentDefaults>> = {
  prod: {
    name: 'prod',
    scaling: { enabled: true, aggressiveness: 'moderate', costPriority: 'balanced' },
    network: {
      cidr: '10.10.0.0/16',
      availabilityZones: ['a', 'b', 'c'],
      natGateways: 3,
      flowLogRetentionDays: 90,
    },
    database: {
      engineVersion: '16',
      instanceType: 'm7g.large',
      maxConnections: 901,
      multiAz: true,
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 500,
      backupRetentionDays: 14,
      deletionProtection: true,
      credentialRotationDays: 30,
      reservedConnections: RDS_RESERVED_CONNECTIONS,
    },
    backup: {
      rpoMinutes: 15,
      rtoHours: 4,
      continuousRetentionDays: 35,
      dailyRetentionDays: 90,
      ...BACKUP_VERIFICATION,
    },
    odoo: {
      cpu: 4096,
      memoryMiB: 16384,
      image: 'odoo:18.0',
      domainName: 'odoo.influencegen.example.com',
      adminLogin: 'admin@influencegen.example.com',
      ...ODOO_FLEET,
    },
    n8n: {
      cpu: 2048,
      memoryMiB: 8192,
      ...N8N_QUEUE_MODE,
      main: { cpu: 1024, memoryMiB: 2048 },
      domainName: 'n8n.influencegen.example.com',
      // A replica in another AZ: a node failure fails over instead of losing the queue.
      queueStore: { nodeType: 'cache.t4g.small', replicas: 1 },
    },
    waf: WAF_DEFAULTS,
    flux: {
      instanceTypes: ['g5.xlarge', 'g6.xlarge', 'g4dn.xlarge'],
      imageTag: '1.0.0',
      rootVolumeGiB: 100,
      taskMemoryMiB: 12288,
      ...FLUX_SIZING,
    },
    capacity: { odoo: { min: 2, max: 10 }, n8n: { min: 1, max: 5 }, 'flux-gpu': { min: 1, max: 5 } },
    gpuStall: { ...GPU_STALL_DETECTION, maxReplacementsPerHour: 2, maxFleetShare: 0.5 },
    alerts: {
      emails: SEED_EMAIL_RECIPIENTS,
      securityEmails: [],
      smsNumbers: [],
      runbookBaseUrl: RUNBOOK_BASE_URL,
      acknowledgers: onCallRole('prod'),
      pagerDutyEndpointSecretName: 'influencegen/prod/pagerduty-endpoint',
      pagerDutySecurityEndpointSecretName: 'influencegen/prod/pagerduty-security-endpoint',
    },
    logRetentionDays: 90,
    monthlyCostBudgetUsd: MONTHLY_COST_BUDGET_USD.prod,
    majorIncidents: MAJOR_INCIDENT_DEFAULTS.prod,
    diskForecast: DISK_FORECAST_DEFAULTS.prod,
    gpuBudget: GPU_BUDGET_DEFAULTS.prod,
    probes: PROBES_DEFAULTS.prod,
    ticketing: TICKETING_DEFAULTS.prod,
    edgeBlocking: EDGE_BLOCKING_DEFAULTS.prod,
  },
  staging: {
    name: 'staging',
    scaling: {
      enabled: true,
      aggressiveness: 'conservative',
      costPriority: 'cost-optimized',
      // Seed 002's cap (Odoo at most 1 instance per 5 minutes) stays in the conservative profile.
      maxScalingRate: { odoo: { instances: 1, perSeconds: 300 } },
    },
    network: {
      cidr: '10.20.0.0/16',
      availabilityZones: ['a', 'b'],
      natGateways: 1,
      flowLogRetentionDays: 30,
    },
    database: {
      engineVersion: '16',
      instanceType: 't4g.medium',
      maxConnections: 450,
      multiAz: false,
      allocatedStorageGiB: 50,
      maxAllocatedStorageGiB: 200,
      backupRetentionDays: 7,
      deletionProtection: true,
      credentialRotationDays: 30,
      reservedConnections: RDS_RESERVED_CONNECTIONS,
    },
    backup: {
      rpoMinutes: 15,
      rtoHours: 4,
      continuousRetentionDays: 14,
      dailyRetentionDays: 30,
      ...BACKUP_VERIFICATION,
    },
    odoo: {
      cpu: 2048,
      memoryMiB: 8192,
      image: 'odoo:18.0',
      domainName: 'odoo.staging.influencegen.example.com',
      adminLogin: 'admin@influencegen.example.com',
      ...ODOO_FLEET,
    },
    n8n: {
      cpu: 1024,
      memoryMiB: 4096,
      ...N8N_QUEUE_MODE,
      main: { cpu: 512, memoryMiB: 1024 },
      domainName: 'n8n.staging.influencegen.example.com',
      queueStore: { nodeType: 'cache.t4g.micro', replicas: 0 },
    },
    waf: WAF_DEFAULTS,
    flux: {
      instanceTypes: ['g5.xlarge', 'g4dn.xlarge'],
      imageTag: '1.0.0',
      rootVolumeGiB: 100,
      taskMemoryMiB: 12288,
      ...FLUX_SIZING,
    },
    capacity: { odoo: { min: 2, max: 4 }, n8n: { min: 1, max: 2 }, 'flux-gpu': { min: 1, max: 2 } },
    gpuStall: { ...GPU_STALL_DETECTION, maxReplacementsPerHour: 2, maxFleetShare: 0.5 },
    alerts: {
      emails: SEED_EMAIL_RECIPIENTS,
      securityEmails: [],
      smsNumbers: [],
      runbookBaseUrl: RUNBOOK_BASE_URL,
      acknowledgers: onCallRole('staging'),
      pagerDutyEndpointSecretName: 'influencegen/staging/pagerduty-endpoint',
      pagerDutySecurityEndpointSecretName: 'influencegen/staging/pagerduty-security-endpoint',
    },
    logRetentionDays: 30,
    monthlyCostBudgetUsd: MONTHLY_COST_BUDGET_USD.staging,
    majorIncidents: MAJOR_INCIDENT_DEFAULTS.staging,
    diskForecast: DISK_FORECAST_DEFAULTS.staging,
    gpuBudget: GPU_BUDGET_DEFAULTS.staging,
    probes: PROBES_DEFAULTS.staging,
    ticketing: TICKETING_DEFAULTS.staging,
    edgeBlocking: EDGE_BLOCKING_DEFAULTS.staging,
  },
  dev: {
    name: 'dev',
    scaling: { enabled: false, aggressiveness: 'conservative', costPriority: 'cost-optimized' },
    network: {
      cidr: '10.30.0.0/16',
      availabilityZones: ['a', 'b'],
      natGateways: 1,
      flowLogRetentionDays: 14,
    },
    database: {
      engineVersion: '16',
      instanceType: 't4g.medium',
      maxConnections: 450,
      multiAz: false,
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 100,
      backupRetentionDays: 1,
      deletionProtection: false,
      credentialRotationDays: 30,
      reservedConnections: RDS_RESERVED_CONNECTIONS,
    },
    backup: {
      rpoMinutes: 15,
      rtoHours: 4,
      continuousRetentionDays: 7,
      dailyRetentionDays: 7,
      ...BACKUP_VERIFICATION,
    },
    odoo: {
      cpu: 1024,
      memoryMiB: 4096,
      image: 'odoo:18.0',
      domainName: 'odoo.dev.influencegen.example.com',
      adminLogin: 'admin@influencegen.example.com',
      ...ODOO_FLEET,
      // One vCPU and 4 GiB: one cron process leaves room for two workers (lib/config/odoo-sizing.ts).
      maxCronThreads: 1,
    },
    n8n: {
      cpu: 512,
      memoryMiB: 2048,
      ...N8N_QUEUE_MODE,
      main: { cpu: 512, memoryMiB: 1024 },
      domainName: 'n8n.dev.influencegen.example.com',
      queueStore: { nodeType: 'cache.t4g.micro', replicas: 0 },
    },
    waf: WAF_DEFAULTS,
    flux: {
      instanceTypes: ['g4dn.xlarge', 'g5.xlarge'],
      imageTag: '1.0.0',
      rootVolumeGiB: 100,
      taskMemoryMiB: 12288,
      ...FLUX_SIZING,
    },
    capacity: { odoo: { min: 2, max: 2 }, n8n: { min: 1, max: 1 }, 'flux-gpu': { min: 1, max: 1 } },
    gpuStall: { ...GPU_STALL_DETECTION, maxReplacementsPerHour: 1, maxFleetShare: 1 },
    alerts: {
      emails: SEED_EMAIL_RECIPIENTS,
      securityEmails: [],
      smsNumbers: [],
      runbookBaseUrl: RUNBOOK_BASE_URL,
      acknowledgers: onCallRole('dev'),
    },
    logRetentionDays: 14,
    monthlyCostBudgetUsd: MONTHLY_COST_BUDGET_USD.dev,
    majorIncidents: MAJOR_INCIDENT_DEFAULTS.dev,
    diskForecast: DISK_FORECAST_DEFAULTS.dev,
    gpuBudget: GPU_BUDGET_DEFAULTS.dev,
    probes: PROBES_DEFAULTS.dev,
    ticketing: TICKETING_DEFAULTS.dev,
    edgeBlocking: EDGE_BLOCKING_DEFAULTS.dev,
  },
};
