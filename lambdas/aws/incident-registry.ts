import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RuntimeAlert } from '../../lib/config/alert-runtime';
import { RETENTION } from '../../lib/config/escalation';
import { memberKey, phaseKey, signalKey } from '../core/escalation/ids';
import { isUnresolved } from '../core/escalation/incident-state';
import { register, type RegisterPhase } from '../core/escalation/register';
import type { AlertState, EscalationInput, Incident, RegisterDecision } from '../core/escalation/types';
import { expiresAfterDays } from './dynamo';
import type { LeaseLock } from './lease-lock';
import type { StateStore } from './state-store';

/**
 * The correlation group's item (`GROUP#<group>` / `GROUP`) is where Register commits: the state of
 * every alert of the group (latest change, transitions, the incident it belongs to), the incident
 * the group is gathering into, and the decisions committed but not yet applied to the incident
 * items. One conditional put on `version` commits a decision, so concurrent deliveries for one
 * alert or one group are linearised: the group's lease lock orders them, and the version condition
 * keeps a writer whose lease ran out from overwriting the next one.
 */
export interface GroupItem {
  readonly version: number;
  readonly alerts: Readonly<Record<string, AlertState>>;
  /** The incident a new alert of the group may join (if it is young and open). */
  readonly gathering?: string;
  /** Decisions committed but not yet applied: whoever holds the lock next applies them first. */
  readonly pending: readonly PendingDecision[];
}

export interface PendingDecision {
  readonly key: string;
  readonly executionId?: string;
  readonly alertName: string;
  readonly member: string;
  readonly decision: RegisterDecision;
  readonly at: string;
}

/** What a signal record keeps: the decision, and which execution registered it. */
interface SignalRecord {
  readonly decision: RegisterDecision;
  readonly executionId?: string;
}

/**
 * An alert as the registry finds its state: by name within its correlation group (given by the
 * caller, which knows the alert, so the registry carries no catalogue).
 */
export type AlertRef = Pick<RuntimeAlert, 'name' | 'correlationGroup'>;

const EMPTY_GROUP: GroupItem = { version: 0, alerts: {}, pending: [] };
const EMPTY_ALERT: AlertState = { transitions: [] };

export class IncidentRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly lock: LeaseLock,
    private readonly store: StateStore,
  ) {}

  /**
   * Registers one signal: under the group's lock, applies what an earlier holder committed but did
   * not finish, then decides, commits on the group item, applies the decision to the incident
   * items and records the signal. A retry of the same execution gets the decision it committed
   * (a partial failure is rolled forward, never lost); another execution with the same signal
   * gets `duplicate`.
   */
  async register(
    input: EscalationInput,
    alert: RuntimeAlert,
    now: Date,
    phase: RegisterPhase,
    executionId?: string,
  ): Promise<RegisterDecision> {
    const key = phaseKey(signalKey(input), phase);
    return this.lock.withLock(groupLock(alert.correlationGroup), async () => {
      let group = await this.finishPending(alert.correlationGroup, now);
      const seen = await this.signal(key);
      if (seen) {
        return seen.executionId !== undefined && seen.executionId === executionId
          ? seen.decision
          : { action: 'duplicate', reason: 'this state change was already registered; nothing to do' };
      }
      const member = memberKey(alert.name, input.subject);
      const alertState = group.alerts[member] ?? EMPTY_ALERT;
      const [alertIncident, gathering, parentIncident, activeMaintenance] = await Promise.all([
        alertState.incidentId ? this.store.incident(alertState.incidentId) : undefined,
        group.gathering ? this.store.incident(group.gathering) : undefined,
        alert.parent ? this.store.latestOpenIncident(alert.parent) : undefined,
        this.store.activeMaintenance(alert.component, now),
      ]);
      const outcome = register(
        input,
        alert,
        {
          alertState,
          ...(alertIncident ? { alertIncident } : {}),
          ...(gathering && isUnresolved(gathering) ? { groupIncident: gathering } : {}),
          ...(parentIncident ? { parentIncident } : {}),
          activeMaintenance,
        },
        now,
        phase,
      );
      const pending: PendingDecision = {
        key,
        ...(executionId ? { executionId } : {}),
        alertName: alert.name,
        member,
        decision: outcome.decision,
        at: now.toISOString(),
      };
      if (!outcome.changes) {
        await this.recordSignal(pending, now);
        return outcome.decision;
      }
      const gathers = outcome.decision.action === 'page' && !outcome.decision.takenOver;
      group = await this.commit(alert.correlationGroup, group, {
        alerts: { ...group.alerts, [member]: outcome.alertState },
        ...(gathers ? { gathering: (outcome.decision as { incident: Incident }).incident.id } : {}),
        ...(!gathers && group.gathering ? { gathering: group.gathering } : {}),
        pending: [pending],
      });
      await this.apply(pending, now);
      await this.commit(alert.correlationGroup, group, { ...group, pending: [] }).catch(() => undefined);
      return outcome.decision;
    });
  }

  /**
   * Changes one alert's state outside Register (a remediation workflow opening or closing its own
   * incident), retrying on a concurrent commit. `change` returns undefined to change nothing.
   */
  async updateAlert(
    alert: AlertRef,
    subject: string,
    change: (state: AlertState) => AlertState | undefined,
  ): Promise<boolean> {
    const groupName = alert.correlationGroup;
    const member = memberKey(alert.name, subject);
    for (let attempt = 0; attempt < 10; attempt++) {
      const group = await this.group(groupName);
      const next = change(group.alerts[member] ?? EMPTY_ALERT);
      if (!next) return false;
      try {
        await this.commit(groupName, group, { ...group, alerts: { ...group.alerts, [member]: next } });
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`group ${groupName} kept changing; ${member} not updated`);
  }

  /** The alert's state on a subject, as last committed. */
  async alertState(alert: AlertRef, subject: string): Promise<AlertState> {
    const group = await this.group(alert.correlationGroup);
    return group.alerts[memberKey(alert.name, subject)] ?? EMPTY_ALERT;
  }

  async group(name: string): Promise<GroupItem> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `GROUP#${name}`, sk: 'GROUP' },
        ConsistentRead: true,
      }),
    );
    return (r.Item as GroupItem | undefined) ?? EMPTY_GROUP;
  }

  /** Applies decisions an earlier holder committed and did not finish (it crashed or timed out). */
  private async finishPending(name: string, now: Date): Promise<GroupItem> {
    const group = await this.group(name);
    if (group.pending.length === 0) return group;
    for (const p of group.pending) await this.apply(p, now);
    return this.commit(name, group, { ...group, pending: [] });
  }

  private async commit(
    name: string,
    before: GroupItem,
    after: Omit<GroupItem, 'version'>,
  ): Promise<GroupItem> {
    const next: GroupItem = { ...after, version: before.version + 1 };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `GROUP#${name}`,
          sk: 'GROUP',
          ...next,
          expiresAt: expiresAfterDays(new Date(), RETENTION.incidentDays),
        },
        ConditionExpression: before.version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
        ...(before.version === 0 ? {} : { ExpressionAttributeValues: { ':v': before.version } }),
      }),
    );
    return next;
  }

  /** The decision's effects on the incident items, each idempotent, then the signal record. */
  private async apply(p: PendingDecision, now: Date): Promise<void> {
    const d = p.decision;
    const nowIso = now.toISOString();
    switch (d.action) {
      case 'page':
        if (d.takenOver) await this.store.takeOver(d.incident, nowIso);
        else await this.store.putIncident(d.incident, now);
        if (!d.takenOver) await this.store.pointLatest(d.incident, now);
        break;
      case 'linked':
        await this.store.putIncident(d.incident, now);
        await this.store.pointLatest(d.incident, now);
        break;
      case 'deduplicated':
      case 'grouped':
        await this.store.absorb(d.incidentId, p, d.action === 'grouped', nowIso);
        break;
      case 'resolve':
        if (d.incidentId) await this.store.closeIncident(d.incidentId, p.member, nowIso);
        break;
      case 'left-group':
        await this.store.leaveIncident(d.incidentId, p.member);
        break;
      default:
        break;
    }
    await this.recordSignal(p, now);
  }

  private async signal(key: string): Promise<SignalRecord | undefined> {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `SIGNAL#${key}`, sk: 'SIGNAL' },
        ConsistentRead: true,
      }),
    );
    return r.Item as SignalRecord | undefined;
  }

  private async recordSignal(p: PendingDecision, now: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `SIGNAL#${p.key}`,
          sk: 'SIGNAL',
          decision: p.decision,
          ...(p.executionId ? { executionId: p.executionId } : {}),
          at: now.toISOString(),
          expiresAt: expiresAfterDays(now, RETENTION.signalDays),
        },
      }),
    );
  }
}

/** The lock that orders Register, Notify and Resolve for one correlation group. */
export function groupLock(correlationGroup: string): string {
  return `GROUP#${correlationGroup}`;
}

/** The lock of the group an incident belongs to. */
export function incidentLock(incident: Pick<Incident, 'correlationGroup'>): string {
  return groupLock(incident.correlationGroup);
}
