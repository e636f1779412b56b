import { Logger } from '@aws-lambda-powertools/logger';
import { ControlPlaneMetrics } from '../aws/control-plane-metrics';
import type { MetricsSink } from '../core/metrics-sink';
import { catalogueAlert } from '../core/escalation/catalogue';
import { checkBudget } from '../core/gpu/budget';
import { remediatingIncident, remediationIncidentId } from '../core/gpu/incident';
import type { RemediationStep } from '../core/gpu/recheck';
import { STALL_ALERT } from '../core/gpu/request';
import type { ConfirmResult } from '../stall-check';
import { documentClient } from '../aws/dynamo';
import { lazyHandler } from '../aws/lazy-handler';
import { readRuntimeConfig } from '../aws/runtime-config';
import { readStallConfig, type StallConfig } from '../aws/stall-config';
import { StallStore } from '../aws/stall-store';
import { StateStore } from '../aws/state-store';

export interface StallActEvent {
  readonly step: RemediationStep;
  readonly executionId: string;
  /** The execution's start ($$.Execution.StartTime): the incident id is derived from it. */
  readonly startedAt: string;
  readonly check: ConfirmResult;
  /** The replace step: the hosts the restart did not repair. */
  readonly targets?: readonly string[];
  readonly incidentId?: string;
}

export interface Target {
  readonly instanceId: string;
  readonly taskArn?: string;
}

/** What the Choice after each step reads: act on `targets`, or stop with a reason. */
export type StallActResult =
  | {
      readonly status: 'act';
      readonly incidentId: string;
      readonly cluster: string;
      readonly targets: readonly Target[];
      readonly instanceIds: readonly string[];
      readonly waitSeconds: number;
    }
  /** `incidentId` is null when there is none to name (the Close state reads the field either way). */
  | { readonly status: 'joined' | 'held'; readonly reason: string; readonly incidentId: string | null }
  | { readonly status: 'budget-spent'; readonly reason: string; readonly incidentId: string };

export interface StallActDeps {
  readonly stall: StallConfig;
  readonly store: StateStore;
  readonly stalls: StallStore;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly now: () => Date;
}

const HOUR = 3_600_000;

/**
 * Before each remediation step: the first step takes the one remediation claim (a second trigger
 * joins the incident being handled), opens the incident as `remediating` (which holds GPU
 * scale-out) and checks the budget; the second step checks the budget again. Every action is
 * recorded before the workflow takes it, once per execution, so a re-run never counts twice.
 */
export function makeStallActHandler(deps: StallActDeps) {
  const alert = catalogueAlert(STALL_ALERT);
  return async (event: StallActEvent): Promise<StallActResult> => {
    const now = deps.now();
    const { stall } = deps;
    if (event.step === 'replace') {
      const incidentId = event.incidentId ?? '';
      const targets = event.targets ?? [];
      return act(
        event,
        incidentId,
        targets.map((instanceId) => ({ instanceId })),
        stall.replaceWaitSeconds,
        now,
      );
    }

    const ownIncident = remediationIncidentId(event.executionId, new Date(event.startedAt));
    const until = new Date(
      now.getTime() +
        (stall.restartWaitSeconds + stall.replaceWaitSeconds + stall.claimSlackMinutes * 60) * 1000,
    );
    const claim = await deps.stalls.claim(event.executionId, ownIncident, until, now);
    if (!claim.claimed)
      return join(event, claim.incidentId, `execution ${claim.owner} is handling this stall`, now);

    const open = await deps.store.openIncidentOf(alert, stall.subject);
    if (open && open.status !== 'remediating') {
      await deps.stalls.release(event.executionId);
      return join(event, open.id, `incident ${open.id} is ${open.status}: people are on it`, now);
    }
    const maintenance = await deps.store.activeMaintenance('flux-gpu', now);
    if (maintenance[0]) {
      await deps.stalls.release(event.executionId);
      const m = maintenance[0];
      return {
        status: 'held',
        reason: `maintenance window on ${m.component} until ${m.end} (${m.reason}); nothing touched`,
        incidentId: null,
      };
    }
    // A remediating incident that is not ours belonged to an execution whose claim expired: adopt
    // it, and name it on the claim so that later triggers join it.
    const incidentId = open?.id ?? ownIncident;
    if (open && open.id !== ownIncident) await deps.stalls.claim(event.executionId, open.id, until, now);
    if (!open)
      await deps.store.openRemediating(
        remediatingIncident(alert, stall.subject, incidentId, now, event.check.summary),
        now,
      );
    return act(event, incidentId, event.check.stalled, stall.restartWaitSeconds, now);
  };

  async function act(
    event: StallActEvent,
    incidentId: string,
    targets: readonly Target[],
    waitSeconds: number,
    now: Date,
  ): Promise<StallActResult> {
    const recent = await deps.stalls.actionsSince(new Date(now.getTime() - HOUR));
    const replacements = recent.filter((a) => a.step === 'replace' && a.executionId !== event.executionId);
    const verdict = checkBudget(
      deps.stall.budget,
      targets.length,
      // The remediation budget's share is of the ACTIVE GPU hosts the check saw.
      event.check.instances.length,
      replacements.length,
    );
    if (!verdict.allowed) {
      deps.logger.warn('budget spent', { step: event.step, reason: verdict.reason });
      return { status: 'budget-spent', reason: verdict.reason, incidentId };
    }
    let recordedNow = 0;
    for (const t of targets) {
      const recorded = await deps.stalls.recordAction({
        at: now.toISOString(),
        executionId: event.executionId,
        step: event.step,
        instanceId: t.instanceId,
        incidentId,
      });
      if (recorded) recordedNow++;
    }
    if (recordedNow > 0)
      deps.metrics.emit('remediations', { workflow: 'stalled-gpu', action: event.step }, recordedNow);
    deps.logger.info('acting', { step: event.step, incidentId, targets });
    return {
      status: 'act',
      incidentId,
      cluster: deps.stall.targets.cluster,
      targets,
      instanceIds: targets.map((t) => t.instanceId),
      waitSeconds,
    };
  }

  async function join(
    event: StallActEvent,
    incidentId: string,
    reason: string,
    now: Date,
  ): Promise<StallActResult> {
    const counted = incidentId ? await deps.stalls.join(incidentId, event.executionId, now) : false;
    deps.logger.info('joined', { incidentId, reason, counted });
    return { status: 'joined', reason, incidentId: incidentId || null };
  }
}

export const handler = lazyHandler((): StallActDeps => {
  const config = readRuntimeConfig();
  const db = documentClient();
  return {
    stall: readStallConfig(),
    store: new StateStore(db, config.stateTable),
    stalls: new StallStore(db, config.stateTable),
    logger: new Logger(),
    metrics: new ControlPlaneMetrics(config.environment),
    now: () => new Date(),
  };
}, makeStallActHandler);
