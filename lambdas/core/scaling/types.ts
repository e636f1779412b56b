import type { ComponentPolicy, EnvironmentConfig, ScalingRule } from '../../../lib/config/schema';

export type Signal = ScalingRule['signal'];

/** One value per rule period, oldest first; null is a missing datapoint (never "zero"). */
export type Series = ReadonlyArray<number | null>;

export interface FleetState {
  /** What the service or group is asked to run: includes capacity still booting. */
  readonly desired: number;
  readonly running: number;
  /** Tasks or instances started but not yet serving (a Fargate task ~60 s, a GPU host 5-8 min). */
  readonly pending: number;
}

/** A past action of this component, from the ledger. */
export interface LedgerAction {
  readonly at: string;
  readonly from: number;
  readonly to: number;
  readonly outcome: 'in-progress' | 'succeeded' | 'failed';
}

/** Seed 001's profile, as the environment's config names it (lib/config/schema.ts). */
export type CostPriority = EnvironmentConfig['scaling']['costPriority'];

/** A scheduled request: the start of the component's off-peak window, or its end ("the morning"). */
export type ScheduledRequest = 'off-peak-start' | 'off-peak-end';

export interface ScalingFlags {
  readonly scalingEnabled: boolean;
  readonly aggressiveness: EnvironmentConfig['scaling']['aggressiveness'];
  /**
   * Seed 001's cost priority: how much headroom right-sizing keeps (lambdas/core/scaling/cost-priority.ts).
   * Absent is `balanced`, right-sizing as measured.
   */
  readonly costPriority?: CostPriority;
  readonly paused: boolean;
  /**
   * The maintenance window that holds it, in words ("the postgresql window until
   * 2026-12-04T06:00:00Z (minor version upgrade)"); absent outside a window. A window on a
   * dependency holds its dependents, so the component is named.
   */
  readonly maintenanceWindow?: string;
  /** An open stalled-GPU incident: GPU scale-out waits for its remediation. */
  readonly stallOpen: boolean;
  /** PostgreSQL connections as a percentage of max_connections, when known. */
  readonly databaseConnectionsPercent?: number;
}

/** What the GPU fleet sizing reads (seed 000: a generation takes 10-20 s). */
export interface GpuDemand {
  readonly backlog: number;
  readonly arrivalsPerMinute: number;
  readonly jobsPerGpuPerMinute: number;
  /** How quickly the current backlog should be cleared, on top of keeping up with arrivals. */
  readonly drainMinutes: number;
}

export interface ScalingInput {
  readonly policy: ComponentPolicy;
  readonly metrics: Readonly<Partial<Record<Signal, Series>>>;
  /** Tasks running per minute (Container Insights' RunningTaskCount), aligned with the metrics. */
  readonly tasks?: Series;
  /** Generation jobs sent per minute (flux-gpu), aligned with the metrics. */
  readonly arrivals?: Series;
  readonly fleet: FleetState;
  readonly ledger: readonly LedgerAction[];
  readonly flags: ScalingFlags;
  readonly now: Date;
  readonly gpu?: GpuDemand;
  /** The rule whose alarm started the decision, when one did: a sized scale-out is credited to it. */
  readonly triggeredBy?: string;
  /** The off-peak schedule asked (lambdas/core/scaling/scheduled.ts): a target instead of the rules. */
  readonly scheduled?: ScheduledRequest;
  /** An operator's `ops scale` or console run: a target instead of the rules. */
  readonly manual?: { readonly to: number; readonly reason: string };
}

export type EscalationName =
  'Scaling_Runaway_Paused' | 'Max_Instances_Reached' | 'Scaling_Blocked_By_Database';

export interface ScalingDecision {
  readonly action: 'scale' | 'hold';
  readonly from: number;
  readonly to: number;
  readonly reason: string;
  /** The rule (or `manual`, `right-size`) that asked for the change. */
  readonly rule?: string;
  /** Every guardrail that shaped the decision, in the order applied. */
  readonly guardrails: readonly string[];
  /** What the rules and right-sizing asked for, when a guardrail held or cut it. */
  readonly proposed?: number;
  /** A scale-out held by the scale-out cooldown: when it ends (ISO), so it can be decided again then. */
  readonly cooldownEndsAt?: string;
  readonly escalate?: { readonly alert: EscalationName; readonly reason: string };
  /** Runaway protection: pause this component's automatic scaling. */
  readonly pause?: boolean;
}
