import { z } from 'zod';
import type { EnvironmentName } from './constants';

/**
 * Seed 004 "Ticketing Integration": a ticket for every NEW incident of severity Critical, High or
 * Medium, priority matching the severity, auto-assigned, in Jira Service Management or Odoo
 * Helpdesk. The escalation workflow owns it (lambdas/escalation-ticket); this is its configuration,
 * validated at synth by this schema, and checked again by the function when it reads its TICKETING
 * variable (lambdas/aws/ticketing-config.ts, by hand: zod would be most of its bundle).
 */

export {
  TICKET_CLAIM_STALE_MS,
  TICKET_FUNCTION_TIMEOUT_SECONDS,
  TICKET_SECRET_TTL_MS,
  TICKET_STEP_RETRY,
} from './ticketing-timing';
export {
  TICKETED_SEVERITIES,
  TICKETING_FAILURE_ALERT,
  TICKETING_METRICS,
  TICKETING_SYSTEMS,
  type TicketedSeverity,
  type TicketingSystem,
} from './ticketing-names';

const priorities = <T extends z.ZodType>(value: T) =>
  z.strictObject({ Critical: value, High: value, Medium: value });

/** A stage by its record id, or by its name (looked up once per container). */
const OdooStage = z.union([z.number().int().positive(), z.string().min(1)]);

/**
 * How long one HTTP call may take: an attempt makes up to three in a row (Odoo: authenticate,
 * search, create) within the function's TICKET_FUNCTION_TIMEOUT_SECONDS.
 */
const TimeoutMs = z.number().int().min(100).max(10_000).default(8_000);

/** A Secrets Manager secret: its name or ARN (the construct grants the function read on it). */
const SecretId = z.string().regex(/^(arn:aws[a-z-]*:secretsmanager:[^\s]+|[A-Za-z0-9/_+=.@-]{1,512})$/, {
  message: 'must be a Secrets Manager secret name or ARN',
});

/** Ticket systems reached over HTTPS; `http://` only on loopback (the tests' local servers). */
const Endpoint = z
  .string()
  .url()
  .refine((u) => {
    const url = new URL(u);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname))
    );
  }, 'must be an https:// URL')
  .transform((u) => u.replace(/\/+$/, ''));

/**
 * Odoo Helpdesk over Odoo's external JSON-RPC API (`/jsonrpc`, service `object`, `execute_kw`).
 * Odoo Helpdesk (`helpdesk.ticket`) is Enterprise; the OCA module `helpdesk_mgmt` gives Community
 * the same model with the same core fields: model and field names are configuration. The secret is
 * JSON `{"login": "...", "password": "<password or API key>"}`.
 */
const OdooHelpdeskSchema = z.strictObject({
  system: z.literal('odoo-helpdesk'),
  url: Endpoint,
  database: z.string().min(1),
  secret: SecretId,
  model: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)+$/, 'must be an Odoo model name')
    .default('helpdesk.ticket'),
  fields: z
    .strictObject({
      name: z.string().min(1).default('name'),
      description: z.string().min(1).default('description'),
      priority: z.string().min(1).default('priority'),
      team: z.string().min(1).default('team_id'),
      user: z.string().min(1).default('user_id'),
      stage: z.string().min(1).default('stage_id'),
    })
    .prefault({}),
  /** The stage model, for stages given by name. */
  stageModel: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)+$/, 'must be an Odoo model name')
    .default('helpdesk.stage'),
  /** Both modules' selection: '0' low, '1' medium, '2' high, '3' urgent / very high. */
  priorities: priorities(z.enum(['0', '1', '2', '3'])).default({ Critical: '3', High: '2', Medium: '1' }),
  /**
   * Auto-assignment: the team whose own assignment rule (Helpdesk team "Automatic assignment",
   * helpdesk_mgmt's team settings) picks the person, or a fixed user.
   */
  assignment: z
    .strictObject({
      teamId: z.number().int().positive().optional(),
      userId: z.number().int().positive().optional(),
    })
    .prefault({}),
  /** Stages moved to on acknowledgement and resolution (absent: a note only). */
  stages: z.strictObject({ acknowledged: OdooStage.optional(), resolved: OdooStage.optional() }).prefault({}),
  timeoutMs: TimeoutMs,
});

/**
 * Jira Service Management through Jira's REST API v3 (`POST /rest/api/3/issue` in the service
 * project): the issue API sets priority, labels and assignee directly, which the request API
 * (`/rest/servicedeskapi/request`) only can through the request type's visible fields. The secret
 * is JSON `{"email": "...", "apiToken": "..."}` (basic auth).
 */
const JiraServiceManagementSchema = z.strictObject({
  system: z.literal('jira-service-management'),
  url: Endpoint,
  secret: SecretId,
  projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'must be a Jira project key'),
  issueType: z.string().min(1).default('Incident'),
  priorities: priorities(z.string().min(1)).default({ Critical: 'Highest', High: 'High', Medium: 'Medium' }),
  /** Absent: Jira's project default assignee (its auto-assignment). */
  assignment: z.strictObject({ accountId: z.string().min(1).optional() }).prefault({}),
  /** Workflow transition ids applied on acknowledgement and resolution (absent: a comment only). */
  transitions: z
    .strictObject({
      acknowledged: z.string().regex(/^\d+$/, 'must be a transition id').optional(),
      resolved: z.string().regex(/^\d+$/, 'must be a transition id').optional(),
    })
    .prefault({}),
  labels: z.array(z.string().regex(/^\S+$/, 'must have no spaces')).default(['influencegen']),
  timeoutMs: TimeoutMs,
});

export const TicketingConfigSchema = z.discriminatedUnion('system', [
  OdooHelpdeskSchema,
  JiraServiceManagementSchema,
  z.strictObject({ system: z.literal('none') }),
]);

export type TicketingConfig = z.infer<typeof TicketingConfigSchema>;
export type TicketingConfigInput = z.input<typeof TicketingConfigSchema>;
export type OdooHelpdeskConfig = Extract<TicketingConfig, { system: 'odoo-helpdesk' }>;
export type JiraServiceManagementConfig = Extract<TicketingConfig, { system: 'jira-service-management' }>;

/** Validates a ticketing configuration; a bad one fails naming the field (`ticketing.<path>`). */
export function parseTicketing(input: unknown, prefix = 'ticketing'): TicketingConfig {
  const parsed = TicketingConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${[prefix, ...i.path].join('.')}: ${i.message}`);
  throw new Error(`Invalid ticketing configuration: ${problems.join('; ')}`);
}

/**
 * Per environment. prod and staging open tickets in Jira Service Management: an external system,
 * up when the platform's own Odoo is not (a ticket about Odoo being down in Odoo's own helpdesk
 * would fail exactly when it is needed). The site, project and secret are the organisation's to
 * create (the secret holds `{"email","apiToken"}`). dev opens none: its incidents are experiments,
 * and tickets for them would bury the real ones in the same service desk.
 */
const TICKETING_DEFAULT_INPUTS: Readonly<Record<EnvironmentName, TicketingConfigInput>> = {
  prod: {
    system: 'jira-service-management',
    url: 'https://influencegen.atlassian.net',
    secret: 'influencegen/prod/ticketing',
    projectKey: 'OPS',
  },
  staging: {
    system: 'jira-service-management',
    url: 'https://influencegen.atlassian.net',
    secret: 'influencegen/staging/ticketing',
    projectKey: 'OPSSTG',
  },
  dev: { system: 'none' },
};

/** The defaults with the schema's own defaults filled in (model and field names, priorities, timeout). */
export const TICKETING_DEFAULTS: Readonly<Record<EnvironmentName, TicketingConfig>> = {
  prod: parseTicketing(TICKETING_DEFAULT_INPUTS.prod),
  staging: parseTicketing(TICKETING_DEFAULT_INPUTS.staging),
  dev: parseTicketing(TICKETING_DEFAULT_INPUTS.dev),
};
