import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { queryAll } from '../../lambdas/aws/dynamo';
import { LedgerStore } from '../../lambdas/aws/ledger-store';
import { readSeries } from '../../lambdas/aws/metrics';

/**
 * The SDK's paginators behind the AWS reads (the ECS listings: gpu-fleet.test.ts): an answer of
 * several pages is read to its end, each page asked for with the previous page's token.
 */

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(doc);
const cloudwatch = new CloudWatchClient({ region: 'eu-west-1' });
const cw = mockClient(cloudwatch);

beforeEach(() => {
  dynamo.reset();
  cw.reset();
});

/** Each call's input as it was sent (the paginators reuse one input object across pages). */
function queryPages(pages: ReadonlyArray<{ Items: object[]; LastEvaluatedKey?: Record<string, unknown> }>) {
  const sent: QueryCommandInput[] = [];
  dynamo.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    sent.push({ ...input });
    return pages[sent.length - 1] ?? { Items: [] };
  });
  return sent;
}

describe('queryAll (DynamoDB paginateQuery)', () => {
  test('reads every page, each from where the last ended, leaving the caller input as it was', async () => {
    const sent = queryPages([
      { Items: [{ n: 1 }, { n: 2 }], LastEvaluatedKey: { pk: 'P', sk: '2' } },
      { Items: [{ n: 3 }], LastEvaluatedKey: { pk: 'P', sk: '3' } },
      { Items: [{ n: 4 }] },
    ]);
    const input = {
      TableName: 't',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'P' },
    };
    await expect(queryAll(doc, input)).resolves.toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(sent.map((s) => s.ExclusiveStartKey)).toEqual([
      undefined,
      { pk: 'P', sk: '2' },
      { pk: 'P', sk: '3' },
    ]);
    expect(sent.every((s) => s.TableName === 't' && s.KeyConditionExpression === 'pk = :pk')).toBe(true);
    expect(input).toEqual({
      TableName: 't',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'P' },
    });
  });

  test('a single page, and an empty answer', async () => {
    queryPages([{ Items: [{ n: 1 }] }]);
    await expect(queryAll(doc, { TableName: 't' })).resolves.toEqual([{ n: 1 }]);
    dynamo.reset();
    dynamo.on(QueryCommand).resolves({});
    await expect(queryAll(doc, { TableName: 't' })).resolves.toEqual([]);
  });
});

describe('LedgerStore.entries', () => {
  test("the component's whole ledger since a time, across pages", async () => {
    const sent = queryPages([
      { Items: [{ sk: 'a' }], LastEvaluatedKey: { pk: 'LEDGER#odoo', sk: 'a' } },
      { Items: [{ sk: 'b' }] },
    ]);
    const entries = await new LedgerStore(doc, 'state').entries('odoo', new Date('2026-11-23T09:00:00Z'));
    expect(entries).toEqual([{ sk: 'a' }, { sk: 'b' }]);
    expect(sent).toEqual([
      expect.objectContaining({
        TableName: 'state',
        KeyConditionExpression: 'pk = :pk AND sk >= :since',
        ExpressionAttributeValues: { ':pk': 'LEDGER#odoo', ':since': '2026-11-23T09:00:00.000Z' },
        ExclusiveStartKey: undefined,
      }),
      expect.objectContaining({ ExclusiveStartKey: { pk: 'LEDGER#odoo', sk: 'a' } }),
    ]);
  });
});

describe('readSeries (CloudWatch paginateGetMetricData)', () => {
  test("a series split across pages is read whole, each page asked for with the last one's token", async () => {
    const minute = (m: number) => new Date(Date.UTC(2026, 10, 23, 9, m));
    const sent: GetMetricDataCommandInput[] = [];
    const pages = [
      {
        MetricDataResults: [{ Id: 'cpu', Timestamps: [minute(55), minute(56)], Values: [10, 20] }],
        NextToken: 'page-2',
      },
      { MetricDataResults: [{ Id: 'cpu', Timestamps: [minute(58)], Values: [40] }], NextToken: 'page-3' },
      { MetricDataResults: [{ Id: 'cpu', Timestamps: [minute(59)], Values: [50] }] },
    ];
    cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      sent.push({ ...input });
      return pages[sent.length - 1];
    });
    const series = await readSeries(
      cloudwatch,
      [
        {
          Id: 'cpu',
          ReturnData: true,
          MetricStat: {
            Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: [] },
            Period: 60,
            Stat: 'Average',
          },
        },
      ],
      new Date('2026-11-23T10:00:30Z'),
      5,
    );
    expect(series).toEqual({ cpu: [10, 20, null, 40, 50] });
    expect(sent.map((s) => s.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
    expect(sent.every((s) => s.ScanBy === 'TimestampAscending')).toBe(true);
    expect(sent.map((s) => [s.StartTime, s.EndTime])).toEqual(
      Array(3).fill([new Date('2026-11-23T09:55:00Z'), new Date('2026-11-23T10:00:00Z')]),
    );
  });
});
