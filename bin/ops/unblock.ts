import { ListIPSetsCommand, type WAFV2Client } from '@aws-sdk/client-wafv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EdgeBlockStore } from '../../lambdas/aws/edge-block-store';
import { unblock, type UnblockOutcome } from '../../lambdas/aws/edge-blocks';
import type { IpSetRef } from '../../lambdas/aws/edge-waf';
import { controlPlaneBlockListName, EDGE_BLOCKING_DEFAULTS } from '../../lib/config/edge-blocking';
import type { EnvironmentName } from '../../lib/config/constants';

/**
 * How long the detector leaves an unblocked address alone: its window, so the attempts it has
 * already counted do not block the address again at its next run.
 */
function holdMinutes(env: EnvironmentName): number {
  return EDGE_BLOCKING_DEFAULTS[env].windowMinutes;
}

/** The control plane's IP set by its name (its id is WAF's, known only once it exists). */
async function findBlockList(waf: WAFV2Client, env: EnvironmentName): Promise<IpSetRef> {
  const name = controlPlaneBlockListName(env);
  let marker: string | undefined;
  do {
    const page = await waf.send(
      new ListIPSetsCommand({ Scope: 'REGIONAL', Limit: 100, ...(marker ? { NextMarker: marker } : {}) }),
    );
    const found = page.IPSets?.find((s) => s.Name === name);
    if (found?.Id) return { name, id: found.Id, scope: 'REGIONAL' };
    // WAF may return a marker with the last page too: a short page ends the list as well.
    marker = (page.IPSets?.length ?? 0) >= 100 ? page.NextMarker : undefined;
  } while (marker);
  throw new Error(
    `the block list ${name} does not exist in this account and region (check --env and --region)`,
  );
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
