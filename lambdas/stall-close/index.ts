import { Logger } from '@aws-lambda-powertools/logger';
import { REMEDIATION_NOTICE_CHANNELS } from '../../lib/config/escalation';
import { describeRemediation, repairNotice, type StepTaken } from '../core/gpu/findings';
import type { RemediationStep } from '../core/gpu/recheck';
import { STALL_ALERT } from '../core/gpu/request';
import { catalogueAlert } from '../core/escalation/catalogue';
import { workflowEscalation } from '../core/escalation/workflow-start';
import type { WorkflowInput } from '../core/routing/route';
import type { ConfirmResult } from '../stall-check';
import { documentClient } from '../aws/dynamo';
import { lazyHandler } from '../aws/lazy-handler';
import { toPublications, type Publication } from '../aws/publications';
import { readRuntimeConfig, type RuntimeConfig } from '../aws/runtime-config';
import { readStallConfig, type StallConfig } from '../aws/stall-config';
import { StallStore } from '../aws/stall-store';
import { StateStore } from '../aws/state-store';

/** How a run ended: nothing to do, or after remediating. */
export type StallOutcome = 'healthy' | 'no-signal' | 'joined' | 'held' | 'recovered' | 'escalate';

export interface StallCloseEvent {
  readonly outcome: StallOutcome;
  readonly executionId: string;
  readonly check: ConfirmResult;
  /** Null until an incident was opened or joined. */
  readonly incidentId: string | null;
  /** The steps taken, with their rechecks; null when not taken. */
  readonly restart: Omit<StepTaken, 'step'> | null;
  readonly replace: Omit<StepTaken, 'step'> | null;
  /** Why nothing (more) was tried: the budget, a join, a maintenance window, a failure. */
  readonly reason: string | null;
}

export type StallCloseResult =
  | { readonly status: 'recorded'; readonly outcome: StallOutcome }
  | {
      readonly status: 'resolved';
      readonly incidentId: string;
      readonly findings: string;
      readonly publications: readonly Publication[];
    }
  | {
      readonly status: 'escalate';
      readonly incidentId: string;
      readonly findings: string;
      readonly escalation: { readonly name: string; readonly input: WorkflowInput };
    }
  | {
      /** A paged stall incident whose hosts are all healthy again: the escalation resolves it. */
      readonly status: 'resolve-paged';
      readonly incidentId: string;
      readonly escalation: { readonly name: string; readonly input: WorkflowInput };
    };

export interface StallCloseDeps {
  readonly config: RuntimeConfig;
  readonly stall: StallConfig;
  readonly store: StateStore;
  readonly stalls: StallStore;
  readonly logger: Logger;
  readonly now: () => Date;
}

/**
 * The end of every run: records what was seen and done; a repaired stall resolves its incident
 * and tells the team (nobody was paged); an unrepaired one hands the incident to the escalation
 * workflow, Critical, with what was seen and tried (keeping the claim until it expires). A check
 * that finds every host healthy while a paged (or orphaned) stall incident is open resolves it.
 */
export function makeStallCloseHandler(deps: StallCloseDeps) {
  return async (event: StallCloseEvent): Promise<StallCloseResult> => {
    const now = deps.now();
    // The rechecked steps as the workflow passed them; a step it started but never rechecked (it
    // failed mid-way) from the actions it recorded before acting.
    const recorded = event.outcome === 'escalate' ? await deps.stalls.actionsOf(event.executionId) : [];
    const stepOf = (step: RemediationStep, taken: Omit<StepTaken, 'step'> | null): StepTaken[] => {
      if (taken) return [{ step, ...taken }];
      const targets = recorded.filter((a) => a.step === step).map((a) => a.instanceId);
      return targets.length > 0 ? [{ step, targets }] : [];
    };
    const steps = [...stepOf('restart', event.restart), ...stepOf('replace', event.replace)];
    const findings = describeRemediation(event.check.summary, steps, event.reason ?? undefined);
    await deps.stalls.recordCheck({
      executionId: event.executionId,
      checkedAt: event.check.checkedAt,
      trigger: event.check.trigger,
      outcome: event.outcome,
      summary: event.check.summary,
      findings,
      ...(event.incidentId ? { incidentId: event.incidentId } : {}),
    });
    if (event.outcome === 'healthy') {
      // A stall that was paged (people fixed it, or it cleared) ends when a check finds every host
      // healthy: the composite alarm never fired for one host among busy ones, so no OK would come.
      // A remediating incident nobody holds the claim for was left by a run that failed: the same
      // goes for it.
      const paged = await deps.store.openIncidentOf(catalogueAlert(STALL_ALERT), deps.stall.subject);
      const orphaned = paged?.status === 'remediating' && (await deps.stalls.holder(now)) === undefined;
      if (paged && (paged.status !== 'remediating' || orphaned)) {
        deps.logger.info('resolving', { incidentId: paged.id, summary: event.check.summary });
        return {
          status: 'resolve-paged',
          incidentId: paged.id,
          escalation: handOver(
            event.executionId,
            'OK',
            `every GPU host is healthy again: ${event.check.summary}`,
            now,
          ),
        };
      }
    }
    if (event.outcome !== 'recovered' && event.outcome !== 'escalate') {
      deps.logger.info('recorded', { outcome: event.outcome, summary: event.check.summary });
      return { status: 'recorded', outcome: event.outcome };
    }
    const incidentId = event.incidentId ?? '';
    if (event.outcome === 'recovered') {
      await deps.stalls.release(event.executionId);
      // The alarm's return to OK may have resolved it already; the notice goes out either way.
      await deps.store.resolve(incidentId, now);
      const messages = repairNotice(REMEDIATION_NOTICE_CHANNELS, {
        environment: deps.config.environment,
        incidentId,
        subject: deps.stall.subject,
        findings,
        at: now,
      });
      const { publications } = toPublications(messages, deps.config.channelTopics, {
        incidentId,
        severity: 'Medium',
        level: 'repaired',
      });
      deps.logger.info('repaired', { incidentId, findings });
      return { status: 'resolved', incidentId, findings, publications };
    }

    // The claim is kept until it expires: triggers in the meantime join the incident the escalation
    // is taking over, instead of starting a second remediation of it.
    deps.logger.warn('escalating', { incidentId, findings });
    return {
      status: 'escalate',
      incidentId,
      findings,
      escalation: handOver(event.executionId, 'ALARM', findings, now),
    };
  };

  /** The escalation workflow's input: page the stall (ALARM) or resolve its paged incident (OK). */
  function handOver(executionId: string, state: 'ALARM' | 'OK', detail: string, at: Date) {
    return workflowEscalation({
      alert: catalogueAlert(STALL_ALERT),
      workflow: 'stalled-gpu',
      subject: deps.stall.subject,
      state,
      label: state === 'OK' ? 'healthy' : 'remediation',
      executionId,
      detail,
      at,
    });
  }
}

export const handler = lazyHandler((): StallCloseDeps => {
  const config = readRuntimeConfig();
  const db = documentClient();
  return {
    config,
    stall: readStallConfig(),
    store: new StateStore(db, config.stateTable),
    stalls: new StallStore(db, config.stateTable),
    logger: new Logger(),
    now: () => new Date(),
  };
}, makeStallCloseHandler);
