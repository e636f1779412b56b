import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RETENTION } from '../../lib/config/escalation';
import { heldBy } from '../../lib/config/maintenance-scope';
import { memberKey } from '../core/escalation/ids';
import { isUnresolved } from '../core/escalation/incident-state';
import type { Delivery, Incident, MaintenanceWindow, PageRecord, StepPlan } from '../core/escalation/types';
import { conditionalWrite, expiresAfterDays, queryAll } from './dynamo';
import { IncidentRegistry, type AlertRef } from './incident-registry';
import { DEFAULT_LEASE, LeaseLock, type LeaseOptions } from './lease-lock';

/** The alert an incident belongs to, as the registry finds its state. */
function refOf(incident: Incident): AlertRef {
  return { name: incident.alertName, correlationGroup: incident.correlationGroup };
}

/** DynamoDB string sets cannot be empty: an empty list is left out. */
function asSet(values: readonly string[] | undefined): Set<string> | undefined {
  return values && values.length > 0 ? new Set(values) : undefined;
}

/**
 * The escalation's view of the state table (pk/sk, TTL on expiresAt):
 *   GROUP#<correlation group>  / GROUP      where Register commits (incident-registry.ts): every
 *                                          alert's latest state and incident, the gathering incident
 *   LOCK#GROUP#<group>         / LOCK       the lease lock ordering Register, Notify and Resolve
 *   SIGNAL#<signal key>        / SIGNAL     one item per registered state change (idempotency)
 *   LATEST#<alert>             / POINTER    the latest incident of an alert on any subject (parents)
 *   INCIDENT#<id>              / INCIDENT   the incident, its deliveries, acknowledgement and task token
 *   MAINTENANCE#<component>    / <end>#<id> maintenance windows
 */

type StoredIncident = Incident & { taskToken?: string };

export class StateStore {
  readonly lock: LeaseLock;
  readonly registry: IncidentRegistry;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    lease: LeaseOptions = DEFAULT_LEASE,
  ) {
    this.lock = new LeaseLock(db, table, lease);
    this.registry = new IncidentRegistry(db, table, this.lock, this);
  }

  /** A new incident, once: a retried or rolled-forward Register finds it and changes nothing. */
  async putIncident(incident: Incident, now: Date): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `INCIDENT#${incident.id}`,
          sk: 'INCIDENT',
          ...incident,
          activeMembers: asSet(incident.activeMembers),
          expiresAt: expiresAfterDays(now, RETENTION.incidentDays),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** A remediating incident (or one whose escalation failed) is paged again: open, with its findings. */
  async takeOver(incident: Incident, at: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${incident.id}`, sk: 'INCIDENT' },
        UpdateExpression:
          'SET #status = :open, lastSignalAt = :at' + (incident.findings ? ', findings = :findings' : ''),
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':open': 'open',
          ':remediating': 'remediating',
          ':at': at,
          ...(incident.findings ? { ':findings': incident.findings } : {}),
        },
        ConditionExpression: '#status IN (:remediating, :open)',
      }),
    );
  }

  /** The latest incident of an alert on any subject: how a child finds its parent's. */
  async pointLatest(incident: Incident, now: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `LATEST#${incident.alertName}`,
          sk: 'POINTER',
          incidentId: incident.id,
          expiresAt: expiresAfterDays(now, RETENTION.incidentDays),
        },
      }),
    );
  }

  /** Counts a signal into an incident once per signal; `grouped` adds its alert as a member. */
  async absorb(
    id: string,
    signal: { readonly key: string; readonly alertName: string; readonly member: string },
    grouped: boolean,
    at: string,
  ): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
        UpdateExpression:
          'SET #count = #count + :one, lastSignalAt = :at' +
          (grouped ? ', members = list_append(members, :alert)' : '') +
          ' ADD activeMembers :member, absorbedSignals :key',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':at': at,
          ':member': new Set([signal.member]),
          ':key': new Set([signal.key]),
          ':keyValue': signal.key,
          ...(grouped ? { ':alert': [signal.alertName] } : {}),
        },
        ConditionExpression: 'attribute_exists(pk) AND NOT contains(absorbedSignals, :keyValue)',
      }),
    );
  }

  /** Resolves an incident once (its last active member returned to OK). */
  async closeIncident(id: string, member: string, at: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
        UpdateExpression: 'SET #status = :resolved, resolvedAt = :at DELETE activeMembers :member',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':resolved': 'resolved', ':at': at, ':member': new Set([member]) },
        ConditionExpression: 'attribute_exists(pk) AND #status <> :resolved',
      }),
    );
  }

  /** A grouped alert returned to OK: it no longer holds the incident open. */
  async leaveIncident(id: string, member: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
        UpdateExpression: 'DELETE activeMembers :member',
        ExpressionAttributeValues: { ':member': new Set([member]) },
      }),
    );
  }

  /**
   * A remediation workflow's own incident (status remediating), pointed at by its alert's state
   * and latest-incident pointer. The caller has checked that no other incident holds the alert.
   */
  async openRemediating(incident: Incident, now: Date): Promise<void> {
    await this.putIncident(incident, now);
    await this.pointLatest(incident, now);
    await this.registry.updateAlert(refOf(incident), incident.subject, (state) =>
      state.incidentId === incident.id ? undefined : { ...state, incidentId: incident.id },
    );
  }

  async incident(id: string): Promise<StoredIncident | undefined> {
    const item = await this.get(`INCIDENT#${id}`, 'INCIDENT');
    if (!item) return undefined;
    const { activeMembers, ...rest } = item;
    delete rest.absorbedSignals;
    return {
      ...(rest as unknown as StoredIncident),
      activeMembers: activeMembers instanceof Set ? [...(activeMembers as Set<string>)].sort() : [],
    };
  }

  /**
   * The channels of one step, chosen once: the first Notify of a step stores them (business hours
   * decide them), a retry or a taken-over execution reads the same. Returns the plan that stands.
   */
  async planStep(id: string, step: number, plan: StepPlan): Promise<StepPlan> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
          UpdateExpression: 'SET stepPlans = if_not_exists(stepPlans, :empty)',
          ExpressionAttributeValues: { ':empty': {} },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
          UpdateExpression: 'SET stepPlans.#step = :plan',
          ExpressionAttributeNames: { '#step': String(step) },
          ExpressionAttributeValues: { ':plan': plan },
          ConditionExpression: 'attribute_not_exists(stepPlans.#step)',
        }),
      );
      return plan;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = (await this.incident(id))?.stepPlans?.[String(step)];
      if (!stored) throw error;
      return stored;
    }
  }

  /** SNS accepted one channel's message: recorded after the fact, once per delivery key. */
  async recordDelivery(id: string, key: string, delivery: Delivery): Promise<boolean> {
    return this.setOnce(id, 'delivered', key, delivery);
  }

  /** SNS refused one channel's message after its retries. */
  async recordFailedDelivery(
    id: string,
    key: string,
    failure: { at: string; error: string },
  ): Promise<boolean> {
    return this.setOnce(id, 'failedDeliveries', key, failure);
  }

  /** A step's page, in the incident's history, once per step (what ops shows and the page count). */
  async recordPage(id: string, page: PageRecord): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
        UpdateExpression: 'SET pages = list_append(pages, :page), #paged = :true',
        ExpressionAttributeNames: { '#paged': `pagedStep${page.step}` },
        ExpressionAttributeValues: { ':page': [page], ':true': true },
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#paged)',
      }),
    );
  }

  /** A waiting step woken without a verified acknowledgement (a bare SendTaskSuccess): recorded. */
  async recordInvalidWake(id: string, wake: { at: string; step: number }): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
        UpdateExpression: 'SET invalidWakes = list_append(if_not_exists(invalidWakes, :none), :wake)',
        ExpressionAttributeValues: { ':none': [], ':wake': [wake] },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  /** Stores the task token of the step waiting for an acknowledgement; false if no longer open. */
  async storeTaskToken(id: string, taskToken: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
        UpdateExpression: 'SET taskToken = :token',
        ExpressionAttributeValues: { ':token': taskToken, ':open': 'open' },
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
  }

  /** Open -> acknowledged, once. Returns the incident as it was before, or undefined if not open. */
  async acknowledge(
    id: string,
    by: string,
    comment: string | undefined,
    now: Date,
  ): Promise<(Incident & { taskToken?: string }) | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
          UpdateExpression:
            'SET #status = :acked, acknowledgedBy = :by, acknowledgedAt = :now' +
            (comment ? ', acknowledgementComment = :comment' : ''),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':acked': 'acknowledged',
            ':open': 'open',
            ':by': by,
            ':now': now.toISOString(),
            ...(comment ? { ':comment': comment } : {}),
          },
          ConditionExpression: '#status = :open',
          ReturnValues: 'ALL_OLD',
        }),
      );
      return result.Attributes as (Incident & { taskToken?: string }) | undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Resolves an incident outside Register (a remediation that repaired the fault): the incident
   * and its alert's state both let go of it. Returns the incident as it was, or undefined.
   */
  async resolve(id: string, now: Date): Promise<StoredIncident | undefined> {
    const before = await this.incident(id);
    if (!before || before.status === 'resolved') return undefined;
    const closed = await this.closeIncident(
      id,
      memberKey(before.alertName, before.subject),
      now.toISOString(),
    );
    await this.registry.updateAlert(refOf(before), before.subject, (state) =>
      state.incidentId === id ? { ...state, incidentId: undefined } : undefined,
    );
    return closed ? before : undefined;
  }

  async putMaintenance(window: MaintenanceWindow & { id: string; createdBy: string }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `MAINTENANCE#${window.component}`,
          sk: `${window.end}#${window.id}`,
          ...window,
          expiresAt: expiresAfterDays(new Date(window.end), RETENTION.maintenanceAfterEndDays),
        },
      }),
    );
  }

  /**
   * The windows that hold `component` now: its own and those of every component it depends on
   * (lib/config/maintenance-scope.ts: a `postgresql` window holds Odoo and n8n, `platform` holds
   * everything), the component's own first, then the nearest dependency's. Each window keeps the
   * component it was declared on, so a message can say "held by the postgresql window". Several
   * components (a backup resource's re-run) are held by the windows of any of them. Every page of
   * each query is read: windows that have not ended sort after now, however many there are.
   */
  async activeMaintenance(
    component: string | readonly string[],
    now: Date,
  ): Promise<Array<MaintenanceWindow & { id?: string }>> {
    const iso = now.toISOString();
    const scope = [
      ...new Set((typeof component === 'string' ? [component] : component).flatMap((c) => heldBy(c))),
    ];
    // In scope order (the component's own windows first), read in parallel.
    const perScope = await Promise.all(
      scope.map((c) =>
        queryAll<MaintenanceWindow & { id?: string }>(this.db, {
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk >= :now',
          ExpressionAttributeValues: { ':pk': `MAINTENANCE#${c}`, ':now': iso },
        }),
      ),
    );
    return perScope.flat().filter((w) => w.start <= iso && iso <= w.end);
  }

  /** The unresolved incident an alert on a subject belongs to (its own, a group's, a link). */
  async openIncidentOf(alert: AlertRef, subject: string): Promise<Incident | undefined> {
    return this.unresolved((await this.registry.alertState(alert, subject)).incidentId);
  }

  /** The latest incident of an alert on any subject, if unresolved (a parent; the GPU stall). */
  async latestOpenIncident(alertName: string): Promise<Incident | undefined> {
    return this.unresolved(
      (await this.get(`LATEST#${alertName}`, 'POINTER'))?.incidentId as string | undefined,
    );
  }

  private async unresolved(id: string | undefined): Promise<Incident | undefined> {
    const incident = id ? await this.incident(id) : undefined;
    return incident && isUnresolved(incident) ? incident : undefined;
  }

  /** A conditional write: false when its condition did not hold (lambdas/aws/dynamo.ts). */
  private conditional(command: PutCommand | UpdateCommand): Promise<boolean> {
    return conditionalWrite(this.db, command);
  }

  /** Sets `<map>.<key>` once (creating the map if needed). */
  private async setOnce(id: string, map: string, key: string, value: unknown): Promise<boolean> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
        UpdateExpression: 'SET #map = if_not_exists(#map, :empty)',
        ExpressionAttributeNames: { '#map': map },
        ExpressionAttributeValues: { ':empty': {} },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
        UpdateExpression: 'SET #map.#key = :value',
        ExpressionAttributeNames: { '#map': map, '#key': key },
        ExpressionAttributeValues: { ':value': value },
        ConditionExpression: 'attribute_not_exists(#map.#key)',
      }),
    );
  }

  private async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true }),
    );
    return result.Item;
  }
}
