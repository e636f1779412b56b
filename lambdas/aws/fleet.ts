import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { FleetState } from '../core/scaling/types';

/** The service as ECS sees it: desired, running, and started-but-not-running (booting) tasks. */
export async function describeFleet(ecs: ECSClient, cluster: string, service: string): Promise<FleetState> {
  const result = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const found = result.services?.[0];
  if (!found)
    throw new Error(
      `ECS service ${service} not found in ${cluster}: ${JSON.stringify(result.failures ?? [])}`,
    );
  return {
    desired: found.desiredCount ?? 0,
    running: found.runningCount ?? 0,
    pending: found.pendingCount ?? 0,
  };
}
