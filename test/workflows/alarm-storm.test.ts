import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ALERT_CATALOGUE } from '../../lib/config/alerts';
import { CHANNEL_IDS } from '../../lib/config/constants';
import { decide } from '../../lambdas/alarm-router';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { StateStore } from '../../lambdas/aws/state-store';
import type { RegisterDecision } from '../../lambdas/core/escalation/types';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { makeRegisterHandler } from '../../lambdas/escalation-register';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';

/**
 * An alarm storm: 1,000 state changes in one minute across the catalogue's alarms, through the
 * router's decision and the real Register on dynalite, delivered one by one and 50 at a time.
 * The incidents opened must not depend on how the deliveries were interleaved.
 */
const START = Date.parse('2026-11-23T10:00:00.000Z');
const ALARMS = ALERT_CATALOGUE.filter((a) => a.signal.type !== 'workflow' && a.signal.type !== 'event');

function stormEvents(): unknown[] {
  // Deterministic: alarm i changes every few seconds, alternating ALARM/OK from ALARM.
  return Array.from({ length: 1000 }, (_, i) => {
    const alert = ALARMS[i % ALARMS.length];
    const round = Math.floor(i / ALARMS.length);
    return {
      version: '0',
      id: `storm-${i}`,
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '123456789012',
      time: new Date(START + i * 60).toISOString(),
      region: 'eu-west-1',
      resources: [`arn:aws:cloudwatch:eu-west-1:123456789012:alarm:influencegen-prod-${alert?.name}`],
      detail: {
        alarmName: `influencegen-prod-${alert?.name}`,
        state: {
          value: round % 2 === 0 ? 'ALARM' : 'OK',
          reason: 'storm',
          timestamp: new Date(START + i * 60).toISOString(),
        },
        previousState: { value: round % 2 === 0 ? 'OK' : 'ALARM', timestamp: new Date(START).toISOString() },
        configuration: { metrics: [] },
      },
    };
  });
}

async function storm(db: LocalDynamoDB, concurrency: number) {
  const store = new StateStore(db.doc, db.table, { leaseMs: 2_000, waitMs: 120_000 });
  const register = makeRegisterHandler({
    config: {
      environment: 'prod',
      stateTable: db.table,
      channelTopics: Object.fromEntries(CHANNEL_IDS.map((c) => [c, `arn:aws:sns:eu-west-1:1:${c}`])),
      runbookBaseUrl: 'https://runbooks.example.com/',
      workflowArns: {},
    },
    store,
    logger: new Logger({ logLevel: 'SILENT' }),
    now: () => new Date(START + 60_000),
    metrics: new RecordingMetrics(),
  });
  const inputs = stormEvents()
    .map((e) => decide(e, 'prod', new Date(START + 60_000)))
    .flatMap((d) => (d.action === 'start' && d.workflow === 'escalation' ? [d] : []));
  const decisions: RegisterDecision[] = [];
  // Concurrent across correlation groups, in arrival order within one: which alert of a group
  // arrives first decides who opens the incident and who joins it (a milder alert joins a more
  // severe one, never the reverse), so only the interleaving across groups is free here. Races
  // within a group and out-of-order deliveries are the property suite's business.
  const chains = new Map<string, typeof inputs>();
  for (const d of inputs) {
    const key = 'alert' in d.input ? catalogueAlert(d.input.alert.name).correlationGroup : '';
    chains.set(key, [...(chains.get(key) ?? []), d]);
  }
  const queue = concurrency === 1 ? [inputs] : [...chains.values()];
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let chain = queue.shift(); chain; chain = queue.shift()) {
        for (const d of chain) {
          decisions.push(await register({ input: d.input, phase: 'register', executionId: d.executionName }));
        }
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const items = (await db.doc.send(new ScanCommand({ TableName: db.table }))).Items ?? [];
  const incidents = items.filter((i) => i.sk === 'INCIDENT');
  const count = (action: string) => decisions.filter((d) => d.action === action).length;
  return {
    routedToEscalation: inputs.length,
    incidents: incidents.length,
    stillOpen: incidents.filter((i) => i.status !== 'resolved').length,
    paging: count('page'),
    grouped: count('grouped'),
    linked: count('linked'),
    deduplicated: count('deduplicated'),
    resolved: count('resolve'),
    suppressed: count('suppressed'),
    confirm: count('confirm'),
    stale: count('stale'),
    seconds: Math.round(seconds * 10) / 10,
  };
}

test('an alarm storm of 1,000 changes opens the same incidents delivered one by one or 50 groups at a time', async () => {
  const db = await startLocalDynamoDB();
  try {
    const sequential = await storm(db, 1);
    const concurrent = await storm(await db.freshTable(), 50);
    // Printed for the closing note.
    console.log('alarm storm', { sequential, concurrent });
    expect(sequential.routedToEscalation).toBeGreaterThan(500);
    expect(sequential.incidents).toBeGreaterThan(0);
    // Everything but the time taken must be the same.
    expect({ ...concurrent, seconds: 0 }).toEqual({ ...sequential, seconds: 0 });
  } finally {
    await db.stop();
  }
}, 600_000);
