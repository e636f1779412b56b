import type { Severity } from './alert-schema';
import type { ChannelId } from './schema';

/**
 * Seed 004's notification routing, escalation paths and noise controls. Pure data: the escalation
 * core (lambdas/core/escalation) applies it, the workflow follows the plan it produces.
 */

/** Routing rules by severity (seed 004 "Routing Rules", priorities 1-4). */
export const SEVERITY_CHANNELS: Readonly<Record<Severity, readonly ChannelId[]>> = {
  Critical: ['pagerduty', 'sms', 'slack', 'email'],
  High: ['pagerduty', 'slack', 'email'],
  Medium: ['slack', 'email'],
  Low: ['email'],
};

/** Priority 0: security alerts of High or Critical severity go to the security team's channels only. */
export const SECURITY_CHANNELS: readonly ChannelId[] = [
  'pagerduty-security',
  'slack-security',
  'email-security',
];

/**
 * Seed 004 "Time Based Routing": outside business hours on-call is reached by PagerDuty and SMS,
 * with email as the fallback. Slack is a business-hours channel for Medium ("Business Hours (for
 * Medium), 24/7 for High/Critical"), so a Medium alert at night goes to email only.
 */
export const BUSINESS_HOURS = {
  timezone: 'UTC',
  startHour: 8,
  endHour: 18,
  /** ISO weekdays, 1 = Monday. */
  weekdays: [1, 2, 3, 4, 5],
} as const;

export const OFF_HOURS_CHANNELS: Readonly<Record<Severity, readonly ChannelId[]>> = {
  Critical: ['pagerduty', 'sms', 'slack', 'email'],
  High: ['pagerduty', 'sms', 'slack', 'email'],
  Medium: ['email'],
  Low: ['email'],
};

export interface EscalationLevel {
  readonly level: number;
  readonly audience: string;
  /** Minutes after the first page at which this level is paged if nobody acknowledged. */
  readonly afterMinutes: number;
}

export interface EscalationPath {
  readonly levels: readonly EscalationLevel[];
  /** Paged when the last level's acknowledgement timeout runs out; the escalation then stops. */
  readonly ultimate: EscalationLevel;
  readonly requiresAcknowledgement: boolean;
  readonly acknowledgementRequiresComment: boolean;
}

/**
 * Seed 004 "Escalation Paths", "Escalation Timeframes" and "Acknowledgment Requirements".
 * Critical: L0 at once, L1 at 15 min, L2 at 30 min, then the ultimate escalation at 45 min (3
 * escalations). High: L0 at once, L1 at 30 min, the ultimate at 60 min (2 escalations).
 * Medium and Low are not escalated ("Escalation Required: False").
 * Security: the seed gives "Security Critical Path" a 5-minute escalation time and no levels; we
 * page the security on-call, then its lead after 5 minutes, then the Head of Engineering after 10.
 */
export const ESCALATION_PATHS: Readonly<Record<Severity | 'Security', EscalationPath>> = {
  Critical: {
    levels: [
      { level: 0, audience: 'Primary On-Call (L1/L2)', afterMinutes: 0 },
      { level: 1, audience: 'Secondary On-Call (L2/L3)', afterMinutes: 15 },
      { level: 2, audience: 'Support Manager / Team Lead', afterMinutes: 30 },
    ],
    ultimate: { level: 3, audience: 'Head of Engineering / CTO', afterMinutes: 45 },
    requiresAcknowledgement: true,
    acknowledgementRequiresComment: true,
  },
  High: {
    levels: [
      { level: 0, audience: 'Primary On-Call (L1/L2)', afterMinutes: 0 },
      { level: 1, audience: 'Secondary On-Call (L2/L3)', afterMinutes: 30 },
    ],
    ultimate: { level: 2, audience: 'Support Manager / Team Lead', afterMinutes: 60 },
    requiresAcknowledgement: true,
    acknowledgementRequiresComment: false,
  },
  Medium: {
    levels: [{ level: 0, audience: 'Platform Operations', afterMinutes: 0 }],
    ultimate: { level: 0, audience: 'Platform Operations', afterMinutes: 0 },
    requiresAcknowledgement: false,
    acknowledgementRequiresComment: false,
  },
  Low: {
    levels: [{ level: 0, audience: 'Platform Operations', afterMinutes: 0 }],
    ultimate: { level: 0, audience: 'Platform Operations', afterMinutes: 0 },
    requiresAcknowledgement: false,
    acknowledgementRequiresComment: false,
  },
  Security: {
    levels: [
      { level: 0, audience: 'Security On-Call', afterMinutes: 0 },
      { level: 1, audience: 'Security Lead', afterMinutes: 5 },
    ],
    ultimate: { level: 2, audience: 'Head of Engineering / CTO', afterMinutes: 10 },
    requiresAcknowledgement: true,
    acknowledgementRequiresComment: true,
  },
};

/** Seed 004 noise controls. */
export const NOISE_CONTROLS = {
  /** "Same source component and similar error type within 5 minutes: group, increment count". */
  dedupWindowMinutes: 5,
  /** "Max Group Size: 10": the eleventh alert of a correlation group opens a new incident. */
  maxGroupSize: 10,
  /** "Flapping Threshold 5" state changes within the "Dampening Period 10 minutes"... */
  flappingStateChanges: 5,
  flappingWindowMinutes: 10,
  /** ...suppress that alert for "30 minutes (or until stable)". */
  flappingSuppressionMinutes: 30,
} as const;

/**
 * How long the state table keeps each kind of record (TTL): incidents and the scaling ledger for a
 * quarter's reviews; signals a week (duplicate deliveries come within minutes); remediation actions
 * a week (the GPU budget reads the last hour) and stall checks two (`ops gpu-history`); backup
 * assessments a month (a monthly backup review); maintenance windows a month past their end.
 */
export const RETENTION = {
  incidentDays: 90,
  signalDays: 7,
  ledgerDays: 90,
  stallActionDays: 7,
  stallCheckDays: 14,
  backupCheckDays: 30,
  maintenanceAfterEndDays: 30,
} as const;

/**
 * Where the control plane reports a fault it repaired by itself (a stalled GPU fixed by a task
 * restart or a host replacement): the channels of a Medium alert, so the team reads it during the
 * day and nobody is woken for something already fixed.
 */
export const REMEDIATION_NOTICE_CHANNELS: readonly ChannelId[] = SEVERITY_CHANNELS.Medium;

/**
 * Seed 004's fallback channel: when a channel keeps failing (SNS refuses its message after its
 * retries) the step's page goes to email instead, and the escalation moves to the next level
 * without waiting out the step. A security page falls back to the security team's email: it
 * never leaves the security channels.
 */
export const FALLBACK_CHANNELS: { readonly general: ChannelId; readonly security: ChannelId } = {
  general: 'email',
  security: 'email-security',
};
