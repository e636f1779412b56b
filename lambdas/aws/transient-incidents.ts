import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TransientNote } from '../core/escalation/types';

/**
 * Writes the probe's verdict on an incident the health probe contradicted (seed 004 "Alert
 * Validation": log a potential transient issue, do not escalate). The incident is closed by
 * StateStore.resolve; this keeps why on it, once (a retry finds it written).
 */
export async function noteTransient(
  db: Pick<DynamoDBDocumentClient, 'send'>,
  table: string,
  incidentId: string,
  note: TransientNote,
): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: `INCIDENT#${incidentId}`, sk: 'INCIDENT' },
      UpdateExpression: 'SET transient = if_not_exists(transient, :note)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':note': note },
    }),
  );
}
