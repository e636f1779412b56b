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
  /**
   * The alert/subject pairs (`<alert>#<subject>`) whose latest state is ALARM and belong to this
   * incident: a grouped incident resolves when the last of them returns to OK.
   */
  readonly activeMembers?: readonly string[];
  readonly parentId?: string;
  readonly pages: readonly PageRecord[];
  readonly acknowledgedBy?: string;
  readonly acknowledgementComment?: string;
  readonly acknowledgedAt?: string;
  readonly resolvedAt?: string;
  /** What the control plane saw and tried before paging (a workflow's detail); shown in the page. */
  readonly findings?: string;
  /** Per step index: the channels chosen when the step was first paged, and when. */
  readonly stepPlans?: Readonly<Record<string, StepPlan>>;
  /** Per `<step>#<channel>` (or `resolved#<channel>`): SNS accepted it, with its message id. */
  readonly delivered?: Readonly<Record<string, Delivery>>;
  /** Per `<step>#<channel>`: SNS refused it after retries; the fallback channel was paged instead. */
  readonly failedDeliveries?: Readonly<Record<string, { readonly at: string; readonly error: string }>>;
  /** Wake-ups of a waiting step that carried no verified acknowledgement (ignored, recorded). */
  readonly invalidWakes?: readonly { readonly at: string; readonly step: number }[];
  /** The health probe found the service answering before anyone was paged: closed as transient. */
  readonly transient?: TransientNote;
}

/** What the health probe saw when it contradicted a 'Service Unresponsive' alert. */
export interface TransientNote {
  readonly at: string;
  readonly target: string;
  readonly url: string;
  readonly httpStatus?: number;
  readonly durationMs: number;
  readonly reason: string;
}

export interface StepPlan {
  readonly channels: readonly ChannelId[];
  readonly at: string;
}

export interface Delivery {
  readonly at: string;
  readonly messageId: string;
}

/**
 * What the state table knows of one alert on one subject: its latest state change (ordered by the
 * alarm's own state-change time, not by delivery), the recent transitions for flapping, and the
 * incident its current ALARM belongs to. Kept on its correlation group's item (one conditional
 * write commits a decision for the whole group).
 */
export interface AlertState {
  readonly lastState?: 'ALARM' | 'OK';
  /** The state-change time of the latest registered change (ISO). */
  readonly lastChangeAt?: string;
  /** The signal key of that change. */
  readonly lastSignalKey?: string;
  /** Transitions (ALARM<->OK) within the flapping window, by their own times. */
  readonly transitions: readonly string[];
  readonly flappingUntil?: string;
  /** The open incident this alert's ALARM belongs to (its own, a group's it joined, or linked). */
  readonly incidentId?: string;
}

/** Everything Register needs to know about the past, read under the correlation group's lock. */
export interface RegisterSnapshot {
  readonly alertState: AlertState;
  /** The incident `alertState.incidentId` names, as stored. */
  readonly alertIncident?: Incident;
  /** The incident the alert's correlation group is gathering into, if it is still open. */
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
  /** Older (by the alarm's own state-change time) than the latest registered change: nothing changes. */
  | { readonly action: 'stale'; readonly reason: string }
  /** A confirmation or dampening re-check that a newer change or an open incident made moot. */
  | { readonly action: 'superseded'; readonly reason: string }
  | { readonly action: 'resolve'; readonly reason: string; readonly incidentId?: string }
  /** A grouped alert returned to OK while other members of its incident are still in ALARM. */
  | { readonly action: 'left-group'; readonly reason: string; readonly incidentId: string }
  | {
      readonly action: 'suppressed';
      readonly reason: string;
      /** Flapping dampening ends then: the workflow re-registers and pages if still in ALARM. */
      readonly recheckAt?: string;
    }
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
      /** The step to page first: 0 for a new incident, where paging stopped for a taken-over one. */
      readonly firstStep: number;
      /** True when the incident existed already (a remediation or a failed escalation handed it over). */
      readonly takenOver: boolean;
      /**
       * A new incident of a 'Service Unresponsive' alert (lib/config/probe-validation.ts): the
       * workflow runs this health probe before the first page. Absent: page at once.
       */
      readonly validate?: { readonly target: 'odoo' | 'n8n' };
    };

export type EscalationInput = WorkflowInput;
