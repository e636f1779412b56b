/**
 * The major-incident names and limits the functions and the CLI share: a module without zod, so
 * that the Lambda bundles stay small (lib/config/major-incidents.ts, the schema, re-exports them).
 */

/** The seed's recipient lists, in the order they are notified and reported. */
export const STAKEHOLDER_LISTS = ['CrisisManagementTeam', 'ExecutiveLeadership', 'AllEmployees'] as const;
export type StakeholderList = (typeof STAKEHOLDER_LISTS)[number];

/** "AllEmployees (if broad impact)": this list is notified only when the declaration says so. */
export const BROAD_IMPACT_LIST: StakeholderList = 'AllEmployees';

/** The lists a declaration notifies: every list, AllEmployees only for a broad impact. */
export function listsFor(broadImpact: boolean): StakeholderList[] {
  return STAKEHOLDER_LISTS.filter((l) => broadImpact || l !== BROAD_IMPACT_LIST);
}

/**
 * How long a reason may be: it goes into every SMS (one segment is 160 characters, and the SMS
 * carries the environment and the id as well) and every email subject, so it must stay short.
 */
export const MAJOR_REASON_CHARS = { min: 10, max: 120 } as const;

/** A line break or control character: it would break an SMS or an email subject. */
export function hasControlCharacter(text: string): boolean {
  return [...text].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
}

/** The state machine's name: `ops declare-major` and `ops end-major` start it by name. */
export const majorIncidentStateMachineName = (environment: string): string =>
  `influencegen-${environment}-major-incident`;
