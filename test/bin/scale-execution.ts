import { loadConfig } from '../../lib/config';
import type { ComponentId } from '../../lib/config/constants';
import type { LedgerEntry } from '../../lambdas/aws/ledger-store';
import { decideScaling } from '../../lambdas/core/scaling/decide';
import type { LedgerAction } from '../../lambdas/core/scaling/types';
import type { PlanResult } from '../../lambdas/scale-plan';
import type { RecordResult } from '../../lambdas/scale-record';

/**
 * The output of a manual scale-decision execution as Step Functions returns it: the whole state
 * of state-machines/scale-decision.asl.json at its Succeed state (request, observation, the Plan
 * function's PlanResult under plan.result, Verify's under verify.result, Record's RecordResult
 * under record.result), the decision made by the real decision engine with the environment's
 * real policy.
 */
export function manualScaleOutput(options: {
  envName: 'prod' | 'staging' | 'dev';
  component: ComponentId;
  desired: number;
  to: number;
  reason: string;
  ledger?: LedgerAction[];
  now?: Date;
  timeToScaleSeconds?: number;
}): { output: string; decision: PlanResult['decision'] } {
  const now = options.now ?? new Date('2026-11-23T10:00:00Z');
  const config = loadConfig({ envName: options.envName, region: 'eu-west-1' });
  const policy = config.components[options.component];
  const executionId = `arn:aws:states:eu-west-1:123456789012:execution:influencegen-${options.envName}-scale-decision:manual-${options.component}-${now.getTime()}`;
  const fleet = { desired: options.desired, running: options.desired, pending: 0 };
  const decision = decideScaling({
    policy,
    metrics: {},
    fleet,
    ledger: options.ledger ?? [],
    flags: {
      scalingEnabled: config.env.scaling.enabled,
      aggressiveness: config.env.scaling.aggressiveness,
      paused: false,
      stallOpen: false,
    },
    now,
    manual: { to: options.to, reason: options.reason },
  });
  const request = {
    component: options.component,
    to: options.to,
    reason: options.reason,
    requestedBy: 'arn:x',
  };
  const plan: PlanResult = {
    component: options.component,
    executionId,
    decidedAt: now.toISOString(),
    decision,
    cluster: `influencegen-${options.envName}`,
    service: `influencegen-${options.envName}-${options.component}`,
    lockKey: `LOCK#${options.component}`,
    lockExpiresAt: Math.floor(now.getTime() / 1000) + 1800,
    nowEpoch: Math.floor(now.getTime() / 1000),
    stabiliseSeconds: 60,
    maxVerifyAttempts: 5,
    before: { cpu: 71.5, latencyMs: 420 },
  };
  const entry: LedgerEntry = {
    component: options.component,
    executionId,
    decidedAt: now.toISOString(),
    trigger: 'manual by arn:x',
    decision,
    inputs: { fleet },
    outcome: decision.action === 'hold' ? 'hold' : 'succeeded',
    ...(decision.action === 'scale'
      ? {
          completedAt: new Date(now.getTime() + (options.timeToScaleSeconds ?? 75) * 1000).toISOString(),
          timeToScaleSeconds: options.timeToScaleSeconds ?? 75,
        }
      : {}),
  };
  const record: RecordResult = { entry, resolutions: [] };
  const state = {
    request,
    reconsidered: false,
    observation: {
      result: {
        request: {
          component: options.component,
          trigger: 'manual by arn:x',
          manual: { to: options.to, reason: options.reason },
        },
        fleet,
        series: {},
      },
    },
    plan: { result: plan },
    ...(decision.action === 'scale'
      ? {
          verify: {
            result: {
              status: 'stable',
              attempt: 1,
              detail: `${decision.to} of ${decision.to} tasks running`,
            },
          },
          record: { result: record },
        }
      : {}),
  };
  return { output: JSON.stringify(state), decision };
}
