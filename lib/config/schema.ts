import { z } from 'zod';
import {
  AGGRESSIVENESS_LEVELS,
  COMPONENT_IDS,
  COST_PRIORITIES,
  ENVIRONMENT_NAMES,
  LOG_RETENTION_DAYS,
  SCALING_METRIC_MINUTES,
  SCALING_SIGNALS,
} from './constants';

export {
  CHANNEL_IDS,
  COMPONENT_IDS,
  ENVIRONMENT_NAMES,
  LOG_RETENTION_DAYS,
  SCALING_SIGNALS,
  type ChannelId,
  type ComponentId,
  type EnvironmentName,
} from './constants';
import { DiskForecastConfigSchema } from './disk-forecast';
import { EdgeBlockingSchema } from './edge-blocking';
import { GpuBudgetSchema } from './gpu-budget';
import { ProbesConfigSchema } from './probes-schema';
import { TicketingConfigSchema } from './ticketing';
import { MajorIncidentConfigSchema } from './major-incidents';
import { GPU_MEMORY_GIB, GPU_ON_DEMAND_USD_PER_HOUR, MIN_GPU_MEMORY_GIB } from './gpu-instance-types';
import { acknowledgerArnProblem } from '../../lambdas/core/escalation/acknowledger';

/**
 * The shape of every number the app uses. Parsing an environment through `EnvironmentConfigSchema`
 * is the synth-time validation: a bad value fails `cdk synth` with the field's path in the message.
 */

const positiveInt = z.number().int().positive();

/**
 * The backup workflow reads a resource's recovery points in one ListRecoveryPointsByResource call
 * of the API's maximum page (state-machines/backup-verification.asl.json): every point the
 * retention keeps must fit, or the newest could be missed. Worst case: a daily point and one
 * re-run per claim window every day, plus the continuous point.
 */
export const RECOVERY_POINTS_READ = 1000;
function worstCaseRecoveryPoints(b: {
  dailyRetentionDays: number;
  rerunPoll: { giveUpMinutes: number };
  rerunClaimSlackMinutes: number;
}): number {
  const rerunsPerDay = Math.ceil((24 * 60) / (b.rerunPoll.giveUpMinutes + b.rerunClaimSlackMinutes));
  return b.dailyRetentionDays * (1 + rerunsPerDay) + 1;
}
const percent = z.number().min(0).max(100);
const awsAccount = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1');
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +4915112345678');

const logRetention = z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
  message: `must be a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(', ')})`,
});
/** An IPv4 CIDR as AWS WAF IP sets take it (/1 to /32, every octet 0-255). */
const ipv4Cidr = z
  .string()
  .refine(
    (c) =>
      /^(\d{1,3})(\.\d{1,3}){3}\/([1-9]|[12]\d|3[0-2])$/.test(c) &&
      (c.split('/')[0] ?? '').split('.').every((o) => Number(o) <= 255),
    {
      message: 'must be an IPv4 CIDR such as 203.0.113.0/24',
    },
  );
/** Odoo's technical module names: lower-case letters, digits and underscores, starting with a letter. */
const odooModuleName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be an Odoo module name (lower-case letters, digits, underscores)');
/**
 * Stands for the environment's own account in an acknowledger ARN: the stacks may be
 * account-agnostic, so it is resolved where the stack's account is known (resolveAcknowledgers).
 */
export const ACCOUNT_PLACEHOLDER = '{account}';
const acknowledgerArn = z.string().superRefine((arn, ctx) => {
  const problem = acknowledgerArnProblem(arn, ACCOUNT_PLACEHOLDER);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** The acknowledgers' ARNs with ACCOUNT_PLACEHOLDER replaced by `account` (a stack's, token or not). */
export function resolveAcknowledgers(arns: readonly string[], account: string): string[] {
  return arns.map((arn) => arn.split(ACCOUNT_PLACEHOLDER).join(account));
}
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM');

/**
 * Whether Intl (and so the functions, which read times of day through it) knows the time zone: a
 * misspelt zone would pass a string check and throw a RangeError at run time. Probed rather than
 * looked up in Intl.supportedValuesOf('timeZone'), which lists canonical zones only (not `UTC`).
 */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
const timeZone = z.string().refine(isTimeZone, {
  error: (issue) =>
    `must be an IANA time zone such as Europe/Berlin or UTC, not ${JSON.stringify(issue.input)}`,
});

export const ScalingRuleSchema = z
  .object({
    id: z.string().min(1),
    signal: z.enum(SCALING_SIGNALS),
    comparison: z.enum(['>', '>=', '<', '<=']),
    threshold: z.number().nonnegative(),
    /** CloudWatch alarm semantics: `datapointsToAlarm` of the last `evaluationPeriods` breach. */
    evaluationPeriods: positiveInt,
    datapointsToAlarm: positiveInt,
    periodSeconds: z.union([z.literal(10), z.literal(30), z.literal(60), z.literal(300)]),
    /** Signed change in instances: +2 adds two, -1 removes one. */
    change: z
      .number()
      .int()
      .refine((n) => n !== 0, 'must not be 0'),
    source: z.string().min(1),
    /**
     * A seed's rule, or this project's trigger at a right-sizing target (a decision, never a step
     * of its own; the step-seed baseline leaves it out).
     */
    origin: z.enum(['seed', 'right-sizing']).optional(),
  })
  .refine((r) => r.datapointsToAlarm <= r.evaluationPeriods, {
    message: 'must not exceed evaluationPeriods',
    path: ['datapointsToAlarm'],
  })
  .refine((r) => r.change > 0 === (r.comparison === '>' || r.comparison === '>='), {
    message: 'a rule that scales out must trigger above its threshold, one that scales in below it',
    path: ['change'],
  });

/**
 * Right-sizing toward the SLO boundary (lambdas/core/scaling/right-size.ts), for every component:
 * the fleet is sized so that the load's recent peak, grown by its trend over the lead, keeps each
 * instance at `targetUtilisation` of its capacity; capacity that the peak of the last
 * `scaleInAfterMinutes` no longer needs is released, as many instances at once as it frees.
 * The load is the component's own (lambdas/core/scaling/load.ts): Odoo's CPU times its running
 * tasks, n8n's jobs over the slots of a worker, the GPUs' arrivals and backlog over their throughput.
 */
export const RightSizingSchema = z
  .object({
    /** Utilisation (% of an instance's capacity) the recent peak is sized to: a margin under the SLO boundary. */
    targetUtilisation: z.number().gt(0).max(100),
    /** Minutes whose peak a scale-out sizes for: the per-minute noise it must hold. */
    peakMinutes: z.number().int().min(1).max(15),
    /** Minutes over which the load's trend is fitted (least squares; only growth is added). */
    trendMinutes: z.number().int().min(2).max(SCALING_METRIC_MINUTES),
    /** Minutes ahead a scale-out sizes for: until a later evaluation's capacity can serve. */
    leadMinutes: z.number().min(0).max(30),
    /** Time-based hysteresis: capacity goes once the peak of this many minutes no longer needs it. */
    scaleInAfterMinutes: z.number().int().min(1).max(SCALING_METRIC_MINUTES),
  })
  .refine((s) => s.scaleInAfterMinutes >= s.peakMinutes, {
    message: 'must be at least peakMinutes (a scale-in would be undone by the next scale-out)',
    path: ['scaleInAfterMinutes'],
  });
export type RightSizing = z.infer<typeof RightSizingSchema>;

/** A rate cap on scale-out (seed 002's "1 instance per 5 minutes"): at most `instances` added per window. */
export const MaxScalingRateSchema = z.object({ instances: positiveInt, perSeconds: positiveInt });
export type MaxScalingRate = z.infer<typeof MaxScalingRateSchema>;

export const ComponentPolicySchema = z
  .object({
    id: z.enum(COMPONENT_IDS),
    description: z.string().min(1),
    capacity: z.object({ min: positiveInt, max: positiveInt }),
    cooldown: z.object({ scaleUpSeconds: positiveInt, scaleDownSeconds: positiveInt }),
    /**
     * Seed 002's rate cap, when the environment keeps it (env.scaling.maxScalingRate): set from the
     * environment at load, never in the component policy itself.
     */
    maxScalingRate: MaxScalingRateSchema.optional(),
    /**
     * The seeds' scale-in step. Right-sizing scales in as far as the load allows, so only the
     * step-seed baseline (the seeds' rules as plain step scaling) takes this step.
     */
    scaleDownStep: positiveInt,
    rules: z.array(ScalingRuleSchema).min(1),
    /**
     * Seed 001 runaway protection ("limit number of scaling actions per hour"), counted as
     * direction changes: the action that would be the Nth reversal (out after in, or in after out)
     * within an hour pauses the component. A ramp the demand justifies never reverses; a loop that
     * misbehaves does, again and again.
     */
    runawayMaxReversalsPerHour: z.number().int().min(2).max(20),
    /** Seed 002: never scale up while PostgreSQL connections are above this share of max. */
    databaseConnectionGuardPercent: percent.optional(),
    rightSizing: RightSizingSchema,
    offPeak: z.object({
      enabled: z.boolean(),
      start: hhmm,
      end: hhmm,
      timezone: timeZone,
      minCapacity: positiveInt,
    }),
  })
  .refine((c) => c.capacity.min <= c.capacity.max, {
    message: 'capacity.min must not exceed capacity.max',
    path: ['capacity', 'min'],
  })
  .refine((c) => c.offPeak.minCapacity <= c.capacity.max, {
    message: 'offPeak.minCapacity must not exceed capacity.max',
    path: ['offPeak', 'minCapacity'],
  })
  .refine((c) => new Set(c.rules.map((r) => r.id)).size === c.rules.length, {
    message: 'rule ids must be unique within a component',
    path: ['rules'],
  });

const FargateSizeSchema = z
  .object({
    cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]),
    memoryMiB: positiveInt,
    image: z.string().min(1),
  })
  .refine((s) => s.memoryMiB >= s.cpu * 2 && s.memoryMiB <= s.cpu * 8, {
    message: 'must be between 2x and 8x the cpu units (Fargate task sizes)',
    path: ['memoryMiB'],
  });

export const EnvironmentConfigSchema = z.object({
  name: z.enum(ENVIRONMENT_NAMES),
  account: awsAccount.optional(),
  /** Required: ALB access logging and regional service principals need it (the CDK CLI always sets one). */
  region: awsRegion,
  /** Seed 001 "Environment Specific Policies". */
  scaling: z.object({
    enabled: z.boolean(),
    aggressiveness: z.enum(AGGRESSIVENESS_LEVELS),
    costPriority: z.enum(COST_PRIORITIES),
    /**
     * Seed 002's maximum scaling rate, per component, where this environment keeps it (staging's
     * conservative profile does; prod does not: seed 000 gives Odoo "Max Scaling Rate: N/A").
     */
    maxScalingRate: z.partialRecord(z.enum(COMPONENT_IDS), MaxScalingRateSchema).optional(),
  }),
  network: z.object({
    cidr: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/, 'must be an IPv4 CIDR from /16 to /24'),
    /**
     * AZ letters appended to the region (`a` -> eu-west-1a). Named rather than looked up so that
     * synth stays offline; most regions have a, b and c (ca-central-1 has a, b and d).
     */
    availabilityZones: z
      .array(z.string().regex(/^[a-z]$/, 'must be one AZ letter such as a'))
      .min(2, 'must list at least 2 AZs')
      .max(3, 'must list at most 3 AZs')
      .refine((azs) => new Set(azs).size === azs.length, 'must not repeat an AZ'),
    natGateways: z.number().int().min(1).max(3),
    flowLogRetentionDays: logRetention,
  }),
  database: z.object({
    engineVersion: z.literal('16'),
    instanceType: z.string().regex(/^[a-z0-9]+\.[a-z0-9]+$/, 'must be an instance type such as m7g.large'),
    multiAz: z.boolean(),
    allocatedStorageGiB: z.number().int().min(20),
    maxAllocatedStorageGiB: z.number().int().min(20),
    backupRetentionDays: z.number().int().min(1).max(35),
    deletionProtection: z.boolean(),
    credentialRotationDays: z.number().int().min(1).max(365),
    /** Set in the parameter group; RDS's default for the class (DBInstanceClassMemory / 9531392). */
    maxConnections: z.number().int().min(20).max(5000),
    /**
     * Connections ordinary roles cannot have: PostgreSQL's superuser_reserved_connections (3) plus
     * RDS's rds.rds_superuser_reserved_connections (2), both at their RDS defaults.
     */
    reservedConnections: z.number().int().min(0),
  }),
  backup: z
    .object({
      /** Seed 003: recovery point objective for user data. */
      rpoMinutes: positiveInt,
      /** Seed 003: recovery time objective. */
      rtoHours: positiveInt,
      continuousRetentionDays: z.number().int().min(1).max(35),
      dailyRetentionDays: positiveInt,
      /** Seed 004's RPO breach: the last good backup older than this (with a failure) is Critical. */
      alertAfterMinutes: positiveInt,
      /** How often the backup-verification workflow assesses every protected resource. */
      checkEverySeconds: z.number().int().min(300),
      /** The one automatic re-run is polled with these waits (seconds), doubling up to the last. */
      rerunPoll: z.object({ firstSeconds: positiveInt, maxSeconds: positiveInt, giveUpMinutes: positiveInt }),
      /** The one re-run's claim outlives its polling by this, so a late failure event finds it taken. */
      rerunClaimSlackMinutes: positiveInt,
      /** How far back the workflow lists a resource's backup jobs. */
      jobsLookbackHours: positiveInt,
      /**
       * The Odoo filestore (EFS) is backed up on this schedule: AWS Backup has no continuous backup
       * for EFS and its most frequent schedule is hourly, so the filestore's recovery point objective
       * is this, not rpoMinutes (see docs/backups.md).
       */
      /** How long the filestore's frequent (hourly) recovery points are kept; the daily ones as dailyRetentionDays. */
      filestoreFrequentRetentionDays: z.number().int().min(1).max(35),
      filestoreBackupEveryMinutes: z
        .number()
        .int()
        .min(60, 'must be at least 60 (AWS Backup schedules EFS at most hourly)')
        .refine(
          (m) => m % 60 === 0 && 1440 % m === 0,
          'must be a whole number of hours that divides a day (60, 120, 180, 240, 360, 480, 720 or 1440)',
        ),
    })
    .refine((b) => b.alertAfterMinutes >= b.rpoMinutes, {
      path: ['alertAfterMinutes'],
      message: 'must be at least backup.rpoMinutes',
    })
    .refine((b) => b.rerunPoll.giveUpMinutes <= b.rtoHours * 60, {
      path: ['rerunPoll', 'giveUpMinutes'],
      message: 'must be within the RTO (backup.rtoHours)',
    })
    .refine((b) => worstCaseRecoveryPoints(b) <= RECOVERY_POINTS_READ, {
      path: ['dailyRetentionDays'],
      message: `keeps more recovery points than the workflow reads in one call (${RECOVERY_POINTS_READ}), counting one re-run per claim window`,
    }),
  odoo: FargateSizeSchema.and(
    z.object({
      domainName: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name'),
      /** An ACM certificate for domainName; when absent the stack requests one (DNS validation). */
      certificateArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, 'must be an ACM ARN')
        .optional(),
      /**
       * A Route 53 public hosted zone holding domainName: when given, the stack writes the ALB alias
       * record; otherwise the operator points the name at the LoadBalancerDnsName output by hand.
       */
      hostedZone: z
        .object({
          id: z.string().regex(/^Z[A-Z0-9]+$/, 'must be a Route 53 hosted zone id such as Z0123456789ABC'),
          name: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name'),
        })
        .optional(),
      /** The administrator's login the init task sets (its password comes from Secrets Manager). */
      adminLogin: z.email(),
      /** Modules the init task installs (and updates on an image change), in order. */
      modules: z.array(odooModuleName).min(1),
      /** Odoo's max_cron_threads: in prefork mode, each is a process with its own connection pool. */
      maxCronThreads: z.number().int().min(1).max(4),
      /** Odoo's db_maxconn: the connection pool of each worker, cron and master process. */
      dbMaxConnPerProcess: z.number().int().min(2).max(64),
      /** Odoo's db_maxconn_gevent: the pool of the one gevent (websocket) process of a task. */
      dbMaxConnGevent: z.number().int().min(2).max(128),
      /** Odoo's limit_time_cpu / limit_time_real (seconds a request may take) and limit_request. */
      limitTimeCpuSeconds: positiveInt,
      limitTimeRealSeconds: positiveInt,
      limitRequest: positiveInt,
      /**
       * Host names of the external KYC provider's API: the signals addon counts Odoo's calls to them
       * (KYC_Service_Outage). The organisation's to set; empty, the alert sees no calls.
       */
      kycApiHosts: z.array(z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name')),
      /** The POSIX owner of the filestore on EFS (the EFS access point enforces it for every task). */
      filestoreOwner: z.object({ uid: z.number().int().min(1), gid: z.number().int().min(1) }),
    }),
  ),
  /**
   * n8n in queue mode: the size below is a worker's (the scaled component); the one main process
   * (editor, API, webhooks, schedules) has its own size.
   */
  n8n: FargateSizeSchema.and(
    z.object({
      /** The PostgreSQL pool of each n8n process (n8n's DB_POSTGRESDB_POOL_SIZE). */
      dbPoolSize: z.number().int().min(1).max(20),
      /** Jobs one worker runs at once (`n8n worker --concurrency`). */
      workerConcurrency: z.number().int().min(1).max(50),
      /**
       * The longest a workflow execution may run (n8n's EXECUTIONS_TIMEOUT); a worker stopping on
       * scale-in waits this long for its jobs. Fargate stops a container at most 120 s after SIGTERM.
       */
      maxExecutionSeconds: z.number().int().min(10).max(110),
      main: z.object({
        cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]),
        memoryMiB: positiveInt,
      }),
      /** The n8n editor and webhooks' host name, served by the Odoo ALB with a certificate of its own. */
      domainName: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name'),
      /** An ACM certificate for domainName; when absent the stack requests one (DNS validation). */
      certificateArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, 'must be an ACM ARN')
        .optional(),
      /** The queue store (ElastiCache Valkey): node type and replicas (0 = a single node). */
      queueStore: z.object({
        nodeType: z
          .string()
          .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ElastiCache node type such as cache.t4g.small'),
        replicas: z.number().int().min(0).max(5),
      }),
    }),
  ),
  /** AWS WAF on the ALB. */
  waf: z.object({
    /** Requests one client IP may send in 5 minutes before the rate-based rule blocks it. */
    rateLimitPerFiveMinutes: z.number().int().min(10).max(2_000_000_000),
    /** Addresses blocked from the first deploy (the control plane adds and expires its own). */
    blockedCidrs: z.array(ipv4Cidr),
    /** Ranges the control plane must never block (offices, monitoring, the NAT gateways' addresses). */
    neverBlockCidrs: z.array(ipv4Cidr),
  }),
  flux: z.object({
    /** Every type must carry at least 16 GiB of GPU memory (seed 000). */
    instanceTypes: z
      .array(z.string())
      .min(1)
      .superRefine((types, ctx) => {
        for (const [i, t] of types.entries()) {
          const gib = GPU_MEMORY_GIB[t];
          if (gib === undefined) {
            ctx.addIssue({ code: 'custom', path: [i], message: `${t} is not a known GPU instance type` });
          } else if (gib < MIN_GPU_MEMORY_GIB) {
            ctx.addIssue({
              code: 'custom',
              path: [i],
              message: `${t} has ${gib} GiB of GPU memory; at least ${MIN_GPU_MEMORY_GIB} are required`,
            });
          } else if (GPU_ON_DEMAND_USD_PER_HOUR[t] === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [i],
              message: `${t} has no on-demand price in lib/config/gpu-instance-types.ts (the dashboard's GPU spend)`,
            });
          }
        }
      }),
    imageTag: z.string().min(1),
    rootVolumeGiB: z.number().int().min(30),
    taskMemoryMiB: positiveInt,
    /** Throughput of one GPU, for fleet sizing (seed 000: a generation takes 10-20 s). */
    jobsPerGpuPerMinute: z.number().positive(),
    /** How quickly the sizing clears a backlog, on top of keeping up with arrivals. */
    backlogDrainMinutes: positiveInt,
    /**
     * GPU hosts the Auto Scaling group may run above the service's maximum: a new task revision
     * rolls (100 % minimum healthy, one GPU a task) only if one more host can start.
     */
    deployHeadroomHosts: z.number().int().min(1).max(5),
  }),
  /** Stalled-GPU detection and remediation (seed 004 AI_Service_Stalled). */
  gpuStall: z
    .object({
      /** Minutes of GPU 0 % while work waits that make an instance stalled (seed 004: 5). */
      windowMinutes: positiveInt,
      /**
       * Of those minutes, how many must have reported: a missing datapoint is "no signal", never
       * 0 %; one fewer than the window tolerates CloudWatch's ingestion lag on the newest minute.
       */
      minDatapoints: positiveInt,
      /** A serving task younger than this is still loading its model: judged "starting", not stalled. */
      taskStartGraceMinutes: positiveInt,
      /** How often the per-instance check runs: the composite alarm sees only a whole-fleet stall. */
      checkEverySeconds: z.number().int().min(60),
      /** Wait after stopping the serving task before the recheck (a new task starts and loads). */
      restartWaitSeconds: positiveInt,
      /** Wait after marking the instance unhealthy before the recheck (a new host boots: 5-8 min). */
      replaceWaitSeconds: positiveInt,
      /** How long the remediation claim outlives both waits. */
      claimSlackMinutes: positiveInt,
      /** The remediation budget: instance replacements per rolling hour... */
      maxReplacementsPerHour: positiveInt,
      /** ...and the share of the fleet acted on at once (at least one instance is always allowed). */
      maxFleetShare: z.number().gt(0).max(1),
    })
    .refine((s) => s.minDatapoints <= s.windowMinutes, {
      path: ['minDatapoints'],
      message: 'must be at most gpuStall.windowMinutes',
    })
    .refine((s) => s.restartWaitSeconds >= (s.taskStartGraceMinutes + s.windowMinutes) * 60, {
      path: ['restartWaitSeconds'],
      message:
        'must cover gpuStall.taskStartGraceMinutes + windowMinutes, or the recheck cannot judge the new task',
    }),
  /** Per-environment min/max; the policy (rules, cooldowns) comes from lib/config/components.ts. */
  capacity: z.record(z.enum(COMPONENT_IDS), z.object({ min: positiveInt, max: positiveInt })),
  alerts: z.object({
    emails: z.array(z.email()),
    securityEmails: z.array(z.email()),
    smsNumbers: z.array(e164),
    slack: z
      .object({
        workspaceId: z.string().regex(/^T[A-Z0-9]+$/, 'must be a Slack workspace id such as T01ABCDEF'),
        channelId: z.string().regex(/^C[A-Z0-9]+$/, 'must be a Slack channel id such as C01ABCDEF'),
        securityChannelId: z
          .string()
          .regex(/^C[A-Z0-9]+$/, 'must be a Slack channel id')
          .optional(),
      })
      .optional(),
    /**
     * Secrets Manager secrets holding the PagerDuty HTTPS integration endpoints (never in code);
     * the secrets must exist before the control plane is deployed. Absent: no PagerDuty subscription.
     */
    pagerDutyEndpointSecretName: z.string().min(1).optional(),
    pagerDutySecurityEndpointSecretName: z.string().min(1).optional(),
    /** Where runbooks/<name>.md are published; notifications link there. */
    runbookBaseUrl: z.string().url().regex(/\/$/, 'must end with /'),
    /**
     * Who may acknowledge this environment's incidents: IAM role ARNs (the unit: the role people
     * assume when on call, such as an SSO permission set's role
     * arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/REGION/AWSReservedSSO_NAME_ID) and
     * IAM user ARNs. Groups cannot be named: a group is never a principal, neither in the function's
     * resource policy nor in STS's answer. `{account}` stands for the environment's account. The
     * ack function checks the identity a caller proves (a signed sts:GetCallerIdentity) against it.
     */
    acknowledgers: z
      .array(acknowledgerArn)
      .min(1, 'must name at least one role or user: otherwise nobody can acknowledge an incident')
      .refine((arns) => new Set(arns).size === arns.length, 'must not repeat an ARN'),
  }),
  /** Seed 004 Emergency Notifications: stakeholder lists and the PagerDuty routing-key secret (docs/major-incidents.md). */
  majorIncidents: MajorIncidentConfigSchema,
  /** Seed 004 "Ticketing Integration" (lib/config/ticketing.ts): where new incidents' tickets go. */
  ticketing: TicketingConfigSchema,
  /** Edge blocking: the brute-force response (docs/edge-blocking.md). */
  edgeBlocking: EdgeBlockingSchema,
  /** Seed 004's predictive disk alert (docs/forecasts.md). */
  diskForecast: DiskForecastConfigSchema,
  /** The GPU spend budget (lib/config/gpu-budget.ts has the figure's derivation). */
  gpuBudget: GpuBudgetSchema,
  /** Seed 004 Alert Validation / Quorum: the health probes' schedule (lib/config/probes.ts has the rest). */
  probes: ProbesConfigSchema,
  logRetentionDays: logRetention,
  /**
   * The organisation's monthly cost budget for the environment, in US dollars (seed 002's cost
   * guardrail): spend carrying this environment's cost-allocation tags is compared with it.
   */
  monthlyCostBudgetUsd: z
    .number({ error: 'must be a positive number of US dollars' })
    .positive('must be a positive number of US dollars'),
});

export type EnvironmentConfig = z.infer<typeof EnvironmentConfigSchema>;
export type ComponentPolicy = z.infer<typeof ComponentPolicySchema>;
export type ScalingRule = z.infer<typeof ScalingRuleSchema>;
