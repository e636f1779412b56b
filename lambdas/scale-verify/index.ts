import type { EscalationStart } from '../core/scaling/escalation-input';
import { escalationStart } from '../core/scaling/escalation-input';
import { postScaleProblems } from '../core/scaling/post-scale';
import { scalingQueries } from '../core/scaling/queries';
import { COMPONENT_POLICIES } from '../../lib/config/components';
import { N8N_WORKER_CONCURRENCY } from '../../lib/config/n8n';
import { describeFleet } from '../aws/fleet';
import { readSeries } from '../aws/metrics';
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { lazyHandler } from '../aws/lazy-handler';
import { readScalingConfig } from '../aws/scaling-config';
import type { ScalingDeps } from '../aws/scaling-deps';
import type { PlanResult } from '../scale-plan';

export interface VerifyEvent {
  readonly plan: PlanResult;
  readonly attempt: number;
}

export interface VerifyResult {
  readonly status: 'stable' | 'waiting' | 'failed';
  readonly attempt: number;
  readonly detail: string;
  /** Seed 002's post-scale-up alert (lambdas/core/scaling/post-scale.ts). */
  readonly escalation?: EscalationStart;
}

/**
 * Verify: has the service reached its new desired count with every task running? After a
 * scale-up that did, is it helping? Called after each stabilisation wait, up to the plan's limit.
 */
type VerifyDeps = Pick<ScalingDeps, 'scaling' | 'ecs' | 'cloudwatch' | 'logger' | 'now'>;

export function makeVerifyHandler(deps: VerifyDeps) {
  return async (event: VerifyEvent): Promise<VerifyResult> => {
    const { plan } = event;
    const attempt = event.attempt + 1;
    const fleet = await describeFleet(deps.ecs, plan.cluster, plan.service);
    const target = plan.decision.to;
    // The lock is released once ECS has the count (UpdateService succeeded), so a desired count
    // that differs now was set by a later decision (or an operator): this action took effect, and
    // the later one verifies its own count. Application Auto Scaling, the only other writer, is
    // not used.
    if (fleet.desired !== target)
      return {
        status: 'stable',
        attempt,
        detail: `${plan.service}: superseded, a later decision set the desired count to ${fleet.desired} (this one set ${target})`,
      };
    const reached = fleet.desired === target && fleet.running === target && fleet.pending === 0;
    if (!reached) {
      const detail = `${plan.service}: desired ${fleet.desired}, running ${fleet.running}, pending ${fleet.pending}; waiting for ${target}`;
      if (attempt >= plan.maxVerifyAttempts) {
        return {
          status: 'failed',
          attempt,
          detail: `did not reach ${target} running after ${attempt} checks: ${detail}`,
        };
      }
      return { status: 'waiting', attempt, detail };
    }
    const detail = `${plan.service} runs ${target}`;
    if (target <= plan.decision.from || plan.component === 'flux-gpu')
      return { status: 'stable', attempt, detail };

    const now = deps.now();
    const component = plan.component as 'odoo' | 'n8n';
    const { queries } = scalingQueries(component, deps.scaling.targets);
    // n8n: the jobs in the queue, divided by the workers running now. CloudWatch's task count lags
    // the minute a new worker starts, and would read as the old, smaller fleet.
    const wanted =
      component === 'n8n'
        ? queries
            .filter((q) => q.Id === 'waiting' || q.Id === 'active')
            .map((q) => ({ ...q, ReturnData: true }))
        : queries.filter((q) => q.Id === 'cpu' || q.Id.startsWith('latency'));
    const series = await readSeries(deps.cloudwatch, wanted, now, 3);
    const last = (id: string) => [...(series[id] ?? [])].reverse().find((v) => v !== null) ?? null;
    const waiting = last('waiting');
    const active = last('active');
    const jobsPerWorker =
      waiting === null && active === null
        ? null
        : ((waiting ?? 0) + (active ?? 0)) / Math.max(fleet.running, 1);
    const latencyRule = COMPONENT_POLICIES.odoo.rules.find(
      (r) => r.signal === 'api-latency-p95-ms' && r.change > 0,
    );
    const problems = postScaleProblems(
      component,
      { cpu: last('cpu'), latencyMs: last('latency'), latencyBeforeMs: plan.before.latencyMs, jobsPerWorker },
      {
        slotsPerWorker: N8N_WORKER_CONCURRENCY,
        atMaximum: target >= deps.scaling.capacity[component].max,
        latencyThresholdMs: latencyRule?.threshold ?? 0,
      },
    );
    if (problems.length === 0) return { status: 'stable', attempt, detail };
    const reason = `after scaling ${plan.component} ${plan.decision.from} -> ${target}: ${problems.join('; ')}`;
    return {
      status: 'stable',
      attempt,
      detail,
      escalation: escalationStart('Scale_Up_Ineffective', plan.component, plan.executionId, now, reason),
    };
  };
}

export const handler = lazyHandler(
  (): VerifyDeps => ({
    scaling: readScalingConfig(),
    ecs: new ECSClient({ maxAttempts: 5 }),
    cloudwatch: new CloudWatchClient({ maxAttempts: 5 }),
    logger: new Logger(),
    now: () => new Date(),
  }),
  makeVerifyHandler,
);
