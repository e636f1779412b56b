import { Logger } from '@aws-lambda-powertools/logger';
import { listsFor, STAKEHOLDER_LISTS, type StakeholderList } from '../../lib/config/major-incident-lists';
import {
  declarationNotice,
  endNotice,
  pagerDutyResolve,
  pagerDutyTrigger,
  type PagerDutyEvent,
  type SnsNotice,
} from '../core/major-incident/messages';
import { parseMajorRequest } from '../core/major-incident/request';
import { InvalidInputError } from '../core/invalid-input';
import { documentClient } from '../aws/dynamo';
import { lazyHandler } from '../aws/lazy-handler';
import { readMajorRecordSettings, type MajorRecordSettings } from '../aws/major-incident-config';
import { MajorIncidentStore } from '../aws/major-incident-store';
import { summarise, type Delivery, type MajorReport } from './report';

export type { Delivery, MajorReport };

/** The Record step: the workflow's input with its execution's context. */
export interface MajorRecordEvent {
  readonly step: 'record';
  readonly request: unknown;
  readonly executionId: string;
  readonly executionName: string;
  /** `$$.Execution.StartTime`: when the request was made, which orders declarations and ends. */
  readonly startedAt: string;
}

/** The Report step: what each channel's branch of the Notify state ended with. */
export interface MajorReportEvent {
  readonly step: 'report';
  readonly action: 'declare' | 'end';
  readonly majorId: string;
  readonly deliveries: readonly Delivery[];
}

export type MajorRecordResult =
  | {
      readonly status: 'notify';
      readonly action: 'declare' | 'end';
      readonly majorId: string;
      /** Per list, whether its topic is published to (the workflow's Choice states read these). */
      readonly notify: Readonly<Record<StakeholderList, boolean>>;
      readonly sns: SnsNotice;
      readonly pagerDutyEnabled: boolean;
      readonly pagerDuty: PagerDutyEvent;
    }
  | {
      /** Nothing sent: one is active already, the declaration was superseded, nothing to end. */
      readonly status: 'nothing-to-send';
      readonly action: 'declare' | 'end';
      readonly outcome: 'already-active' | 'superseded' | 'not-active';
      readonly majorId: string | null;
      readonly summary: string;
    };

export interface MajorRecordDeps {
  readonly settings: MajorRecordSettings;
  readonly store: MajorIncidentStore;
  readonly logger: Logger;
}

/**
 * Validates a declaration or an end (refused naming the field, before anything is recorded or
 * sent), records it in the state table and renders what is sent; once the channels are done,
 * records and reports whom they reached.
 */
export function makeMajorRecordHandler(deps: MajorRecordDeps) {
  return async (event: MajorRecordEvent | MajorReportEvent): Promise<MajorRecordResult | MajorReport> =>
    event.step === 'report' ? report(event) : record(event);

  async function record(event: MajorRecordEvent): Promise<MajorRecordResult> {
    let request;
    try {
      request = parseMajorRequest(event.request);
    } catch (error) {
      if (error instanceof InvalidInputError)
        deps.logger.warn('major-incident request refused', { reason: error.message });
      throw error;
    }
    const change = {
      executionName: event.executionName,
      executionId: event.executionId,
      requestedAt: event.startedAt,
      requestedBy: request.requestedBy,
      reason: request.reason,
    };
    const { environment, runbookUrl, pagerDuty } = deps.settings;
    if (request.action === 'declare') {
      const lists = listsFor(request.broadImpact);
      const declared = await deps.store.declare(change, { broadImpact: request.broadImpact, lists });
      if (declared.outcome === 'already-active') {
        const summary = `major incident ${declared.activeId} is already active (since ${declared.since}): nobody notified again`;
        deps.logger.warn(summary, { requestedBy: request.requestedBy });
        return nothing('declare', 'already-active', declared.activeId, summary);
      }
      if (declared.outcome === 'superseded') {
        const summary = `an end requested after this declaration was recorded first (at ${declared.endedAt}): nobody notified`;
        deps.logger.warn(summary, { requestedBy: request.requestedBy });
        return nothing('declare', 'superseded', null, summary);
      }
      const notice = {
        environment,
        majorId: event.executionName,
        reason: request.reason,
        requestedBy: request.requestedBy,
        at: event.startedAt,
        lists,
        runbookUrl,
      };
      deps.logger.info('major incident declared', {
        majorId: notice.majorId,
        declaredBy: notice.requestedBy,
        lists,
      });
      return {
        status: 'notify',
        action: 'declare',
        majorId: notice.majorId,
        notify: flags(lists),
        sns: declarationNotice(notice),
        pagerDutyEnabled: pagerDuty,
        pagerDuty: pagerDutyTrigger(notice, request.broadImpact),
      };
    }
    const ended = await deps.store.end(change);
    if (ended.outcome === 'not-active') {
      deps.logger.warn(`nothing to end: ${ended.why}`, { requestedBy: request.requestedBy });
      return nothing('end', 'not-active', null, `nothing to end: ${ended.why}`);
    }
    const { record: declared } = ended;
    deps.logger.info('major incident ended', { majorId: declared.majorId, endedBy: request.requestedBy });
    return {
      status: 'notify',
      action: 'end',
      majorId: declared.majorId,
      // The same lists the declaration notified.
      notify: flags(declared.lists),
      sns: endNotice({
        environment,
        majorId: declared.majorId,
        reason: request.reason,
        requestedBy: request.requestedBy,
        at: event.startedAt,
        lists: declared.lists,
        runbookUrl,
        declaredReason: declared.reason,
      }),
      pagerDutyEnabled: pagerDuty,
      pagerDuty: pagerDutyResolve(environment, declared.majorId),
    };
  }

  async function report(event: MajorReportEvent): Promise<MajorReport> {
    const result = summarise(event.action, event.majorId, event.deliveries);
    await deps.store.recordDeliveries(event.majorId, event.action, {
      reached: result.reached,
      failed: result.failed,
      skipped: result.skipped,
    });
    if (result.failed.length > 0)
      deps.logger.error(`major incident ${event.action}: ${result.summary}`, { failed: result.failed });
    else deps.logger.info(`major incident ${event.action}: ${result.summary}`);
    return result;
  }
}

function flags(lists: readonly StakeholderList[]): Record<StakeholderList, boolean> {
  return Object.fromEntries(STAKEHOLDER_LISTS.map((l) => [l, lists.includes(l)])) as Record<
    StakeholderList,
    boolean
  >;
}

function nothing(
  action: 'declare' | 'end',
  outcome: 'already-active' | 'superseded' | 'not-active',
  majorId: string | null,
  summary: string,
): MajorRecordResult {
  return { status: 'nothing-to-send', action, outcome, majorId, summary };
}

export const handler = lazyHandler((): MajorRecordDeps => {
  const settings = readMajorRecordSettings();
  return {
    settings,
    store: new MajorIncidentStore(documentClient(), settings.stateTable),
    logger: new Logger(),
  };
}, makeMajorRecordHandler);
