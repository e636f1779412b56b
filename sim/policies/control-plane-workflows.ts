import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import type { PlatformConfig } from '../../lib/config';
import { PERIODIC_SCALE_EVALUATION_SECONDS, type ComponentId } from '../../lib/config/constants';
import { alarmName } from '../../lib/config/naming';
import { scaleAlertName } from '../../lib/config/scale-alerts';
import { makeRouterHandler } from '../../lambdas/alarm-router';
import { answeredBy } from '../aws/answered-client';
import { startLocalDynamoDB, type LocalDynamoDB } from '../aws/local-dynamodb';
import { TwinMetrics, twinRuntimeConfig, type TwinService } from '../aws/twin-account';
import { apiFaults, type Fault } from '../twin/faults';
import type { Controller, Observation, TimelineEvent } from '../baselines/types';
import { AlarmEvaluator, type StateChange } from '../twin/alarm-evaluator';
import { TwinClock } from '../workflows/twin-clock';
import {
  noUsage,
  ScaleWorkflowRuntime,
  TWIN_TARGETS,
  type WorkflowUsage,
} from '../workflows/scale-workflow-runtime';

/**
 * Runaway protection pauses a component until someone runs `ops resume`. The twin has no
 * operator, so it assumes one resumes this long after the page (the second escalation level of a
 * High alert); the report's timeline shows the pause and the resume.
 */
export const OPERATOR_RESUME_SECONDS = 30 * 60;

/** The twin's wall clock starts on a Monday at midnight UTC (the off-peak windows are UTC times). */
export const TWIN_EPOCH = Date.parse('2026-01-05T00:00:00.000Z');

const SCALE_DECISION_ARN =
  'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-twin-scale-decision';

export interface WorkflowControlPlaneOptions {
  readonly config: PlatformConfig;
  readonly component: ComponentId;
  /** The scenario's faults; the API faults among them hit the control plane's own calls. */
  readonly faults?: readonly Fault[];
}

export interface WorkflowControlPlane extends Controller {
  /** What the control plane's executions used (for its own monthly cost). */
  readonly usage: WorkflowUsage;
}

/**
 * The control plane as deployed, in the twin: each generated scale alarm (CloudWatch's M-of-N
 * semantics) delivers its state changes as EventBridge events to the real alarm router, the
 * 5-minute schedule delivers its periodic input (where automatic scaling is enabled), and the router
 * starts the real scale-decision workflow (aws-local-stepfunctions, real handlers, dynalite).
 */
export function workflowControlPlane(options: WorkflowControlPlaneOptions): WorkflowControlPlane {
  const { config, component } = options;
  const policy = config.components[component];
  const clock = new TwinClock(TWIN_EPOCH);
  const metrics = new TwinMetrics(TWIN_EPOCH);
  const timeline: TimelineEvent[] = [];
  const cooldownHolds: number[] = [];
  const sufficientHolds: number[] = [];
  const alarms = policy.rules.map(
    (rule) =>
      new AlarmEvaluator({
        name: alarmName(config.env.name, scaleAlertName(component, rule.id)),
        comparison: rule.comparison,
        threshold: rule.threshold,
        periodSeconds: rule.periodSeconds,
        evaluationPeriods: rule.evaluationPeriods,
        datapointsToAlarm: rule.datapointsToAlarm,
        treatMissingData: 'missing',
      }),
  );
  /** What attach() connects: the twin's service, the local table, the workflow runtime, the router. */
  let attached:
    | {
        readonly service: TwinService;
        readonly db: LocalDynamoDB;
        readonly runtime: ScaleWorkflowRuntime;
        readonly route: (event: unknown) => Promise<unknown>;
      }
    | undefined;
  let pausedAt: number | undefined;
  let lastPeriodic = -Infinity;
  const onEvent = (event: TimelineEvent) => {
    if (event.kind === 'pause') pausedAt = event.time;
    timeline.push(event);
  };

  return {
    name: 'control-plane',
    periodSeconds: 60,
    timeline,
    cooldownHolds,
    sufficientHolds,
    get usage() {
      return attached?.runtime.usage ?? noUsage();
    },
    async attach(service: TwinService) {
      const db = await startLocalDynamoDB();
      const runtime = new ScaleWorkflowRuntime({
        clock,
        db,
        config,
        services: { [TWIN_TARGETS.services[component]]: service },
        metrics,
        faults: apiFaults(options.faults ?? [], () => clock.seconds),
        onEvent,
        onCooldownHold: (seconds) => cooldownHolds.push(seconds),
        onSufficientHold: (seconds) => sufficientHolds.push(seconds),
      });
      const sfn = answeredBy(new SFNClient({ region: 'eu-west-1', maxAttempts: 1 }), {
        StartExecutionCommand: (input: { name?: string; input?: string }) => {
          runtime.start(input.name ?? '', JSON.parse(input.input ?? '{}'));
          return { executionArn: `${SCALE_DECISION_ARN}:${input.name}`, startDate: clock.now() };
        },
      });
      const route = makeRouterHandler({
        config: twinRuntimeConfig(config.env.name, db.table, {
          workflowArns: { 'scale-decision': SCALE_DECISION_ARN },
        }),
        sfn,
        logger: new Logger({ logLevel: 'SILENT' }),
        now: () => clock.now(),
      });
      attached = { service, db, runtime, route };
    },
    async decide(obs: Observation): Promise<number> {
      if (!attached) throw new Error('workflowControlPlane: attach() first');
      const { service, runtime, route } = attached;
      // The minute that just closed is now in CloudWatch; executions waiting on the clock move on.
      metrics.record(obs.time - 60, obs.metrics);
      clock.advanceTo(obs.time);
      await clock.settle();
      if (pausedAt !== undefined && obs.time >= pausedAt + OPERATOR_RESUME_SECONDS) {
        pausedAt = undefined;
        await runtime.resume(component);
        timeline.push({
          time: obs.time,
          kind: 'resume',
          text: 'an operator resumes automatic scaling (ops resume)',
        });
      }
      for (const [i, rule] of policy.rules.entries()) {
        const change = (alarms[i] as AlarmEvaluator).observe(obs.time, obs.metrics[rule.signal] ?? null);
        if (change) await route(alarmEvent(change, clock.now(), config.env.name));
      }
      if (config.env.scaling.enabled && obs.time - lastPeriodic >= PERIODIC_SCALE_EVALUATION_SECONDS) {
        lastPeriodic = obs.time;
        await route({ schedule: `scale-${component}` });
      }
      await clock.settle();
      return service.describe().desired;
    },
    async close() {
      await attached?.db.stop();
    },
  };
}

/** "CloudWatch Alarm State Change" as EventBridge delivers it (../shared/AWS-EVENTS.md). */
function alarmEvent(change: StateChange, at: Date, environment: string) {
  const time = at.toISOString();
  return {
    version: '0',
    id: `${change.alarm}-${at.getTime()}`,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '123456789012',
    time,
    region: 'eu-west-1',
    resources: [`arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${change.alarm}`],
    detail: {
      alarmName: change.alarm,
      state: { value: change.to, reason: change.reason, timestamp: time },
      previousState: { value: change.from, reason: '', timestamp: time },
      configuration: {
        metrics: [{ id: 'm1', returnData: true }],
        description: `twin alarm (${environment})`,
      },
    },
  };
}
