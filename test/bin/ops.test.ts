import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ALERT_CATALOGUE } from '../../lib/config/alerts';
import { StateStore } from '../../lambdas/aws/state-store';
import { checkProof, type IdentityProof } from '../../lambdas/core/escalation/acknowledger';
import { ack } from '../../bin/ops/ack';
import { declareMaintenance } from '../../bin/ops/maintenance';
import { startLocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { ops } from './run-ops';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'events');

describe('ops catalog', () => {
  test('prints every catalogue alert with its alarm name, kind, component, severity and runbook', () => {
    const { status, stdout } = ops('catalog', '--env', 'prod');
    expect(status).toBe(0);
    const entries = JSON.parse(stdout) as Array<Record<string, string>>;
    expect(entries).toHaveLength(ALERT_CATALOGUE.length);
    expect(entries).toContainEqual({
      alarmName: 'influencegen-prod-AI_Service_Stalled',
      kind: 'stall',
      component: 'flux-gpu',
      severity: 'Critical',
      runbook: 'runbooks/ai_service_stalled.md',
    });
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['incident', 'stall', 'backup', 'scale']));
  });

  test('an unknown environment is a usage error', () => {
    const { status, stderr } = ops('catalog', '--env', 'qa');
    expect(status).toBe(2);
    expect(stderr.trim()).toBe('ops: --env: qa is not one of prod, staging, dev');
  });
});

describe('ops route', () => {
  test('prints the workflow, execution name and input the router would start', () => {
    const { status, stdout } = ops('route', path.join(FIXTURES, 'sns-metric-alarm.json'), '--env', 'prod');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      action: 'start',
      workflow: 'escalation',
      executionName: expect.stringMatching(/^Odoo_Server_High_CPU-ALARM-/),
      input: { alert: { name: 'Odoo_Server_High_CPU' }, state: 'ALARM' },
    });
  });

  test('prints the reason when the router would ignore the event', () => {
    const { status, stdout } = ops(
      'route',
      path.join(FIXTURES, 'eventbridge-alarm-configuration-change.json'),
      '--env',
      'prod',
    );
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      action: 'ignore',
      reason: expect.stringMatching(/not a state change/),
    });
  });

  test('a file that is not JSON exits with 2 and one clear line', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ops-')), 'event.json');
    fs.writeFileSync(file, 'ALARM!\n{');
    const { status, stderr, stdout } = ops('route', file);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^ops: .*event\.json is not JSON: /);
  });

  test('a missing file exits with 2', () => {
    expect(ops('route', '/nonexistent/event.json')).toMatchObject({
      status: 2,
      stderr: 'ops: cannot read /nonexistent/event.json: ENOENT\n',
    });
  });
});

describe('ops ack', () => {
  const credentials = {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  };
  const lambda = new LambdaClient({ region: 'eu-west-1', credentials });
  const lambdaMock = mockClient(lambda);
  const ID = 'INC-20261123T1000-abcdef';
  const now = new Date('2026-11-23T10:05:00Z');

  test("invokes the environment's ack function with a proof of the caller's identity, not a name", async () => {
    const verified = 'arn:aws:sts::123456789012:assumed-role/influencegen-prod-oncall/alice';
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: Buffer.from(
        JSON.stringify({ status: 'acknowledged', incidentId: ID, by: verified, stoppedEscalation: true }),
      ) as never,
    });
    const result = await ack({ lambda }, 'prod', ID, 'on it', now);
    expect(result).toMatchObject({ status: 'acknowledged', by: verified });
    expect(lambdaMock).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: 'influencegen-prod-incident-ack',
    });
    const payload = JSON.parse(
      Buffer.from(lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array).toString(),
    ) as { incidentId: string; comment: string; proof: IdentityProof };
    expect(Object.keys(payload).sort()).toEqual(['comment', 'incidentId', 'proof']);
    expect(payload).toMatchObject({ incidentId: ID, comment: 'on it' });
    // Signed with the client's own credentials and region, bound to the incident, accepted by the function's checks.
    expect(payload.proof.url).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(payload.proof.headers.authorization).toMatch(/Credential=AKIDEXAMPLE\/20261123\/eu-west-1\/sts\//);
    expect(checkProof(payload.proof, ID, now)).toMatchObject({ ok: true });
    expect(checkProof(payload.proof, 'INC-20261123T1000-000000', now)).toMatchObject({ ok: false });
  });

  test('--by is refused: the acknowledger is proven, not named', () => {
    const { status, stderr } = ops(
      'ack',
      ID,
      '--by',
      'arn:aws:iam::123456789012:user/alice',
      '--env',
      'prod',
    );
    expect(status).toBe(2);
    expect(stderr).toMatch(
      /^ops: --by: not accepted: ops ack acknowledges as the identity your AWS credentials prove/,
    );
  });
});

describe('ops maintenance', () => {
  test('declares a window the escalation reads, and refuses bad input naming the field', async () => {
    const db = await startLocalDynamoDB();
    try {
      const store = new StateStore(db.doc, db.table);
      const now = new Date('2026-11-23T10:00:00Z');
      await expect(
        declareMaintenance(
          store,
          { component: 'odoo', to: '2026-11-23T09:00:00Z', reason: 'x', by: 'me' },
          now,
        ),
      ).rejects.toThrow('--to: must be after --from');
      await expect(
        declareMaintenance(
          store,
          { component: 'kafka', to: '2026-11-23T12:00:00Z', reason: 'x', by: 'me' },
          now,
        ),
      ).rejects.toThrow(/^component: kafka is not one of/);
      await expect(
        declareMaintenance(store, { component: 'odoo', to: 'tomorrow', reason: 'x', by: 'me' }, now),
      ).rejects.toThrow(/^--to: tomorrow is not a date/);
      await expect(
        declareMaintenance(store, { component: 'odoo', to: '2026-11-23T12:00:00Z', by: 'me' }, now),
      ).rejects.toThrow(/^--reason/);
      expect(await store.activeMaintenance('odoo', now)).toEqual([]);
      await declareMaintenance(
        store,
        { component: 'odoo', to: '2026-11-23T12:00:00Z', reason: 'Odoo 18.0.3 upgrade', by: 'me' },
        now,
      );
      expect(await store.activeMaintenance('odoo', new Date('2026-11-23T11:00:00Z'))).toEqual([
        expect.objectContaining({
          component: 'odoo',
          reason: 'Odoo 18.0.3 upgrade',
          end: '2026-11-23T12:00:00.000Z',
        }),
      ]);
      expect(await store.activeMaintenance('odoo', new Date('2026-11-23T12:30:00Z'))).toEqual([]);
    } finally {
      await db.stop();
    }
  });
});
