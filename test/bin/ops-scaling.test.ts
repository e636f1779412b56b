import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { LedgerStore, type LedgerEntry } from '../../lambdas/aws/ledger-store';
import { ledgerFigures, percentile } from '../../lambdas/core/scaling/ledger-figures';
import { component, ledgerReport, resume, scale } from '../../bin/ops/scaling';
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
    await scale(
      sfn,
      target,
      { component: 'odoo', to: '4', reason: ' campaign launch ', by: 'arn:aws:iam::123456789012:user/alice' },
      now,
    );
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

  test('bad arguments are usage errors naming the argument, and start nothing', async () => {
    mock.reset();
    await expect(
      scale(sfn, target, { component: 'odoo', to: 'four', reason: 'x', by: 'me' }),
    ).rejects.toThrow('--to: four is not a whole number');
    await expect(scale(sfn, target, { component: 'odoo', to: '4', by: 'me' })).rejects.toThrow(/^--reason/);
    expect(() => component('kafka')).toThrow('COMPONENT: kafka is not one of odoo, n8n, flux-gpu');
    expect(mock).not.toHaveReceivedCommand(StartExecutionCommand);
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
