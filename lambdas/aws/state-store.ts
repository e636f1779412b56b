import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AlertDefinition } from '../../lib/config/alert-schema';
import { RETENTION } from '../../lib/config/escalation';
import { expiresAfterDays } from './dynamo';
import { signalKey } from '../core/escalation/ids';
import type {
  EscalationInput,
  Incident,
  MaintenanceWindow,
  PageRecord,
  RegisterSnapshot,
} from '../core/escalation/types';

/**
 * The escalation's view of the state table (pk/sk, TTL on expiresAt):
 *   SIGNAL#<signal key>        / SIGNAL     one item per registered state change (idempotency)
 *   HISTORY#<alert>#<subject>  / HISTORY    recent state changes and flapping dampening
 *   LATEST#<alert>#<subject>   / POINTER    the latest incident of an alert on a subject
 *   LATEST#<alert>             / POINTER    the latest incident of an alert on any subject (parents)
 *   GROUP#<correlation group>  / POINTER    the incident a correlation group is gathering into
 *   INCIDENT#<id>              / INCIDENT   the incident, its pages, acknowledgement and task token
 *   MAINTENANCE#<component>    / <end>#<id> maintenance windows
 */

export class StateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async snapshot(input: EscalationInput, alert: AlertDefinition, now: Date): Promise<RegisterSnapshot> {
    const [signal, history, latest, group, parent, maintenance] = await Promise.all([
      this.get(`SIGNAL#${signalKey(input)}`, 'SIGNAL'),
      this.get(`HISTORY#${alert.name}#${input.subject}`, 'HISTORY'),
      this.incidentAt(`LATEST#${alert.name}#${input.subject}`),
      this.incidentAt(`GROUP#${alert.correlationGroup}`),
      alert.parent ? this.incidentAt(`LATEST#${alert.parent}`) : Promise.resolve(undefined),
      this.activeMaintenance(alert.component, now),
    ]);
    const isOpen = (i: Incident | undefined) => i && (i.status === 'open' || i.status === 'acknowledged');
    return {
      signalAlreadySeen: signal !== undefined,
      stateChanges: (history?.stateChanges as string[] | undefined) ?? [],
      ...(history?.flappingUntil ? { flappingUntil: history.flappingUntil as string } : {}),
      ...(latest ? { latestIncident: latest } : {}),
      ...(isOpen(group) ? { groupIncident: group } : {}),
      ...(isOpen(parent) ? { parentIncident: parent } : {}),
      activeMaintenance: maintenance,
    };
  }

  /** Records a state change once; false when it was already recorded (a duplicate delivery or re-run). */
  async recordSignal(
    input: EscalationInput,
    outcome: { action: string; reason: string },
    now: Date,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `SIGNAL#${signalKey(input)}`,
            sk: 'SIGNAL',
            ...outcome,
            input,
            at: now.toISOString(),
            expiresAt: expiresAfterDays(now, RETENTION.signalDays),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async saveHistory(
    alertName: string,
    subject: string,
    stateChanges: readonly string[],
    flappingUntil: string | undefined,
    now: Date,
  ): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: `HISTORY#${alertName}#${subject}`,
          sk: 'HISTORY',
          stateChanges,
          ...(flappingUntil ? { flappingUntil } : {}),
          expiresAt: expiresAfterDays(now, RETENTION.signalDays),
        },
      }),
    );
  }

  /**
   * Creates an incident once (a re-run finds it) and points the alert, subject and group at it.
   * True when this call created it (or took over a remediating one).
   */
  async openIncident(incident: Incident, now: Date, options: { gathersGroup: boolean }): Promise<boolean> {
    let created = true;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `INCIDENT#${incident.id}`,
            sk: 'INCIDENT',
            ...incident,
            expiresAt: expiresAfterDays(now, RETENTION.incidentDays),
          },
          // A remediating incident is taken over when its workflow escalates (register.ts).
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :remediating',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':remediating': 'remediating' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      created = false;
    }
    const pointers = [`LATEST#${incident.alertName}#${incident.subject}`, `LATEST#${incident.alertName}`];
    if (options.gathersGroup) pointers.push(`GROUP#${incident.correlationGroup}`);
    await Promise.all(
      pointers.map((pk) =>
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              pk,
              sk: 'POINTER',
              incidentId: incident.id,
              expiresAt: expiresAfterDays(now, RETENTION.incidentDays),
            },
          }),
        ),
      ),
    );
    return created;
  }

  /** Counts another signal into an incident; `member` adds a grouped alert. */
  async absorb(incidentIdValue: string, now: Date, member?: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `INCIDENT#${incidentIdValue}`, sk: 'INCIDENT' },
        UpdateExpression: member
          ? 'SET #count = #count + :one, lastSignalAt = :now, members = list_append(members, :member)'
          : 'SET #count = #count + :one, lastSignalAt = :now',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':now': now.toISOString(),
          ...(member ? { ':member': [member] } : {}),
        },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async incident(id: string): Promise<(Incident & { taskToken?: string }) | undefined> {
    return (await this.get(`INCIDENT#${id}`, 'INCIDENT')) as (Incident & { taskToken?: string }) | undefined;
  }

  /** Records a page once per step; false if this step was already paged (a re-run). */
  async recordPage(id: string, page: PageRecord): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
          UpdateExpression: 'SET pages = list_append(pages, :page), #paged = :true',
          ExpressionAttributeNames: { '#paged': `pagedStep${page.step}` },
          ExpressionAttributeValues: { ':page': [page], ':true': true },
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#paged)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Stores the task token of the step waiting for an acknowledgement; false if no longer open. */
  async storeTaskToken(id: string, taskToken: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
          UpdateExpression: 'SET taskToken = :token',
          ExpressionAttributeValues: { ':token': taskToken, ':open': 'open' },
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
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

  /** Any unresolved status -> resolved, once. Returns the incident as it was, or undefined. */
  async resolve(id: string, now: Date): Promise<(Incident & { taskToken?: string }) | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' },
          UpdateExpression: 'SET #status = :resolved, resolvedAt = :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':resolved': 'resolved', ':now': now.toISOString() },
          ConditionExpression: 'attribute_exists(pk) AND #status <> :resolved',
          ReturnValues: 'ALL_OLD',
        }),
      );
      return result.Attributes as (Incident & { taskToken?: string }) | undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
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

  async activeMaintenance(component: string, now: Date): Promise<MaintenanceWindow[]> {
    const iso = now.toISOString();
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk >= :now',
        ExpressionAttributeValues: { ':pk': `MAINTENANCE#${component}`, ':now': iso },
      }),
    );
    return ((result.Items ?? []) as MaintenanceWindow[]).filter((w) => w.start <= iso && iso <= w.end);
  }

  /** The latest incident of an alert (on a subject, or any), if it is still open (e.g. a GPU stall). */
  async openIncidentOf(alertName: string, subject?: string): Promise<Incident | undefined> {
    const incident = await this.incidentAt(
      subject ? `LATEST#${alertName}#${subject}` : `LATEST#${alertName}`,
    );
    return incident &&
      (incident.status === 'open' || incident.status === 'acknowledged' || incident.status === 'remediating')
      ? incident
      : undefined;
  }

  private async incidentAt(pointer: string): Promise<Incident | undefined> {
    const p = await this.get(pointer, 'POINTER');
    return typeof p?.incidentId === 'string' ? this.incident(p.incidentId) : undefined;
  }

  private async get(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk, sk }, ConsistentRead: true }),
    );
    return result.Item;
  }
}
