import { ListIPSetsCommand, type WAFV2Client } from '@aws-sdk/client-wafv2';
import type { IpSetRef } from '../../lambdas/aws/edge-waf';
import { controlPlaneBlockListName } from '../../lib/config/edge-blocking';
import type { EnvironmentName } from '../../lib/config/constants';

/** The control plane's IP set by its name (its id is WAF's, known only once it exists). */
export async function findBlockList(waf: WAFV2Client, env: EnvironmentName): Promise<IpSetRef> {
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
