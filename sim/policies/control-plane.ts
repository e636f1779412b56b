import type { ComponentPolicy, EnvironmentConfig } from '../../lib/config/schema';
import { decideScaling } from '../../lambdas/core/scaling/decide';
import type { LedgerAction, ScalingFlags, Series, Signal } from '../../lambdas/core/scaling/types';
import type { Controller, Observation, TimelineEvent } from '../baselines/types';
import { AlarmEvaluator } from '../twin/alarm-evaluator';

export interface ControlPlaneOptions {
  readonly policy: ComponentPolicy;
  readonly flags: Omit<ScalingFlags, 'paused' | 'inMaintenance' | 'stallOpen'>;
  /** The environment's Flux settings, for GPU fleet sizing (flux-gpu only). */
  readonly gpu?: EnvironmentConfig['flux'];
}

const PERIODIC_SECONDS = 300;

/**
 * Runaway protection pauses a component until someone runs `ops resume`. The twin has no
 * operator, so it assumes one resumes this long after the page (the second escalation level of a
 * High alert); the report's timeline shows the pause and the resume.
 */
export const OPERATOR_RESUME_SECONDS = 30 * 60;
const HISTORY_MINUTES = 10;

/**
 * The control plane as the twin runs it: one CloudWatch alarm per scaling rule (the generated
 * scale alarms, evaluated with CloudWatch's semantics), a decision when one goes to ALARM and every
 * 5 minutes while one stays there, and the real decision engine (lambdas/core/scaling/decide.ts)
 * with its ledger and guardrails. The workflow around the engine (lock, act, verify) is not run
 * here: the twin applies a scale decision at once and the fleet's boot delay does the rest.
 */
export function controlPlane(options: ControlPlaneOptions): Controller {
  const { policy } = options;
  const alarms = policy.rules.map(
    (rule) =>
      new AlarmEvaluator({
        name: rule.id,
        comparison: rule.comparison,
        threshold: rule.threshold,
        periodSeconds: rule.periodSeconds,
        evaluationPeriods: rule.evaluationPeriods,
        datapointsToAlarm: rule.datapointsToAlarm,
        treatMissingData: 'missing',
      }),
  );
  const history: Partial<Record<Signal, Array<number | null>>> = {};
  const ledger: LedgerAction[] = [];
  const timeline: TimelineEvent[] = [];
  let lastEvaluation = -Infinity;
  let pausedUntil: number | undefined;

  return {
    name: 'control-plane',
    periodSeconds: 60,
    timeline,
    decide(obs: Observation): number {
      // One datapoint per signal per minute: what GetMetricData would return for the last 10 minutes.
      for (const signal of new Set(policy.rules.map((r) => r.signal))) {
        const series = (history[signal] ??= []);
        series.push(obs.metrics[signal] ?? null);
        if (series.length > HISTORY_MINUTES) series.shift();
      }
      const changes = policy.rules.map((rule, i) =>
        (alarms[i] as AlarmEvaluator).observe(obs.time, obs.metrics[rule.signal] ?? null),
      );
      const wentToAlarm = changes.some((c) => c?.to === 'ALARM');
      if (pausedUntil !== undefined && obs.time >= pausedUntil) {
        pausedUntil = undefined;
        timeline.push({
          time: obs.time,
          kind: 'resume',
          text: 'an operator resumes automatic scaling (ops resume)',
        });
      }
      if (!wentToAlarm && obs.time - lastEvaluation < PERIODIC_SECONDS) return obs.desired;
      lastEvaluation = obs.time;
      const decision = decideScaling({
        policy,
        metrics: history as Partial<Record<Signal, Series>>,
        fleet: {
          desired: obs.desired,
          running: obs.running,
          pending: Math.max(0, obs.desired - obs.running),
        },
        ledger,
        flags: {
          ...options.flags,
          paused: pausedUntil !== undefined,
          inMaintenance: false,
          stallOpen: false,
        },
        now: new Date(obs.time * 1000),
        ...(options.gpu
          ? {
              gpu: {
                backlog: obs.metrics['queue-backlog'] ?? 0,
                arrivalsPerMinute: obs.metrics.arrivals ?? 0,
                jobsPerGpuPerMinute: options.gpu.jobsPerGpuPerMinute,
                drainMinutes: options.gpu.backlogDrainMinutes,
                targetUtilisation: options.gpu.targetUtilisation,
                scaleInMaxUtilisation: options.gpu.scaleInMaxUtilisation,
              },
            }
          : {}),
      });
      if (decision.escalate) {
        timeline.push({
          time: obs.time,
          kind: 'escalate',
          text: `${decision.escalate.alert}: ${decision.escalate.reason}`,
        });
      }
      if (decision.pause) {
        pausedUntil = obs.time + OPERATOR_RESUME_SECONDS;
        timeline.push({ time: obs.time, kind: 'pause', text: decision.reason });
      }
      if (decision.action !== 'scale') return obs.desired;
      timeline.push({
        time: obs.time,
        kind: 'scale',
        text: `${decision.from} -> ${decision.to} (${decision.rule ?? 'rule'}): ${decision.reason}`,
      });
      ledger.push({
        at: new Date(obs.time * 1000).toISOString(),
        from: decision.from,
        to: decision.to,
        outcome: 'succeeded',
      });
      return decision.to;
    },
  };
}
