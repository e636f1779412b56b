import { z } from 'zod';
import type { EnvironmentName } from './constants';
import { STAKEHOLDER_LISTS } from './major-incident-lists';

/**
 * Seed 004 "Emergency Notifications" for major incidents (a DRP activation, a platform-wide
 * outage): declared by hand by the Incident Commander, sent by SMS, voice and email to every
 * stakeholder list. Pure data and zod; the major-incident workflow applies it.
 */

export {
  listsFor,
  majorIncidentStateMachineName,
  STAKEHOLDER_LISTS,
  type StakeholderList,
} from './major-incident-lists';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +4915112345678');

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

const StakeholdersSchema = z.object({
  /** Texted (SNS SMS subscriptions on the list's topic). */
  phones: z.array(e164).refine(unique, 'must not repeat a number'),
  /** Emailed (SNS email subscriptions; each address confirms its subscription once). */
  emails: z.array(z.email()).refine(unique, 'must not repeat an address'),
});
export type Stakeholders = z.infer<typeof StakeholdersSchema>;

export const MajorIncidentConfigSchema = z.object({
  lists: z.object({
    CrisisManagementTeam: StakeholdersSchema,
    ExecutiveLeadership: StakeholdersSchema,
    AllEmployees: StakeholdersSchema,
  }),
  /**
   * A Secrets Manager secret holding the Events API v2 integration (routing) key of the PagerDuty
   * service that pages the Incident Commander and the executives on call: its notification rules
   * phone them (the voice path, docs/major-incidents.md). Absent: no page, and the result says so.
   */
  pagerDutyRoutingKeySecretName: z.string().min(1).optional(),
});
export type MajorIncidentConfig = z.infer<typeof MajorIncidentConfigSchema>;

/** One problem in an environment's major-incident settings, with the field it is about. */
export interface MajorIncidentIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * What prod requires beyond the schema: every list has someone to text and someone to email, and
 * PagerDuty is configured; otherwise a major incident would reach nobody. Staging and dev may be
 * empty: a drill there must not text the executives, and the workflow is exercised end to end all
 * the same (a topic without subscribers accepts the publish).
 */
export function majorIncidentIssues(environment: string, config: MajorIncidentConfig): MajorIncidentIssue[] {
  if (environment !== 'prod') return [];
  const issues: MajorIncidentIssue[] = [];
  for (const list of STAKEHOLDER_LISTS) {
    for (const field of ['phones', 'emails'] as const) {
      if (config.lists[list][field].length === 0)
        issues.push({
          path: ['lists', list, field],
          message: `must name at least one recipient in prod: a major incident must reach ${list} by ${field === 'phones' ? 'SMS' : 'email'}`,
        });
    }
  }
  if (!config.pagerDutyRoutingKeySecretName)
    issues.push({
      path: ['pagerDutyRoutingKeySecretName'],
      message: 'is required in prod: the major-incident page (and its phone calls) goes through PagerDuty',
    });
  return issues;
}

/** Fails naming every problem by its field (the construct calls it too: it may be built alone). */
export function assertMajorIncidents(environment: string, issues: readonly MajorIncidentIssue[]): void {
  if (issues.length > 0)
    throw new Error(
      `Invalid ${environment} configuration: ${issues.map((i) => `majorIncidents.${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
}

/** Parses an environment's settings, failing with every problem named by its field. */
export function parseMajorIncidents(environment: string, input: unknown): MajorIncidentConfig {
  const parsed = MajorIncidentConfigSchema.safeParse(input);
  if (!parsed.success) {
    assertMajorIncidents(
      environment,
      parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })),
    );
    throw parsed.error;
  }
  assertMajorIncidents(environment, majorIncidentIssues(environment, parsed.data));
  return parsed.data;
}

const NOBODY: Stakeholders = { phones: [], emails: [] };

/**
 * Per-environment defaults. Prod's recipients are placeholders the organisation replaces before
 * deploying: reserved example addresses, and numbers from Ofcom's range reserved for drama
 * (+44 7700 900xxx), which reach no one.
 */
export const MAJOR_INCIDENT_DEFAULTS: Readonly<Record<EnvironmentName, MajorIncidentConfig>> = {
  prod: {
    lists: {
      CrisisManagementTeam: { phones: ['+447700900001'], emails: ['crisis-management@example.com'] },
      ExecutiveLeadership: { phones: ['+447700900002'], emails: ['executives@example.com'] },
      AllEmployees: { phones: ['+447700900003'], emails: ['all-employees@example.com'] },
    },
    pagerDutyRoutingKeySecretName: 'influencegen/prod/pagerduty-major-incident-routing-key',
  },
  staging: {
    lists: { CrisisManagementTeam: NOBODY, ExecutiveLeadership: NOBODY, AllEmployees: NOBODY },
  },
  dev: {
    lists: { CrisisManagementTeam: NOBODY, ExecutiveLeadership: NOBODY, AllEmployees: NOBODY },
  },
};
