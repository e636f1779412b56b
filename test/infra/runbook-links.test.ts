import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CHANNEL_IDS, type ChannelId } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { GPU_BUDGET_DEFAULTS } from '../../lib/config/gpu-budget';
import { CostBudget, budgetName } from '../../lib/constructs/control-plane/cost-budget';
import { GpuBudget } from '../../lib/constructs/control-plane/gpu-budget';
import { WATCH_RUNBOOK } from '../../lib/constructs/control-plane/watch';
import { resourcesOf, synthPlatform, testApp } from './synth';

/**
 * Every alarm that pages a person straight from SNS (no escalation, so no notification template to
 * add the runbook) carries its runbook's URL where the person sees it: the alarm's description, which
 * CloudWatch's SNS message holds; and an AWS Budgets notification, which cannot be templated, carries
 * it in the budget's name (issue 19).
 */

const ROOT = path.join(__dirname, '..', '..');
const BASE = ENVIRONMENTS.prod.alerts.runbookBaseUrl;
type Alarm = { AlarmName: string; AlarmDescription?: string; AlarmActions?: unknown[] };

/** The runbook file a URL under the base names (its anchor, if any, must be a heading of it). */
function runbookOf(url: string): { file: string; anchor?: string } {
  const [address, anchor] = url.split('#') as [string, string | undefined];
  return { file: address.slice(BASE.length), ...(anchor ? { anchor } : {}) };
}
const headings = (file: string) =>
  fs
    .readFileSync(path.join(ROOT, file), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('## '))
    .map((l) =>
      l
        .slice(3)
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    );

function expectResolvable(url: string) {
  expect(url.startsWith(BASE)).toBe(true);
  const { file, anchor } = runbookOf(url);
  expect(file).toMatch(/^runbooks\/[a-z0-9_]+\.md$/);
  expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  if (anchor) expect(headings(file)).toContain(anchor);
}

describe('the control-plane template (prod)', () => {
  const controlPlane = () => synthPlatform('prod').controlPlane;
  const topicIds = () =>
    Object.keys(resourcesOf(controlPlane(), 'AWS::SNS::Topic')).filter((id) => /^Channel/.test(id));
  const pagingWithIds = () =>
    Object.entries(resourcesOf(controlPlane(), 'AWS::CloudWatch::Alarm'))
      .map(([id, r]) => ({ id, alarm: r.Properties as unknown as Alarm }))
      .filter(({ alarm }) =>
        topicIds().some((id) => JSON.stringify(alarm.AlarmActions ?? []).includes(`"${id}"`)),
      );
  const paging = () => pagingWithIds().map(({ alarm }) => alarm);

  test('EVERY alarm that publishes to a channel topic carries a runbook URL that resolves', () => {
    const alarms = paging();
    expect(alarms.length).toBeGreaterThan(20);
    for (const alarm of alarms) {
      const url = /Runbook: (\S+)$/.exec(alarm.AlarmDescription ?? '')?.[1];
      expect({ alarm: alarm.AlarmName, hasUrl: url !== undefined }).toEqual({
        alarm: alarm.AlarmName,
        hasUrl: true,
      });
      expectResolvable(url as string);
    }
  });

  test('every budget of the template carries its runbook address in its name', () => {
    const budgets = Object.values(resourcesOf(controlPlane(), 'AWS::Budgets::Budget')).map(
      (b) => (b.Properties?.Budget as { BudgetName: string }).BudgetName,
    );
    expect(budgets.map((n) => n.split(' ')[0]).sort()).toEqual([
      'influencegen-prod-gpu',
      'influencegen-prod-monthly',
    ]);
    for (const name of budgets) expectResolvable(`https://${name.split(' ')[1]}`);
  });

  test('the GPU budget counts component=flux-gpu with the prod limit', () => {
    const gpu = Object.values(resourcesOf(controlPlane(), 'AWS::Budgets::Budget')).find((b) =>
      String((b.Properties?.Budget as { BudgetName: string }).BudgetName).startsWith(
        'influencegen-prod-gpu ',
      ),
    );
    expect(gpu?.Properties?.Budget).toMatchObject({
      BudgetLimit: { Amount: 1500, Unit: 'USD' },
      FilterExpression: {
        And: expect.arrayContaining([
          { Tags: { Key: 'component', Values: ['flux-gpu'], MatchOptions: ['EQUALS'] } },
        ]),
      },
    });
  });

  test('every watcher alarm (the control plane watching itself) names its section of the watch runbook', () => {
    // ControlPlaneWatch's own alarms (logical ids under its `Watch` scope).
    const watch = pagingWithIds()
      .filter(({ id }) => id.startsWith('Watch'))
      .map(({ alarm }) => alarm);
    expect(watch.length).toBeGreaterThan(20);
    for (const alarm of watch) {
      const url = /Runbook: (\S+)$/.exec(alarm.AlarmDescription ?? '')?.[1];
      expect({ alarm: alarm.AlarmName, url: url?.split('#')[0] }).toEqual({
        alarm: alarm.AlarmName,
        url: `${BASE}${WATCH_RUNBOOK}`,
      });
      expectResolvable(url as string);
    }
    // Each kind of alarm its own section.
    const section = (name: string) =>
      paging().find((a) => a.AlarmName === `watch-influencegen-prod-${name}`)?.AlarmDescription;
    expect(section('heartbeat-missing')).toMatch(/#heartbeat-missing$/);
    expect(section('workflow-heartbeat-missing')).toMatch(/#workflow-heartbeat-missing$/);
    expect(section('router-ignoring')).toMatch(/#router-ignoring$/);
  });
});

describe('budget notifications carry the runbook in the budget name', () => {
  const topicsIn = (stack: Stack) =>
    Object.fromEntries(CHANNEL_IDS.map((c) => [c, new sns.Topic(stack, `T-${c}`)])) as Record<
      ChannelId,
      sns.Topic
    >;

  test('the monthly and the GPU budget: names within Budgets\' 100 characters, no ":", the address of an existing runbook', () => {
    for (const env of ['prod', 'staging', 'dev'] as const) {
      const stack = new Stack(testApp(), 'S');
      const topics = topicsIn(stack);
      const base = ENVIRONMENTS[env].alerts.runbookBaseUrl;
      const monthly = new CostBudget(stack, 'Monthly', {
        environment: env,
        limitUsd: 100,
        alerts: [{ percent: 80, channels: ['slack', 'email'] }],
        topics,
        emails: ['ops@example.com'],
        runbookBaseUrl: base,
      });
      const gpu = new GpuBudget(stack, 'Gpu', {
        environment: env,
        config: GPU_BUDGET_DEFAULTS[env],
        channels: ['slack', 'email'],
        topics,
        emails: ['ops@example.com'],
        runbookBaseUrl: base,
      });
      for (const [budget, runbook] of [
        [monthly.budget, 'runbooks/budget.md'],
        [gpu.budget.budget, 'runbooks/gpu_budget.md'],
      ] as const) {
        const name = (budget.budget as { budgetName: string }).budgetName;
        expect(name.length).toBeLessThanOrEqual(100);
        expect(name).not.toMatch(/[:\\]|\/action\//);
        const [, address] = name.split(' ');
        expect(`https://${address}`).toBe(new URL(runbook, base).toString());
        expectResolvable(`https://${address}`);
      }
    }
  });

  test('a runbook address too long for a budget name fails synth naming the field', () => {
    expect(() =>
      budgetName(
        'staging',
        { label: 'gpu', runbook: 'runbooks/gpu_budget.md' },
        'https://runbooks.a-much-longer-host-name.influencegen.example.com/control-plane/',
      ),
    ).toThrow(/alerts\.runbookBaseUrl: the budget name .* must be at most 100 characters/);
  });
});
