import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { assessFleet } from '../core/gpu/classify';
import { recheck, type RecheckResult, type RemediationStep } from '../core/gpu/recheck';
import { parseStallRequest } from '../core/gpu/request';
import type { StallAssessment } from '../core/gpu/types';
import { observeGpuFleet } from '../aws/gpu-fleet';
import { lazyHandler } from '../aws/lazy-handler';
import { readStallConfig, type StallConfig } from '../aws/stall-config';

export type StallCheckEvent =
  | { readonly phase: 'confirm'; readonly request: unknown }
  | { readonly phase: 'recheck'; readonly step: RemediationStep; readonly targets: readonly string[] };

/** Confirm: the fleet's verdict, with what started the run; `status` is what the Choice reads. */
export interface ConfirmResult extends StallAssessment {
  readonly trigger: string;
  readonly dryRun: boolean;
}

export interface RecheckOutcome extends RecheckResult {
  readonly step: RemediationStep;
  readonly checkedAt: string;
}

export interface StallCheckDeps {
  readonly stall: StallConfig;
  readonly ecs: ECSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly logger: Logger;
  readonly now: () => Date;
}

/**
 * The stall check, host by host (lambdas/core/gpu/classify.ts): confirms a suspected stall before
 * anything is touched, and rechecks the hosts a remediation step acted on. It only reads.
 */
export function makeStallCheckHandler(deps: StallCheckDeps) {
  return async (event: StallCheckEvent): Promise<ConfirmResult | RecheckOutcome> => {
    const request = event.phase === 'confirm' ? parseStallRequest(event.request) : undefined;
    const now = deps.now();
    const { instances, queue } = await observeGpuFleet(
      deps,
      deps.stall.targets,
      now,
      deps.stall.detection.windowMinutes,
    );
    const assessment = assessFleet(instances, queue, deps.stall.detection, now);
    if (event.phase === 'recheck') {
      const result = recheck(event.step, event.targets, assessment);
      deps.logger.info('rechecked', { step: event.step, targets: event.targets, ...result });
      return { ...result, step: event.step, checkedAt: assessment.checkedAt };
    }
    deps.logger.info('confirmed', {
      trigger: request?.trigger,
      status: assessment.status,
      summary: assessment.summary,
    });
    return {
      ...assessment,
      trigger: request?.trigger ?? '',
      dryRun: request?.dryRun ?? false,
    };
  };
}

export const handler = lazyHandler(
  (): StallCheckDeps => ({
    stall: readStallConfig(),
    ecs: new ECSClient({ maxAttempts: 5 }),
    cloudwatch: new CloudWatchClient({ maxAttempts: 5 }),
    logger: new Logger(),
    now: () => new Date(),
  }),
  makeStallCheckHandler,
);
