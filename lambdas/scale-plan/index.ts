import { decideScaling } from '../core/scaling/decide';
import { decisionKind, holdReason } from '../core/scaling/decision-kind';
import { ControlPlaneMetrics } from '../aws/control-plane-metrics';
import { escalationStart, type EscalationStart } from '../core/scaling/escalation-input';
import { scalingQueries } from '../core/scaling/queries';
import { scaleAlertName } from '../../lib/config/scale-alerts';
import type { ComponentPolicy } from '../../lib/config/schema';
import type { Observation } from '../scale-observe';
import type { ScalingDecision, Series, Signal } from '../core/scaling/types';
import type { ComponentId } from '../../lib/config/constants';
import { Logger } from '@aws-lambda-powertools/logger';
import { documentClient } from '../aws/dynamo';
import { lazyHandler } from '../aws/lazy-handler';
import { LedgerStore } from '../aws/ledger-store';
import { readRuntimeConfig } from '../aws/runtime-config';
import type { ScalingDeps } from '../aws/scaling-deps';
import { StateStore } from '../aws/state-store';
import { policyFor, readScalingConfig } from '../aws/scaling-config';

export interface PlanEvent {
  readonly observation: Observation;
  readonly executionId: string;
  /** The execution's second decision, after waiting out a scale-out cooldown (the workflow does it once). */
  readonly reconsidered?: boolean;
}

export interface PlanResult {
  readonly component: string;
  readonly executionId: string;
  readonly decidedAt: string;
  readonly decision: ScalingDecision;
  readonly cluster: string;
  readonly service: string;
  readonly lockKey: string;
  /** Epoch seconds: the lock outlives a stuck execution by no more than this. */
  readonly lockExpiresAt: number;
  readonly nowEpoch: number;
  readonly stabiliseSeconds: number;
  readonly maxVerifyAttempts: number;
  /** The CPU and latency before the action, for the post-scale check (seed 002). */
  readonly before: { readonly cpu: number | null; readonly latencyMs: number | null };
  /** An incident to raise now (hold escalations) or after the action (reaching the maximum). */
  readonly escalation?: EscalationStart;
  /** When the alarm that asked changed state: Record reports the time from it to the action. */
  readonly alarmAt?: string;
  /**
   * A scale-out held only by the scale-out cooldown, first time in this execution: the workflow
   * waits until then and decides again (the alarm that asked stays in ALARM and sends nothing new).
   */
  readonly reconsiderAt?: string;
}

/** A Fargate task runs in about a minute, a GPU host serves in 5-8 minutes (DESIGN.md). */
const STABILISE_SECONDS = { odoo: 60, n8n: 60, 'flux-gpu': 120 } as const;
const VERIFY_ATTEMPTS = { odoo: 5, n8n: 5, 'flux-gpu': 6 } as const;
const LOCK_SECONDS = 30 * 60;

/**
 * Plan: with what Observe saw, reads the component's ledger and flags, asks the decision engine,
 * and records the decision in the ledger (once per execution: a retried plan reuses it).
 */
type PlanDeps = Pick<ScalingDeps, 'scaling' | 'ledger' | 'store' | 'logger' | 'metrics' | 'now'>;

export function makePlanHandler(deps: PlanDeps) {
  return async (event: PlanEvent): Promise<PlanResult> => {
    const { request, fleet, series } = event.observation;
    const { component } = request;
    // One recorded decision per decision of the execution: the first, and the one after a cooldown.
    const planKey = event.reconsidered ? `${event.executionId}-after-cooldown` : event.executionId;
    const policy = policyFor(deps.scaling, component);
    const cluster = deps.scaling.targets.cluster;
    const service = deps.scaling.targets.services[component];
    const base = {
      component,
      executionId: planKey,
      cluster,
      service,
      lockKey: `LOCK#${component}`,
      stabiliseSeconds: STABILISE_SECONDS[component],
      maxVerifyAttempts: VERIFY_ATTEMPTS[component],
    };

    const existing = await deps.ledger.plannedBy(planKey);
    const now = existing ? new Date(existing.decidedAt) : deps.now();
    const timing = {
      lockExpiresAt: Math.floor(deps.now().getTime() / 1000) + LOCK_SECONDS,
      nowEpoch: Math.floor(deps.now().getTime() / 1000),
    };
    if (existing) {
      const before = existing.inputs.before as PlanResult['before'];
      return {
        ...base,
        ...timing,
        decidedAt: existing.decidedAt,
        decision: existing.decision,
        before,
        ...(request.alarmAt ? { alarmAt: request.alarmAt } : {}),
        ...escalationOf(existing.decision, component, planKey, now),
        ...reconsideration(existing.decision, event),
      };
    }

    const { signals } = scalingQueries(component, deps.scaling.targets);
    const [actions, pausedBecause, maintenance, stall] = await Promise.all([
      deps.ledger.actions(component, new Date(now.getTime() - 3600_000)),
      deps.ledger.pausedBecause(component),
      deps.store.activeMaintenance(component, now),
      component === 'flux-gpu'
        ? deps.store.latestOpenIncident('AI_Service_Stalled')
        : Promise.resolve(undefined),
    ]);
    const metrics = Object.fromEntries(
      Object.entries(signals).map(([signal, id]) => [signal, series[id] ?? []]),
    ) as Partial<Record<Signal, Series>>;
    const lastOf = (s: Series | undefined) => [...(s ?? [])].reverse().find((v) => v !== null) ?? null;
    const connections = lastOf(series.dbconnections);
    const decision = decideScaling({
      policy,
      metrics,
      fleet,
      ...(series.tasks ? { tasks: series.tasks } : {}),
      ...(series.arrivals ? { arrivals: series.arrivals } : {}),
      ledger: actions,
      ...triggeringRule(policy, request.alertName),
      now,
      flags: {
        scalingEnabled: deps.scaling.scalingEnabled,
        aggressiveness: deps.scaling.aggressiveness,
        ...(deps.scaling.costPriority ? { costPriority: deps.scaling.costPriority } : {}),
        paused: pausedBecause !== undefined,
        ...(maintenance[0]
          ? {
              maintenanceWindow: `the ${maintenance[0].component} window until ${maintenance[0].end} (${maintenance[0].reason})`,
            }
          : {}),
        stallOpen: stall !== undefined,
        ...(connections !== null
          ? { databaseConnectionsPercent: (100 * connections) / deps.scaling.databaseMaxConnections }
          : {}),
      },
      ...(component === 'flux-gpu'
        ? {
            gpu: {
              backlog: lastOf(series.backlog) ?? 0,
              arrivalsPerMinute: lastOf(series.arrivals) ?? 0,
              jobsPerGpuPerMinute: deps.scaling.gpu.jobsPerGpuPerMinute,
              drainMinutes: deps.scaling.gpu.backlogDrainMinutes,
            },
          }
        : {}),
      ...(request.manual ? { manual: request.manual } : {}),
      ...(request.scheduled ? { scheduled: request.scheduled } : {}),
    });

    const before = { cpu: lastOf(series.cpu), latencyMs: lastOf(series.latency) };
    const { entry, recordedNow } = await deps.ledger.record({
      component,
      executionId: planKey,
      decidedAt: now.toISOString(),
      trigger: request.trigger,
      decision,
      inputs: {
        fleet,
        metrics,
        before,
        paused: pausedBecause ?? null,
        maintenance: maintenance.length > 0,
        stallOpen: stall !== undefined,
        databaseConnections: connections,
        // The environment's profile the guardrails applied (seed 001), so a step reads back.
        aggressiveness: deps.scaling.aggressiveness,
        costPriority: deps.scaling.costPriority ?? 'balanced',
      },
      outcome: decision.action === 'scale' ? 'in-progress' : 'hold',
    });
    if (recordedNow) countDecision(deps.metrics, component, entry.decision);
    if (decision.pause) await deps.ledger.pause(component, decision.reason, 'runaway protection', now);
    deps.logger.info('decided', { component, trigger: request.trigger, decision });
    return {
      ...base,
      ...timing,
      decidedAt: entry.decidedAt,
      decision: entry.decision,
      before,
      ...(request.alarmAt ? { alarmAt: request.alarmAt } : {}),
      ...escalationOf(entry.decision, component, planKey, now),
      ...reconsideration(entry.decision, event),
    };
  };
}

/** The rule whose generated alarm (lib/config/scale-alerts.ts) started this decision, if one did. */
function triggeringRule(policy: ComponentPolicy, alertName: string | undefined): { triggeredBy?: string } {
  const rule = policy.rules.find((r) => scaleAlertName(policy.id, r.id) === alertName);
  return rule ? { triggeredBy: rule.id } : {};
}

/** When to decide again: a scale-out the cooldown held, once per execution, never a manual run's. */
function reconsideration(decision: ScalingDecision, event: PlanEvent): { reconsiderAt?: string } {
  if (event.reconsidered || event.observation.request.manual || !decision.cooldownEndsAt) return {};
  return { reconsiderAt: decision.cooldownEndsAt };
}

/** The decision on the dashboards, counted by the Plan that recorded it (a retry finds it recorded). */
function countDecision(
  metrics: PlanDeps['metrics'],
  component: ComponentId,
  decision: ScalingDecision,
): void {
  metrics.emit('decisions', { component, decision: decisionKind(decision) });
  const reason = holdReason(decision);
  if (reason) metrics.emit('holds', { component, reason });
}

function escalationOf(
  decision: ScalingDecision,
  component: string,
  executionId: string,
  at: Date,
): { escalation?: EscalationStart } {
  return decision.escalate
    ? {
        escalation: escalationStart(
          decision.escalate.alert,
          component,
          executionId,
          at,
          decision.escalate.reason,
        ),
      }
    : {};
}

export const handler = lazyHandler((): PlanDeps => {
  const config = readRuntimeConfig();
  const db = documentClient();
  return {
    scaling: readScalingConfig(),
    ledger: new LedgerStore(db, config.stateTable),
    store: new StateStore(db, config.stateTable),
    logger: new Logger(),
    metrics: new ControlPlaneMetrics(config.environment),
    now: () => new Date(),
  };
}, makePlanHandler);
