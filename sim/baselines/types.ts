import type { TwinService } from '../aws/twin-account';

/**
 * The contract between the discrete-time twin and a baseline autoscaler. A baseline is a pure model
 * of somebody else's controller (AWS target tracking, CloudWatch step scaling, the Kubernetes HPA):
 * the twin calls `decide` every `periodSeconds` with what the metrics pipeline would show and applies
 * the capacity it returns. Baselines keep their own state (alarm histories, cooldowns, recommendation
 * windows), so one controller instance drives one simulated fleet from start to end.
 */

export interface Observation {
  /** Seconds since the start of the simulation. */
  readonly time: number;
  /** Capacity currently asked for (ECS desiredCount, the HPA's scale.spec.replicas). */
  readonly desired: number;
  /** Capacity in service (tasks or pods running and ready; the metrics are measured over these). */
  readonly running: number;
  /** Latest datapoint per metric name (e.g. 'cpu-utilization' in %, 'queue-backlog'), null when missing. */
  readonly metrics: Readonly<Record<string, number | null>>;
}

/** Something a controller did that an operator would see: a scaling action, or a page it raised. */
export interface TimelineEvent {
  /** Seconds since the start of the simulation. */
  readonly time: number;
  readonly kind: 'scale' | 'escalate' | 'resolve' | 'pause' | 'resume';
  readonly text: string;
  /** For a scaling action: the rule that asked for it (`right-size` when none breached, `manual`). */
  readonly rule?: string;
}

export interface Controller {
  readonly name: string;
  /** How often the twin must call `decide` (seconds): 60 for CloudWatch-based, 15 for the HPA. */
  readonly periodSeconds: number;
  /** Returns the new desired capacity (may equal obs.desired). Controllers keep their own state (alarm histories, cooldowns). */
  decide(obs: Observation): number | Promise<number>;
  /**
   * Before the run: the twin's service, for a controller that acts through its API (the control
   * plane's workflows call UpdateService and DescribeServices) rather than by returning a count.
   */
  attach?(service: TwinService): void | Promise<void>;
  /** After the run: release what the controller holds (the control plane's local DynamoDB). */
  close?(): Promise<void>;
  /** What it did and whom it paged, in order (only controllers that page keep one). */
  readonly timeline?: readonly TimelineEvent[];
  /**
   * When (seconds) it held a scale-out because a seed cooldown had not run out: the decision
   * latency of a breach held so is reported apart (only the control plane keeps seed cooldowns).
   */
  readonly cooldownHolds?: readonly number[];
  /**
   * When (seconds) it answered a breach without scaling because the fleet already holds the load
   * at its target (the control plane's right-sizing): that breach's episode ends there.
   */
  readonly sufficientHolds?: readonly number[];
}

/** A model of somebody else's autoscaler: it decides at once, from the observation alone. */
export interface Baseline extends Controller {
  decide(obs: Observation): number;
}
