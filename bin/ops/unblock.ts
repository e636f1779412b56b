import type { WAFV2Client } from '@aws-sdk/client-wafv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EdgeBlockStore } from '../../lambdas/aws/edge-block-store';
import { unblock, type UnblockOutcome } from '../../lambdas/aws/edge-blocks';
import { ENVIRONMENTS } from '../../lib/config/environments';
import type { EnvironmentName } from '../../lib/config/constants';
import { findBlockList } from './block-list';

/**
 * How long the detector leaves an unblocked address alone: its window, so the attempts it has
 * already counted do not block the address again at its next run. Read from the environment's
 * config, the one the deployed detector was synthesised from.
 */
function holdMinutes(env: EnvironmentName): number {
  return ENVIRONMENTS[env].edgeBlocking.windowMinutes;
}

export async function unblockAddressNow(
  clients: { waf: WAFV2Client; db: DynamoDBDocumentClient; table: string },
  request: { env: EnvironmentName; ip: string; reason: string; by: string; at: Date },
): Promise<UnblockOutcome & { holdUntil: string }> {
  const ipSet = await findBlockList(clients.waf, request.env);
  const holdUntil = new Date(request.at.getTime() + holdMinutes(request.env) * 60_000);
  const outcome = await unblock(
    { waf: clients.waf, store: new EdgeBlockStore(clients.db, clients.table), ipSet },
    request.ip,
    { by: request.by, reason: request.reason, at: request.at, holdUntil },
  );
  return { ...outcome, holdUntil: holdUntil.toISOString() };
}
