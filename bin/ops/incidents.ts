import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SEVERITIES } from '../../lib/config/constants';
import type { Incident } from '../../lambdas/core/escalation/types';

/** One line of `ops incidents`: what is open, how bad, who has it. */
export interface OpenIncident {
  readonly id: string;
  readonly alert: string;
  readonly severity: string;
  readonly status: string;
  readonly subject: string;
  readonly openedAt: string;
  readonly signals: number;
  readonly pagedLevels: number;
  readonly acknowledgedBy?: string;
}

/**
 * Every incident not yet resolved (open, acknowledged, or being remediated by a workflow), most
 * severe first, oldest first within a severity. The state table has no index by status, so this is
 * a filtered scan: fine for an operator's command on a table kept small by its TTLs, and it keeps
 * the Lambda bundles free of a query only people need.
 */
export async function openIncidents(db: DynamoDBDocumentClient, table: string): Promise<OpenIncident[]> {
  const found: Incident[] = [];
  const pages = paginateScan(
    { client: db },
    {
      TableName: table,
      FilterExpression: 'sk = :incident AND #status <> :resolved',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':incident': 'INCIDENT', ':resolved': 'resolved' },
    },
  );
  for await (const page of pages) found.push(...((page.Items ?? []) as Incident[]));
  const rank = (severity: string) => {
    const i = (SEVERITIES as readonly string[]).indexOf(severity);
    return i < 0 ? SEVERITIES.length : i;
  };
  return found
    .sort((a, b) => rank(a.severity) - rank(b.severity) || a.openedAt.localeCompare(b.openedAt))
    .map((i) => ({
      id: i.id,
      alert: i.alertName,
      severity: i.severity,
      status: i.status,
      subject: i.subject,
      openedAt: i.openedAt,
      signals: i.count,
      pagedLevels: i.pages?.length ?? 0,
      ...(i.acknowledgedBy ? { acknowledgedBy: i.acknowledgedBy } : {}),
    }));
}
