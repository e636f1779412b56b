import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readRestoredDatabase } from '../../lambdas/aws/restored-database';
import { judgeRestore } from '../../lambdas/core/backup/restore-validation';
import { makeRestoreValidateHandler } from '../../lambdas/restore-validate';
import { startPostgres, type LocalPostgres } from '../support/postgres';

/** A real PostgreSQL server: an Odoo-shaped database, an empty one, and one whose newest write is old. */
let pg: LocalPostgres;
const POINT = new Date('2026-11-23T03:00:00.000Z');
const OBJECTIVES = { rpoMinutes: 15, rtoHours: 4 };
const ODOO_SCHEMA = `
  CREATE TABLE res_company (id serial PRIMARY KEY, name varchar NOT NULL, write_date timestamp);
  CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar, write_date timestamp);
  CREATE TABLE res_users (id serial PRIMARY KEY, login varchar NOT NULL, write_date timestamp);
  CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar NOT NULL, state varchar, write_date timestamp);
  CREATE TABLE ir_cron (id serial PRIMARY KEY, cron_name varchar, lastcall timestamp, write_date timestamp);
  INSERT INTO res_company (name, write_date) VALUES ('InfluenceGen', '2026-01-05 09:00:00');
  INSERT INTO res_users (login, write_date) VALUES ('admin', '2026-11-20 08:00:00');
  INSERT INTO ir_module_module (name, state) VALUES ('base', 'installed');`;
const login = (database: string) => ({
  host: '127.0.0.1',
  port: pg.port,
  database,
  user: 'odoo',
  password: 'restored-secret',
  ssl: false,
});

beforeAll(async () => {
  pg = await startPostgres();
  await pg.sql('postgres', "CREATE ROLE odoo LOGIN PASSWORD 'restored-secret'");
  for (const db of ['odoo', 'empty', 'stale']) await pg.sql('postgres', `CREATE DATABASE ${db} OWNER odoo`);
  await pg.sql(
    'odoo',
    `${ODOO_SCHEMA}
    INSERT INTO res_partner (name, write_date) VALUES ('a customer', '2026-11-23 02:50:00');
    INSERT INTO ir_cron (cron_name, lastcall, write_date) VALUES ('Mail: Email Queue Manager', '2026-11-23 02:58:00', '2026-01-05 09:00:00');
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO odoo;`,
  );
  await pg.sql(
    'stale',
    `${ODOO_SCHEMA}
    INSERT INTO ir_cron (cron_name, lastcall, write_date) VALUES ('Mail: Email Queue Manager', '2026-11-23 01:00:00', '2026-01-05 09:00:00');
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO odoo;`,
  );
}, 60_000);
afterAll(async () => {
  await pg?.stop();
});

const times = {
  recoveryPointCreatedAt: POINT,
  restoreStartedAt: new Date('2026-11-23T05:00:00Z'),
  restoreCompletedAt: new Date('2026-11-23T05:22:00Z'),
};

describe('reading a restored database (a real PostgreSQL server)', () => {
  test("an Odoo database: core tables present, the scheduler's last run 2 minutes before the recovery point: passes", async () => {
    const db = await readRestoredDatabase(login('odoo'));
    expect([...db.tables].sort()).toEqual([
      'ir_cron',
      'ir_module_module',
      'res_company',
      'res_partner',
      'res_users',
    ]);
    expect(db.newestWriteAt?.toISOString()).toBe('2026-11-23T02:58:00.000Z');
    expect(judgeRestore(db, times, OBJECTIVES)).toMatchObject({
      status: 'SUCCESSFUL',
      restoreMinutes: 22,
      withinRto: true,
    });
  });

  test('an empty database fails: no core tables, no write', async () => {
    const verdict = judgeRestore(await readRestoredDatabase(login('empty')), times, OBJECTIVES);
    expect(verdict.status).toBe('FAILED');
    expect(verdict.message).toMatch(
      /Odoo core tables missing: res_company, res_partner, res_users, ir_module_module, ir_cron; no write found/,
    );
  });

  test('a database whose newest write is 2 hours before the recovery point fails the RPO', async () => {
    const verdict = judgeRestore(await readRestoredDatabase(login('stale')), times, OBJECTIVES);
    expect(verdict).toMatchObject({
      status: 'FAILED',
      message: expect.stringMatching(/is 120 min before the recovery point \(RPO 15 min\)/),
    });
  });

  test('wrong credentials are refused by the server', async () => {
    await expect(readRestoredDatabase({ ...login('odoo'), password: 'wrong' })).rejects.toThrow(
      /password authentication failed/,
    );
  });
});

describe('the restore-validate function (Secrets Manager mocked at the SDK boundary, the database real)', () => {
  const secrets = new SecretsManagerClient({ region: 'eu-west-1' });
  const secretsMock = mockClient(secrets);
  beforeEach(() => {
    secretsMock.reset();
    secretsMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: 'odoo', password: 'restored-secret' }) });
  });
  const handler = (database: string) =>
    makeRestoreValidateHandler({
      restore: {
        secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:db',
        databaseName: database,
        objectives: OBJECTIVES,
      },
      secrets,
      readDatabase: (l) => readRestoredDatabase({ ...l, host: '127.0.0.1', port: pg.port, ssl: false }),
      logger: new Logger({ logLevel: 'SILENT' }),
    });
  const job = (over: Record<string, unknown> = {}) => ({
    RestoreJobId: 'r-1',
    Status: 'COMPLETED',
    CreationDate: '2026-11-23T05:00:00Z',
    CompletionDate: '2026-11-23T05:22:00Z',
    RecoveryPointCreationDate: POINT.toISOString(),
    ...over,
  });
  const instances = [{ Endpoint: { Address: 'restored.abc.eu-west-1.rds.amazonaws.com', Port: 5432 } }];

  test('a good restore is reported SUCCESSFUL with the restored credentials; nobody is paged', async () => {
    const result = await handler('odoo')({ restoreJob: job(), instances });
    expect(result).toMatchObject({
      status: 'SUCCESSFUL',
      report: true,
      restoreMinutes: 22,
      restoreJobId: 'r-1',
      resourceId: 'database',
    });
    expect(secretsMock).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:db',
    });
  });

  test('an empty restored database is FAILED, with the reason AWS Backup is told', async () => {
    const result = await handler('empty')({ restoreJob: job(), instances });
    expect(result).toMatchObject({
      status: 'FAILED',
      report: true,
      message: expect.stringMatching(/^Odoo core tables missing/),
    });
  });

  test('a restore job that failed is FAILED without a validation report (AWS Backup takes none)', async () => {
    const result = await handler('odoo')({
      restoreJob: job({ Status: 'FAILED', StatusMessage: 'DB subnet group not found' }),
      instances: [],
    });
    expect(result).toMatchObject({
      status: 'FAILED',
      report: false,
      resourceId: 'database',
      message: 'restore job r-1 ended FAILED: DB subnet group not found',
    });
    expect(secretsMock).not.toHaveReceivedCommand(GetSecretValueCommand);
  });

  test('wrong restored credentials are a FAILED validation with the reason, not a crash', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: 'odoo', password: 'wrong' }) });
    const result = await handler('odoo')({ restoreJob: job(), instances });
    expect(result).toMatchObject({
      status: 'FAILED',
      report: true,
      restoreMinutes: null,
      message: expect.stringMatching(
        /^could not read the restored database at restored\.abc\.eu-west-1\.rds\.amazonaws\.com: .*password authentication failed/,
      ),
    });
  });

  test("a continuous point is judged against the restore's start, the time it restores to", async () => {
    // The continuous point began before the scheduler's last run (02:58); the restore started at
    // 05:00, so the restored data should reach 05:00 and a newest write at 02:58 is 2 hours short.
    const result = await handler('odoo')({
      restoreJob: job({
        RecoveryPointArn: 'arn:aws:backup:eu-west-1:1:recovery-point:continuous:db-prod-abc',
        RecoveryPointCreationDate: '2026-11-23T02:55:00Z',
      }),
      instances,
    });
    expect(result).toMatchObject({
      status: 'FAILED',
      message: expect.stringMatching(/is 122 min before the recovery point \(RPO 15 min\)/),
    });
  });

  test('a completed restore job without its times is FAILED and reported; the database is not read', async () => {
    const result = await handler('odoo')({ restoreJob: job({ CompletionDate: undefined }), instances });
    expect(result).toMatchObject({
      status: 'FAILED',
      report: true,
      message: 'restore job r-1 lacks its times',
    });
    expect(secretsMock).not.toHaveReceivedCommand(GetSecretValueCommand);
  });
});
