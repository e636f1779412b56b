import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { TokenDeps } from '../../lambdas/aws/deps';
import { StateStore } from '../../lambdas/aws/state-store';
import type { Incident } from '../../lambdas/core/escalation/types';
import { makeAckHandler } from '../../lambdas/incident-ack';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { twinRuntimeConfig } from '../../sim/aws/twin-account';

const ID = 'INC-20261123T1000-abcdef';
const incident = (severity: string, alertName: string): Incident => ({
  id: ID,
  alertName,
  component: 'odoo',
  subject: 'influencegen-prod-x',
  severity,
  correlationGroup: 'g',
  acknowledgementRequiresComment: severity === 'Critical',
  status: 'open',
  openedAt: '2026-11-23T10:00:00.000Z',
  lastSignalAt: '2026-11-23T10:00:00.000Z',
  count: 1,
  members: [alertName],
  pages: [],
});

let db: LocalDynamoDB;
let deps: TokenDeps;
const sfn = new SFNClient({ region: 'eu-west-1' });
const sfnMock = mockClient(sfn);

beforeEach(async () => {
  db = await startLocalDynamoDB();
  sfnMock.reset();
  sfnMock.on(SendTaskSuccessCommand).resolves({});
  const store = new StateStore(db.doc, db.table);
  deps = {
    config: twinRuntimeConfig('prod', db.table),
    store,
    sfn,
    logger: new Logger({ logLevel: 'SILENT' }),
    now: () => new Date('2026-11-23T10:05:00Z'),
  };
});
afterEach(() => db.stop());

const urlEvent = (body: unknown, userArn?: string) => ({
  body: JSON.stringify(body),
  isBase64Encoded: false,
  requestContext: userArn ? { authorizer: { iam: { userArn } } } : {},
});

describe('incident acknowledgement', () => {
  test('through the function URL, the verified IAM caller is the acknowledger, whatever the body says', async () => {
    await deps.store.openIncident(incident('High', 'Odoo_Server_High_CPU'), new Date(), {
      gathersGroup: false,
    });
    await deps.store.storeTaskToken(ID, 'token-1');
    const response = (await makeAckHandler(deps)(
      urlEvent({ incidentId: ID, by: 'someone-else' }, 'arn:aws:iam::123456789012:user/alice'),
    )) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      status: 'acknowledged',
      by: 'arn:aws:iam::123456789012:user/alice',
      stoppedEscalation: true,
    });
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-1' });
    expect(await deps.store.incident(ID)).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'arn:aws:iam::123456789012:user/alice',
    });
  });

  test('a request without an IAM identity is refused and changes nothing', async () => {
    await deps.store.openIncident(incident('High', 'Odoo_Server_High_CPU'), new Date(), {
      gathersGroup: false,
    });
    const response = (await makeAckHandler(deps)(urlEvent({ incidentId: ID, by: 'me' }))) as {
      statusCode: number;
    };
    expect(response.statusCode).toBe(400);
    expect(await deps.store.incident(ID)).toMatchObject({ status: 'open' });
  });

  test('a Critical acknowledgement needs a comment', async () => {
    await deps.store.openIncident(incident('Critical', 'Payment_Processing_Failure_Rate'), new Date(), {
      gathersGroup: false,
    });
    expect(await makeAckHandler(deps)({ incidentId: ID, by: 'me' })).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^comment: acknowledging a Critical incident requires a comment/),
    });
    expect(await makeAckHandler(deps)({ incidentId: ID, by: 'me', comment: '   ' })).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^comment/),
    });
    expect(await deps.store.incident(ID)).toMatchObject({ status: 'open' });
  });

  test('acknowledging twice is harmless, and unknown or malformed ids are refused', async () => {
    await deps.store.openIncident(incident('High', 'Odoo_Server_High_CPU'), new Date(), {
      gathersGroup: false,
    });
    expect(await makeAckHandler(deps)({ incidentId: ID, by: 'me' })).toMatchObject({
      status: 'acknowledged',
      stoppedEscalation: false,
    });
    expect(await makeAckHandler(deps)({ incidentId: ID, by: 'you' })).toMatchObject({
      status: 'already-acknowledged',
      reason: expect.stringMatching(/acknowledged by me/),
    });
    expect(await makeAckHandler(deps)({ incidentId: 'INC-20261123T1000-000000', by: 'me' })).toMatchObject({
      status: 'not-found',
    });
    expect(await makeAckHandler(deps)({ incidentId: 'drop table', by: 'me' })).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^incidentId: must be an incident id/),
    });
  });
});
