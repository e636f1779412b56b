import type { ChannelId } from '../../../lib/config/schema';
import type { WorkflowInput } from '../routing/route';

/**
 * An incident as the state table keeps it. `remediating`: a workflow (stalled GPU) is repairing
 * the fault and has paged nobody yet; if it fails, the escalation takes the incident over.
 */
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved' | 'linked' | 'remediating';

export interface PageRecord {
  readonly step: number;
  readonly level: number;
  readonly audience: string;
  readonly channels: readonly ChannelId[];
  readonly at: string;
}

export interface Incident {
  readonly id: string;
  readonly alertName: string;
  readonly component: string;
  readonly subject: string;
  readonly severity: string;
  readonly correlationGroup: string;
  /** Seed 004: a Critical (and a security) acknowledgement must carry a comment. */
  readonly acknowledgementRequiresComment: boolean;
  readonly status: IncidentStatus;
  readonly openedAt: string;
  readonly lastSignalAt: string;
  /** Signals absorbed by this incident: the first, duplicates and grouped alerts. */
  readonly count: number;
  /** Alerts grouped into this incident (its own first). */
  readonly members: readonly string[];
  readonly parentId?: string;
  readonly pages: readonly PageRecord[];
  readonly acknowledgedBy?: string;
  readonly acknowledgementComment?: string;
  readonly acknowledgedAt?: string;
  readonly resolvedAt?: string;
  /** What the control plane saw and tried before paging (a workflow's detail); shown in the page. */
  readonly findings?: string;
}

/** Everything Register needs to know about the past, read from the state table in one go. */
export interface RegisterSnapshot {
  readonly signalAlreadySeen: boolean;
  /** Recent state changes (ISO times) of this alert on this subject, for flapping detection. */
  readonly stateChanges: readonly string[];
  readonly flappingUntil?: string;
  /** The latest incident of this alert on this subject, open or recently resolved. */
  readonly latestIncident?: Incident;
  /** The open incident of the alert's correlation group, if any. */
  readonly groupIncident?: Incident;
  /** The open incident of the alert's parent alert, if any. */
  readonly parentIncident?: Incident;
  /** Maintenance windows of the alert's component that cover now. */
  readonly activeMaintenance: readonly MaintenanceWindow[];
}

export interface MaintenanceWindow {
  readonly component: string;
  readonly start: string;
  readonly end: string;
  readonly reason: string;
}

export interface EscalationStep {
  readonly index: number;
  readonly level: number;
  readonly audience: string;
  /** Seconds to wait for an acknowledgement before the next step; 0 on the last step. */
  readonly waitSeconds: number;
  readonly isLast: boolean;
}

/** What Register decided; `action` is what the workflow's Choice state reads. */
export type RegisterDecision =
  | { readonly action: 'duplicate'; readonly reason: string }
  | { readonly action: 'resolve'; readonly reason: string; readonly incidentId?: string }
  | { readonly action: 'suppressed'; readonly reason: string }
  | { readonly action: 'deduplicated' | 'grouped'; readonly reason: string; readonly incidentId: string }
  | { readonly action: 'linked'; readonly reason: string; readonly incident: Incident }
  | {
      readonly action: 'confirm';
      readonly reason: string;
      readonly checks: number;
      readonly intervalSeconds: number;
    }
  | {
      readonly action: 'page';
      readonly reason: string;
      readonly incident: Incident;
      readonly steps: readonly EscalationStep[];
    };

export type EscalationInput = WorkflowInput;
