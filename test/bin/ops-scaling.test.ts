import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { LedgerStore, type LedgerEntry } from '../../lambdas/aws/ledger-store';
import { ledgerFigures, percentile } from '../../lambdas/core/scaling/ledger-figures';
import { ledgerReport, resume, scale, scaleRequest } from '../../bin/ops/scaling';
import { scaledComponent } from '../../bin/ops/validate';
import { guardrailWords, scaleOutcome, type ScaleOutcome } from '../../bin/ops/scale-outcome';
import type { ComponentId } from '../../lib/config/constants';
import type { LedgerAction } from '../../lambdas/core/scaling/types';
import { manualScaleOutput } from './scale-execution';
import { StateStore } from '../../lambdas/aws/state-store';
import { startLocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { seedIncident } from '../support/incidents';

describe('ops scale', () => {
  const sfn = new SFNClient({ region: 'eu-west-1' });
  const mock = mockClient(sfn);
  const target = { envName: 'prod', account: '123456789012', region: 'eu-west-1' };

  test('starts the scale-decision workflow with a manual target, as the caller', async () => {
    mock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });
    const now = new Date('2026-11-23T10:00:00Z');
    const request = scaleRequest('prod', { component: 'odoo', to: '4', reason: ' campaign launch ' });
    await scale(sfn, target, { ...request, by: 'arn:aws:iam::123456789012:user/alice' }, now);
    expect(mock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-scale-decision',
      name: `manual-odoo-${now.getTime()}`,
      input: JSON.stringify({
        component: 'odoo',
        to: 4,
        reason: 'campaign launch',
        requestedBy: 'arn:aws:iam::123456789012:user/alice',
      }),
    });
  });

  test('bad arguments are usage errors naming the argument, checked against the environment', () => {
    const request = (env: 'prod' | 'staging' | 'dev', args: Record<string, string | undefined>) => () =>
      scaleRequest(env, { component: 'odoo', reason: 'campaign', ...args });
    expect(request('prod', { to: 'four' })).toThrow('--to: four is not a whole number');
    expect(request('prod', { to: '4.5' })).toThrow('--to: 4.5 is not a whole number');
    expect(request('prod', { to: undefined })).toThrow('--to: (missing) is not a whole number');
    expect(request('prod', { to: '11' })).toThrow("--to: 11 is above odoo's maximum of 10 in prod");
    expect(request('staging', { to: '5' })).toThrow("--to: 5 is above odoo's maximum of 4 in staging");
    expect(request('dev', { to: '3' })).toThrow("--to: 3 is above odoo's maximum of 2 in dev");
    expect(request('prod', { to: '1' })).toThrow("--to: 1 is below odoo's minimum of 2 in prod");
    expect(request('prod', { to: '4', reason: undefined })).toThrow(/^--reason: required/);
    expect(request('prod', { to: '4', reason: 'x ' })).toThrow(/^--reason: required/);
    expect(() => scaledComponent('kafka')).toThrow('COMPONENT: kafka is not one of odoo, n8n, flux-gpu');
    expect(request('prod', { to: '10' })()).toEqual({ component: 'odoo', to: 10, reason: 'campaign' });
  });
});

describe('what a manual scale came to, in words (the execution output)', () => {
  const succeeded = (output: string) => ({ status: 'SUCCEEDED' as const, output });

  // Each case: the environment, the component's count before, the target asked for, the ledger the
  // real decision engine reads (test/bin/scale-execution.ts), and what ops says of the outcome.
  test.each<{
    title: string;
    envName: 'prod' | 'staging';
    component: ComponentId;
    desired: number;
    to: number;
    ledger?: LedgerAction[];
    expected: Partial<ScaleOutcome>;
  }>([
    {
      title: 'cut by a guardrail: asked for 4, scaled to 3, and which guardrail',
      envName: 'staging',
      component: 'odoo',
      desired: 2,
      to: 4,
      expected: {
        result: 'scaled',
        exitCode: 0,
        from: 2,
        to: 3,
        timeToScaleSeconds: 75,
        summary: "asked for 4, scaled to 3: odoo's maximum scaling rate in staging (1 instance per 300 s)",
      },
    },
    {
      title: 'scaled as asked',
      envName: 'prod',
      component: 'odoo',
      desired: 2,
      to: 4,
      expected: { result: 'scaled', exitCode: 0, summary: 'asked for 4, scaled to 4 (from 2)' },
    },
    {
      title: "held by the cooldown: the decision's reason, exit code 1",
      envName: 'prod',
      component: 'odoo',
      desired: 3,
      to: 5,
      ledger: [{ at: '2026-11-23T09:58:00Z', from: 2, to: 3, outcome: 'succeeded' }],
      expected: {
        result: 'held',
        exitCode: 1,
        guardrails: ['cooldown'],
        summary: 'asked for 5, held at 3: scale-out cooldown: last scale-out 120 s ago (cooldown 300 s)',
      },
    },
    {
      title: 'already there: nothing to do, exit code 0',
      envName: 'prod',
      component: 'n8n',
      desired: 2,
      to: 2,
      expected: {
        result: 'unchanged',
        exitCode: 0,
        summary: 'asked for 2: n8n already runs 2; nothing to do',
      },
    },
  ])('$title', ({ envName, component, to, expected, title: _title, ...rest }) => {
    const { output } = manualScaleOutput({ envName, component, to, reason: 'campaign', ...rest });
    expect(scaleOutcome(envName, { component, to }, succeeded(output), 600)).toMatchObject(expected);
  });

  test('another action held the lock: not carried out, exit code 1', () => {
    const { output } = manualScaleOutput({
      envName: 'prod',
      component: 'odoo',
      desired: 2,
      to: 4,
      reason: 'campaign',
    });
    const state = JSON.parse(output) as {
      record: { result: { entry: Record<string, unknown> } };
      error?: unknown;
    };
    state.record.result.entry = {
      ...state.record.result.entry,
      outcome: 'failed',
      error: 'another scaling action of this component holds the lock',
    };
    state.error = {
      Error: 'DynamoDB.ConditionalCheckFailedException',
      Cause: 'The conditional request failed',
    };
    expect(
      scaleOutcome('prod', { component: 'odoo', to: 4 }, succeeded(JSON.stringify(state)), 600),
    ).toMatchObject({
      result: 'not-carried-out',
      exitCode: 1,
      summary: 'asked for 4, not scaled: another scaling action of this component holds the lock',
    });
  });

  test('failed, refused, still running, not waited for', () => {
    const outcome = (end: Parameters<typeof scaleOutcome>[2]) =>
      scaleOutcome('prod', { component: 'odoo', to: 4 }, end, 600);
    expect(
      outcome({ status: 'FAILED', error: 'ScalingEventFailed: scaling odoo 2 -> 4 failed: x' }),
    ).toMatchObject({
      result: 'failed',
      exitCode: 1,
      summary: 'asked for 4: failed: ScalingEventFailed: scaling odoo 2 -> 4 failed: x',
    });
    expect(
      outcome({
        status: 'FAILED',
        error: 'InvalidInput: input.to: must be a whole number from 2 to 8 for odoo',
      }),
    ).toMatchObject({
      exitCode: 1,
      summary:
        'asked for 4: refused by the workflow: InvalidInput: input.to: must be a whole number from 2 to 8 for odoo',
    });
    expect(outcome({ status: 'TIMED_OUT', error: 'States.Timeout' })).toMatchObject({
      exitCode: 1,
      summary: 'asked for 4: timed out: States.Timeout',
    });
    expect(outcome({ status: 'RUNNING', stillRunning: true })).toMatchObject({
      result: 'running',
      exitCode: 4,
    });
    expect(outcome({ status: 'STARTED', started: true })).toMatchObject({ result: 'started', exitCode: 0 });
  });

  test('guardrails in words', () => {
    expect(guardrailWords('prod', 'flux-gpu', 'max')).toBe("flux-gpu's maximum of 5 in prod");
    expect(guardrailWords('prod', 'odoo', 'max-rate')).toBe("odoo's maximum scaling rate");
    expect(guardrailWords('prod', 'odoo', 'cooldown')).toBe("odoo's cooldown");
  });
});

describe('ledger figures', () => {
  test('nearest-rank percentiles', () => {
    expect(percentile([], 95)).toBeNull();
    expect(percentile([10], 95)).toBe(10);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 95)).toBe(100);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 50)).toBe(50);
  });

  test('success rate over finished actions; time to scale against the 5-minute KPI', () => {
    const figures = ledgerFigures([
      { outcome: 'hold' },
      { outcome: 'succeeded', timeToScaleSeconds: 75 },
      { outcome: 'succeeded', timeToScaleSeconds: 420 },
      { outcome: 'failed' },
      { outcome: 'in-progress' },
    ]);
    expect(figures).toEqual({
      decisions: 5,
      holds: 1,
      actions: 4,
      succeeded: 2,
      failed: 1,
      successRate: 2 / 3,
      timeToScaleP50Seconds: 75,
      timeToScaleP95Seconds: 420,
      withinKpi: 0.5,
    });
  });
});

describe('ops ledger, pause and resume', () => {
  test('the report lists the decisions with reasons and figures; pause and resume are stored', async () => {
    const db = await startLocalDynamoDB();
    try {
      const ledger = new LedgerStore(db.doc, db.table);
      const entry = (i: number, outcome: LedgerEntry['outcome'], action: 'scale' | 'hold'): LedgerEntry => ({
        component: 'odoo',
        executionId: `arn:execution:${i}`,
        decidedAt: `2026-11-23T0${i}:00:00.000Z`,
        trigger: 'alarm Scale_odoo_cpu_high',
        decision: {
          action,
          from: 2,
          to: action === 'scale' ? 3 : 2,
          reason: action === 'scale' ? 'cpu-high: 2 -> 3' : 'no rule breached',
          guardrails: [],
        },
        inputs: {},
        outcome,
      });
      const { entry: first } = await ledger.record(entry(1, 'in-progress', 'scale'));
      await ledger.complete(first, 'succeeded', new Date('2026-11-23T01:01:30.000Z'));
      await ledger.record(entry(2, 'hold', 'hold'));
      const report = await ledgerReport(ledger, 'odoo', 24, new Date('2026-11-23T10:00:00Z'));
      expect(report.figures).toMatchObject({
        decisions: 2,
        actions: 1,
        succeeded: 1,
        successRate: 1,
        timeToScaleP95Seconds: 90,
        withinKpi: 1,
      });
      expect(report.entries.map((e) => [e.action, e.outcome, e.reason])).toEqual([
        ['scale', 'succeeded', 'cpu-high: 2 -> 3'],
        ['hold', 'hold', 'no rule breached'],
      ]);

      expect(await ledger.pausedBecause('odoo')).toBeUndefined();
      await ledger.pause('odoo', 'load test', 'alice', new Date('2026-11-23T10:00:00Z'));
      expect(await ledger.pausedBecause('odoo')).toBe('load test (by alice at 2026-11-23T10:00:00.000Z)');
      const sfn = new SFNClient({ region: 'eu-west-1' });
      const sfnMock = mockClient(sfn);
      sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });
      const store = new StateStore(db.doc, db.table);
      const target = { envName: 'prod', account: '123456789012', region: 'eu-west-1' };
      expect(await resume({ ledger, store, sfn }, target, 'odoo', 'alice')).toEqual({
        component: 'odoo',
        paused: false,
        resolved: [],
      });
      expect(await ledger.pausedBecause('odoo')).toBeUndefined();
      expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
      // With the runaway incident open, resuming resolves it through the escalation workflow.
      await ledger.pause('odoo', 'runaway', 'runaway protection', new Date('2026-11-23T10:00:00Z'));
      await seedIncident(
        store,
        {
          id: 'INC-20261123T1000-abcdef',
          alertName: 'Scaling_Runaway_Paused',
          component: 'platform',
          subject: 'odoo',
          severity: 'High',
          correlationGroup: 'scaling',
          acknowledgementRequiresComment: false,
          status: 'open',
          openedAt: '2026-11-23T10:00:00.000Z',
          lastSignalAt: '2026-11-23T10:00:00.000Z',
          count: 1,
          members: ['Scaling_Runaway_Paused'],
          pages: [],
        },
        new Date('2026-11-23T10:00:00Z'),
      );
      expect(await resume({ ledger, store, sfn }, target, 'odoo', 'alice')).toMatchObject({
        resolved: ['Scaling_Runaway_Paused'],
        escalation: { executionArn: 'arn:x', name: expect.stringMatching(/^Scaling_Runaway_Paused-/) },
      });
      const started = sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input;
      expect(started?.stateMachineArn).toBe(
        'arn:aws:states:eu-west-1:123456789012:stateMachine:influencegen-prod-escalation',
      );
      expect(JSON.parse(started?.input ?? '{}')).toMatchObject({
        alert: { name: 'Scaling_Runaway_Paused' },
        subject: 'odoo',
        state: 'OK',
      });
    } finally {
      await db.stop();
    }
  });
});
