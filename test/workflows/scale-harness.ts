import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../../lib/config';
import { scalingSettings } from '../../lib/config/workflow-settings';
import type { EnvironmentName } from '../../lib/config/constants';
import { LedgerStore } from '../../lambdas/aws/ledger-store';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import type { ScalingConfig } from '../../lambdas/aws/scaling-config';
import type { ScalingDeps } from '../../lambdas/aws/scaling-deps';
import { StateStore } from '../../lambdas/aws/state-store';
import { makeObserveHandler } from '../../lambdas/scale-observe';
import { makePlanHandler } from '../../lambdas/scale-plan';
import { makeRecordHandler } from '../../lambdas/scale-record';
import { makeVerifyHandler } from '../../lambdas/scale-verify';
import type { JSONValue } from '../../sim/workflows/asl';
import { lambdaTask, loadStateMachine, settle } from './local-run';
import {
  describeServicesTask,
  dynamoItemTask,
  updateServiceTask,
} from '../../sim/workflows/service-integrations';
import type { LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { TWIN_TARGETS } from '../../sim/workflows/scale-workflow-runtime';
import { twinRuntimeConfig } from '../../sim/aws/twin-account';

/** A fake ECS service: UpdateService sets desired; tasks start after `bootChecks` describes. */
export interface FakeService {
  desired: number;
  running: number;
  bootChecks: number;
  booting: number;
}

/**
 * Runs state-machines/scale-decision.asl.json locally with the real Plan, Verify and Record
 * handlers; the ledger, pauses and the component lock live in dynalite (the lock states run real
 * conditional writes); CloudWatch and ECS are mocked at the SDK boundary; escalation starts are
 * captured; time is virtual.
 */
export class ScaleHarness {
  clock: Date;
  readonly cloudwatch = new CloudWatchClient({ region: 'eu-west-1' });
  readonly ecs = new ECSClient({ region: 'eu-west-1' });
  readonly cwMock = mockClient(this.cloudwatch);
  readonly ecsMock = mockClient(this.ecs);
  readonly deps: ScalingDeps;
  /** What Plan and Record emitted: decisions, holds, actions, times. */
  readonly emitted = new RecordingMetrics();
  readonly escalations: Array<{
    state: string;
    name: string;
    input: { alert: { name: string }; state: string; signal: { detail: string } };
  }> = [];
  readonly services: Record<string, FakeService> = {};
  /** Per-minute values by query id (cpu, memory, latency, backlog, ...), newest last. */
  metrics: Record<string, number[]> = {};
  /** Errors UpdateService throws before it succeeds (by name). */
  updateFailures: string[] = [];
  private executions = 0;

  constructor(
    private readonly db: LocalDynamoDB,
    start: string,
    envName: EnvironmentName = 'prod',
  ) {
    this.clock = new Date(start);
    const config = loadConfig({ envName, region: 'eu-west-1' });
    const scaling: ScalingConfig = {
      ...scalingSettings(config),
      targets: TWIN_TARGETS,
    };
    for (const name of ['odoo', 'n8n', 'flux'])
      this.services[name] = {
        desired: name === 'odoo' ? 2 : 1,
        running: name === 'odoo' ? 2 : 1,
        bootChecks: 0,
        booting: 0,
      };
    this.ecsMock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
      const name = input.services[0] as string;
      const s = this.services[name] as FakeService;
      if (s.running !== s.desired) {
        if (s.booting >= s.bootChecks) s.running = s.desired;
        else s.booting += 1;
      }
      return {
        services: [
          {
            serviceName: name,
            desiredCount: s.desired,
            runningCount: s.running,
            pendingCount: s.desired - s.running,
          },
        ],
      };
    });
    this.ecsMock.on(UpdateServiceCommand).callsFake((input: { service: string; desiredCount: number }) => {
      const failure = this.updateFailures.shift();
      if (failure) throw Object.assign(new Error(`${failure} (simulated)`), { name: failure });
      const s = this.services[input.service] as FakeService;
      s.desired = input.desiredCount;
      s.booting = 0;
      return { service: { desiredCount: input.desiredCount } };
    });
    this.cwMock
      .on(GetMetricDataCommand)
      .callsFake(
        (input: { MetricDataQueries: Array<{ Id: string; ReturnData: boolean }>; EndTime: Date }) => {
          const end = new Date(input.EndTime).getTime();
          return {
            MetricDataResults: input.MetricDataQueries.filter((q) => q.ReturnData).map((q) => {
              const values = this.metrics[q.Id] ?? [];
              return {
                Id: q.Id,
                Values: values,
                Timestamps: values.map((_, i) => new Date(end - (values.length - i) * 60_000)),
              };
            }),
          };
        },
      );
    this.deps = {
      config: twinRuntimeConfig(envName, db.table),
      scaling,
      ledger: new LedgerStore(db.doc, db.table),
      store: new StateStore(db.doc, db.table),
      ecs: this.ecs,
      cloudwatch: this.cloudwatch,
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: this.emitted,
      now: () => this.clock,
    };
  }

  /** Runs before each Verify: a test's stand-in for what happens meanwhile (another decision acting). */
  beforeVerify: (() => void) | undefined;
  /** Runs after each Plan: another execution acting between this one's plan and its lock. */
  afterPlan: (() => void) | undefined;
  /** Where the workflow's WaitForCooldown left off: the next Observe happens then (twin-like). */
  private waitingUntil: string | undefined;

  advance(minutes: number): void {
    this.clock = new Date(this.clock.getTime() + minutes * 60_000);
  }

  async run(request: Record<string, unknown>, executionName = `execution-${++this.executions}`) {
    const executionId = `arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-scale-decision:${executionName}`;
    const escalate =
      (state: string) =>
      async (params: unknown): Promise<JSONValue> => {
        const p = params as {
          Name: string;
          Input: { alert: { name: string }; state: string; signal: { detail: string } };
        };
        if (this.escalations.some((e) => e.name === p.Name)) {
          throw Object.assign(new Error('exists'), { name: 'StepFunctions.ExecutionAlreadyExistsException' });
        }
        this.escalations.push({ state, name: p.Name, input: p.Input });
        return { ExecutionArn: p.Name };
      };
    const planned = makePlanHandler(this.deps);
    const plan = async (event: Parameters<typeof planned>[0]) => {
      const result = await planned(event);
      this.waitingUntil = result.reconsiderAt;
      this.afterPlan?.();
      return result;
    };
    const observed = makeObserveHandler(this.deps);
    const observe = async (event: Parameters<typeof observed>[0]) => {
      // The Wait state lasted until the cooldown's end: the harness's clock is there now.
      if (this.waitingUntil && Date.parse(this.waitingUntil) > this.clock.getTime())
        this.clock = new Date(this.waitingUntil);
      this.waitingUntil = undefined;
      return observed(event);
    };
    const execution = loadStateMachine('scale-decision').run(request as never, {
      context: { Execution: { Id: executionId, StartTime: this.clock.toISOString() } },
      overrides: {
        waitTimeOverrides: { WaitForStabilisation: 0, WaitForCooldown: 0 },
        retryIntervalOverrides: {
          ResolveIncident: 0,
          EscalatePlanningFailure: 0,
          Observe: 0,
          Plan: 0,
          Act: 0,
          Verify: 0,
          RecordSuccess: 0,
          RecordFailure: 0,
          TakeLock: 0,
          ReleaseLock: 0,
          ReleaseLockAfterAct: 0,
          ReleaseLockAfterFailure: 0,
          EscalateHold: 0,
          EscalateFailure: 0,
          EscalateMaximum: 0,
          EscalateIneffective: 0,
          LockHeldElsewhere: 0,
        },
        taskResourceLocalHandlers: {
          Observe: lambdaTask(observe),
          Plan: lambdaTask(plan),
          Verify: lambdaTask(async (e: Parameters<ReturnType<typeof makeVerifyHandler>>[0]) => {
            this.advance(1);
            this.beforeVerify?.();
            return makeVerifyHandler(this.deps)(e);
          }),
          RecordSuccess: lambdaTask(makeRecordHandler(this.deps)),
          RecordFailure: lambdaTask(makeRecordHandler(this.deps)),
          LockHeldElsewhere: lambdaTask(makeRecordHandler(this.deps)),
          Superseded: lambdaTask(makeRecordHandler(this.deps)),
          Recheck: describeServicesTask(this.ecs),
          ReleaseLockSuperseded: dynamoItemTask(this.db, 'delete'),
          TakeLock: dynamoItemTask(this.db, 'put'),
          ReleaseLock: dynamoItemTask(this.db, 'delete'),
          ReleaseLockAfterAct: dynamoItemTask(this.db, 'delete'),
          ReleaseLockAfterFailure: dynamoItemTask(this.db, 'delete'),
          Act: updateServiceTask(this.ecs),
          EscalateHold: escalate('EscalateHold'),
          ResolveIncident: escalate('ResolveIncident'),
          EscalatePlanningFailure: escalate('EscalatePlanningFailure'),
          EscalateFailure: escalate('EscalateFailure'),
          EscalateMaximum: escalate('EscalateMaximum'),
          EscalateIneffective: escalate('EscalateIneffective'),
        },
      },
    });
    return { ...(await settle(execution)), executionId };
  }

  updates(): number[] {
    return this.ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.desiredCount ?? -1);
  }
}
