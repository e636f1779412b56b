import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Client } from 'pg';
import { N8N_DATABASE_ROLES, ODOO_DATABASE_ROLES } from '../../lib/config/database-roles';
import { applyBootstrapPlan } from '../../lambdas/aws/postgres-bootstrap';
import { planBootstrap } from '../../lambdas/core/database/bootstrap-plan';
import { scramSha256Verifier } from '../../lambdas/core/database/scram';
import { makeBootstrapHandler, type BootstrapEvent } from '../../lambdas/db-bootstrap';
import { startPostgres, type LocalPostgres } from '../support/postgres';

/**
 * The bootstrap against a real PostgreSQL server, run as a master user shaped like RDS's: LOGIN,
 * CREATEROLE and CREATEDB but not a superuser, owning the `n8n` database RDS creates for it.
 * Secrets Manager is mocked at the SDK boundary.
 */
const MASTER = 'influencegen_admin';
const ARN = {
  master: 'arn:aws:secretsmanager:eu-west-1:1:secret:master',
  odoo: 'arn:aws:secretsmanager:eu-west-1:1:secret:odoo',
  n8n: 'arn:aws:secretsmanager:eu-west-1:1:secret:n8n',
};
const APP_ROLES = ['odoo', 'odoo_clone', 'odoo_owner', 'n8n', 'n8n_clone', 'n8n_owner'];

let pg: LocalPostgres;
const secrets = new SecretsManagerClient({ region: 'eu-west-1' });
const secretsMock = mockClient(secrets);
const secretValues: Record<string, { username: string; password: string }> = {};

function setSecret(arn: string, username: string, password: string): void {
  secretValues[arn] = { username, password };
  secretsMock
    .on(GetSecretValueCommand, { SecretId: arn })
    .resolves({ SecretString: JSON.stringify({ ...secretValues[arn], host: 'db.example', port: 5432 }) });
}

const handler = makeBootstrapHandler({
  secrets,
  // The handler always asks for TLS (RDS forces it); the local server has none.
  apply: (server, steps) => applyBootstrapPlan({ ...server, ssl: false }, steps),
  salt: () => randomBytes(16),
  logger: new Logger({ logLevel: 'SILENT' }),
});

function event(
  requestType: BootstrapEvent['RequestType'] = 'Create',
  apps = [ODOO_DATABASE_ROLES, N8N_DATABASE_ROLES],
): BootstrapEvent {
  return {
    RequestType: requestType,
    RequestId: 'r-1',
    StackId: 'arn:aws:cloudformation:eu-west-1:1:stack/data/1',
    LogicalResourceId: 'DatabaseBootstrap',
    ResourceType: 'Custom::DatabaseBootstrap',
    PhysicalResourceId: requestType === 'Create' ? undefined : `postgres-bootstrap:127.0.0.1:${pg.port}`,
    ResourceProperties: {
      MasterSecretArn: ARN.master,
      Host: '127.0.0.1',
      Port: String(pg.port),
      Apps: apps.map((a) => ({
        SecretArn: a.database === 'odoo' ? ARN.odoo : a.database === 'n8n' ? ARN.n8n : `arn:${a.database}`,
        Database: a.database,
        User: a.user,
        OwnerRole: a.ownerRole,
      })),
    },
  };
}

/** A session as `user` in `database`; the caller ends it. */
async function login(user: string, password: string, database: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port: pg.port, user, password, database });
  await client.connect();
  return client;
}

async function asSuperuser<T>(database: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = await login('postgres', pg.password, database);
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function rows(
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  return asSuperuser(database, async (c) => (await c.query(sql, params)).rows);
}

/** Everything the bootstrap may touch, as the catalog holds it (password hashes included). */
async function catalogSnapshot(): Promise<unknown> {
  const roles = await rows(
    'postgres',
    `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolpassword
     FROM pg_authid WHERE rolname = ANY($1) ORDER BY rolname`,
    [[...APP_ROLES, MASTER]],
  );
  const memberships = await rows(
    'postgres',
    `SELECT r.rolname AS role, m.rolname AS member, g.rolname AS grantor, a.admin_option
     FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
     JOIN pg_roles g ON g.oid = a.grantor ORDER BY 1, 2, 3`,
  );
  const settings = await rows(
    'postgres',
    `SELECT r.rolname, s.setdatabase, s.setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole ORDER BY 1, 2`,
  );
  const databases = await rows(
    'postgres',
    `SELECT datname, pg_get_userbyid(datdba) AS owner, datacl::text AS acl, datallowconn, datcollate
     FROM pg_database WHERE datname IN ('odoo', 'n8n') ORDER BY 1`,
  );
  const objects: Record<string, unknown> = {};
  for (const db of ['odoo', 'n8n']) objects[db] = await ownersIn(db);
  return { roles, memberships, settings, databases, objects };
}

async function ownersIn(database: string): Promise<Record<string, unknown>[]> {
  return rows(
    database,
    `SELECT c.relname AS name, c.relkind::text AS kind, pg_get_userbyid(c.relowner) AS owner FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
     UNION ALL SELECT p.proname, 'function', pg_get_userbyid(p.proowner) FROM pg_proc p
     JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
     UNION ALL SELECT t.typname, 'enum', pg_get_userbyid(t.typowner) FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'
     ORDER BY 1, 2`,
  );
}

async function appRolesPresent(): Promise<unknown[]> {
  return (await rows('postgres', 'SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [APP_ROLES])).map(
    (r) => r.rolname,
  );
}

beforeAll(async () => {
  pg = await startPostgres();
  await pg.sql('postgres', `CREATE ROLE ${MASTER} LOGIN CREATEROLE CREATEDB PASSWORD 'master-password'`);
  await pg.sql('postgres', `CREATE DATABASE n8n OWNER ${MASTER}`);
  // What n8n left when it ran as the master user: its tables (a serial among them), a view, a
  // function and an enum, all the master's.
  const master = await login(MASTER, 'master-password', 'n8n');
  await master.query(`
    CREATE TABLE workflow_entity (id serial PRIMARY KEY, name varchar NOT NULL);
    CREATE VIEW workflow_names AS SELECT name FROM workflow_entity;
    CREATE FUNCTION workflow_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM workflow_entity';
    CREATE TYPE execution_status AS ENUM ('new', 'running', 'success');
    INSERT INTO workflow_entity (name) VALUES ('signals');`);
  await master.end();
  setSecret(ARN.master, MASTER, 'master-password');
  setSecret(ARN.odoo, 'odoo', 'odoo-first-password');
  setSecret(ARN.n8n, 'n8n', 'n8n-first-password');
}, 60_000);

afterAll(async () => {
  await pg?.stop();
});

describe('the database bootstrap (a real PostgreSQL server, Secrets Manager mocked)', () => {
  test('a wrong master password fails with a clear error, and nothing is created', async () => {
    setSecret(ARN.master, MASTER, 'not-the-password');
    await expect(handler(event())).rejects.toThrow(
      new RegExp(
        `^cannot log in to PostgreSQL at 127\\.0\\.0\\.1:${pg.port} as ${MASTER}: password authentication failed .*; nothing was changed$`,
      ),
    );
    setSecret(ARN.master, MASTER, 'master-password');
    expect(await appRolesPresent()).toEqual([]);
    expect(await rows('postgres', "SELECT 1 FROM pg_database WHERE datname = 'odoo'")).toEqual([]);
  });

  test('a secret naming neither login fails before anything is created', async () => {
    setSecret(ARN.odoo, 'someone_else', 'x-password');
    await expect(handler(event())).rejects.toThrow(
      'the secret of database odoo names someone_else, which is neither odoo nor odoo_clone',
    );
    setSecret(ARN.odoo, 'odoo', 'odoo-first-password');
    expect(await appRolesPresent()).toEqual([]);
  });

  test('Create: each application gets an owner role, two logins and its own database', async () => {
    const result = await handler(event());
    expect(result).toEqual({
      PhysicalResourceId: `postgres-bootstrap:127.0.0.1:${pg.port}`,
      Data: { Databases: 'odoo,n8n' },
    });

    const roles = await rows(
      'postgres',
      `SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit, rolpassword IS NOT NULL AS has_password
       FROM pg_authid WHERE rolname = ANY($1) ORDER BY rolname`,
      [APP_ROLES],
    );
    const role = (rolname: string, canLogin: boolean, hasPassword: boolean) => ({
      rolname,
      rolcanlogin: canLogin,
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolinherit: true,
      has_password: hasPassword,
    });
    expect(roles).toEqual([
      role('n8n', true, true),
      role('n8n_clone', true, false),
      role('n8n_owner', false, false),
      role('odoo', true, true),
      // The clone exists, may log in, but has no password until the first rotation sets one.
      role('odoo_clone', true, false),
      role('odoo_owner', false, false),
    ]);
    // Passwords are stored as SCRAM verifiers, whatever password_encryption says.
    expect(
      (await rows('postgres', "SELECT rolpassword FROM pg_authid WHERE rolname = 'odoo'"))[0]?.rolpassword,
    ).toMatch(/^SCRAM-SHA-256\$4096:/);

    const members = await rows(
      'postgres',
      `SELECT r.rolname AS role, m.rolname AS member FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid
       JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = ANY($1) ORDER BY 1, 2`,
      [APP_ROLES],
    );
    expect(members).toEqual([
      { role: 'n8n_owner', member: MASTER },
      { role: 'n8n_owner', member: 'n8n' },
      { role: 'n8n_owner', member: 'n8n_clone' },
      { role: 'odoo_owner', member: MASTER },
      { role: 'odoo_owner', member: 'odoo' },
      { role: 'odoo_owner', member: 'odoo_clone' },
    ]);
    expect(
      await rows(
        'postgres',
        'SELECT r.rolname, s.setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole ORDER BY 1',
      ),
    ).toEqual([
      { rolname: 'n8n', setconfig: ['role=n8n_owner'] },
      { rolname: 'n8n_clone', setconfig: ['role=n8n_owner'] },
      { rolname: 'odoo', setconfig: ['role=odoo_owner'] },
      { rolname: 'odoo_clone', setconfig: ['role=odoo_owner'] },
    ]);

    expect(
      await rows(
        'postgres',
        "SELECT datname, pg_get_userbyid(datdba) AS owner, datallowconn, datcollate FROM pg_database WHERE datname IN ('odoo', 'n8n') ORDER BY 1",
      ),
    ).toEqual([
      // n8n's database was RDS's (the master's): it is handed over, not recreated.
      { datname: 'n8n', owner: 'n8n_owner', datallowconn: true, datcollate: expect.any(String) },
      { datname: 'odoo', owner: 'odoo_owner', datallowconn: true, datcollate: 'C' },
    ]);

    const connect = await rows(
      'postgres',
      `SELECT r.rolname, d.datname, has_database_privilege(r.rolname, d.datname, 'CONNECT') AS connect,
              has_database_privilege(r.rolname, d.datname, 'TEMPORARY') AS temp
       FROM pg_roles r, pg_database d WHERE r.rolname = ANY($1) AND d.datname IN ('odoo', 'n8n') ORDER BY 1, 2`,
      [[...APP_ROLES.filter((r) => !r.endsWith('_owner')), 'pg_monitor']],
    );
    expect(connect).toEqual([
      { rolname: 'n8n', datname: 'n8n', connect: true, temp: true },
      { rolname: 'n8n', datname: 'odoo', connect: false, temp: false },
      { rolname: 'n8n_clone', datname: 'n8n', connect: true, temp: true },
      { rolname: 'n8n_clone', datname: 'odoo', connect: false, temp: false },
      { rolname: 'odoo', datname: 'n8n', connect: false, temp: false },
      { rolname: 'odoo', datname: 'odoo', connect: true, temp: true },
      { rolname: 'odoo_clone', datname: 'n8n', connect: false, temp: false },
      { rolname: 'odoo_clone', datname: 'odoo', connect: true, temp: true },
      // Any other role (PUBLIC's grants are gone).
      { rolname: 'pg_monitor', datname: 'n8n', connect: false, temp: false },
      { rolname: 'pg_monitor', datname: 'odoo', connect: false, temp: false },
    ]);
  });

  test("what n8n created as the master user now belongs to n8n's owner role", async () => {
    expect(await ownersIn('n8n')).toEqual([
      { name: 'execution_status', kind: 'enum', owner: 'n8n_owner' },
      { name: 'workflow_count', kind: 'function', owner: 'n8n_owner' },
      { name: 'workflow_entity', kind: 'r', owner: 'n8n_owner' },
      { name: 'workflow_entity_id_seq', kind: 'S', owner: 'n8n_owner' },
      { name: 'workflow_entity_pkey', kind: 'i', owner: 'n8n_owner' },
      { name: 'workflow_names', kind: 'v', owner: 'n8n_owner' },
    ]);
    const n8n = await login('n8n', 'n8n-first-password', 'n8n');
    try {
      // A migration as n8n's login: alter the old table, use its sequence.
      await n8n.query('ALTER TABLE workflow_entity ADD COLUMN active boolean NOT NULL DEFAULT false');
      await n8n.query("INSERT INTO workflow_entity (name) VALUES ('escalation')");
      expect((await n8n.query('SELECT workflow_count() AS n')).rows).toEqual([{ n: '2' }]);
    } finally {
      await n8n.end();
    }
  });

  test("Odoo's logins cannot open n8n's database, nor n8n's Odoo's", async () => {
    await expect(login('odoo', 'odoo-first-password', 'n8n')).rejects.toThrow(
      /permission denied for database "n8n"/,
    );
    await expect(login('n8n', 'n8n-first-password', 'odoo')).rejects.toThrow(
      /permission denied for database "odoo"/,
    );
    // Nor can the clone, which has no password yet.
    await expect(login('odoo_clone', '', 'odoo')).rejects.toThrow();
  });

  test('a second run changes nothing in the catalog', async () => {
    const before = await catalogSnapshot();
    await handler(event('Update'));
    expect(await catalogSnapshot()).toEqual(before);
  });

  test('after a rotation both logins work on the same tables, and a rerun undoes nothing', async () => {
    const odoo = await login('odoo', 'odoo-first-password', 'odoo');
    await odoo.query('CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar)');
    await odoo.query("INSERT INTO res_partner (name) VALUES ('by odoo')");
    expect((await odoo.query('SELECT session_user, current_user')).rows).toEqual([
      { session_user: 'odoo', current_user: 'odoo_owner' },
    ]);
    await odoo.end();

    // The rotation function's setSecret on an existing clone (its source: `ALTER USER <clone> WITH
    // PASSWORD ...`, as the master), then finishSecret points the secret at the clone.
    await pg.sql(
      'postgres',
      "SET ROLE influencegen_admin; ALTER USER odoo_clone WITH PASSWORD 'rotated-password'",
    );
    setSecret(ARN.odoo, 'odoo_clone', 'rotated-password');

    const clone = await login('odoo_clone', 'rotated-password', 'odoo');
    try {
      // An upgrade as the clone: alters the table the other login created, and creates another.
      await clone.query('ALTER TABLE res_partner ADD COLUMN email varchar');
      await clone.query("INSERT INTO res_partner (name, email) VALUES ('by clone', 'c@example.com')");
      await clone.query('CREATE TABLE res_company (id serial PRIMARY KEY, name varchar)');
    } finally {
      await clone.end();
    }
    const back = await login('odoo', 'odoo-first-password', 'odoo');
    try {
      // ...and the first login, current again after the next rotation, alters what the clone made.
      await back.query('ALTER TABLE res_company ADD COLUMN currency varchar');
      await back.query('DROP TABLE res_company');
      expect((await back.query('SELECT name FROM res_partner ORDER BY id')).rows).toEqual([
        { name: 'by odoo' },
        { name: 'by clone' },
      ]);
    } finally {
      await back.end();
    }
    expect((await ownersIn('odoo')).map((o) => o.owner)).toEqual(['odoo_owner', 'odoo_owner', 'odoo_owner']);

    const before = await catalogSnapshot();
    await handler(event('Update'));
    expect(await catalogSnapshot()).toEqual(before);
    // Both passwords still open a session.
    for (const [user, password] of [
      ['odoo', 'odoo-first-password'],
      ['odoo_clone', 'rotated-password'],
    ] as const) {
      const c = await login(user, password, 'odoo');
      await c.end();
    }
  });

  test('a first run that finds the secret already naming the clone gives the clone the password', async () => {
    const extra = { database: 'extra', user: 'extra', ownerRole: 'extra_owner' };
    setSecret('arn:extra', 'extra_clone', 'extra-password');
    await handler(event('Update', [ODOO_DATABASE_ROLES, N8N_DATABASE_ROLES, extra]));
    const c = await login('extra_clone', 'extra-password', 'extra');
    expect((await c.query('SELECT current_user')).rows).toEqual([{ current_user: 'extra_owner' }]);
    await c.end();
    expect(
      await rows('postgres', "SELECT rolpassword IS NULL AS none FROM pg_authid WHERE rolname = 'extra'"),
    ).toEqual([{ none: true }]);
  });

  test('a run stopped after CREATE DATABASE is finished by the next one', async () => {
    const half = { database: 'half', user: 'half', ownerRole: 'half_owner' };
    setSecret('arn:half', 'half', 'half-password');
    const steps = planBootstrap([
      {
        database: 'half',
        ownerRole: 'half_owner',
        loginRoles: ['half', 'half_clone'],
        password: { user: 'half', verifier: scramSha256Verifier('half-password', randomBytes(16)) },
      },
    ]);
    // Roles and CREATE DATABASE only, as if the function had stopped there.
    const server = {
      host: '127.0.0.1',
      port: pg.port,
      user: MASTER,
      password: 'master-password',
      ssl: false,
    };
    await applyBootstrapPlan(server, steps.slice(0, 2));
    // Nobody can open it yet, not even its own login.
    await expect(login('half', 'half-password', 'half')).rejects.toThrow(
      /not currently accepting connections/,
    );
    await handler(event('Update', [ODOO_DATABASE_ROLES, N8N_DATABASE_ROLES, half]));
    const c = await login('half', 'half-password', 'half');
    await c.end();
  });

  test('Delete keeps every role and database', async () => {
    const before = await catalogSnapshot();
    secretsMock.resetHistory();
    expect(await handler(event('Delete'))).toEqual({
      PhysicalResourceId: `postgres-bootstrap:127.0.0.1:${pg.port}`,
    });
    expect(secretsMock).not.toHaveReceivedCommand(GetSecretValueCommand);
    expect(await catalogSnapshot()).toEqual(before);
  });
});
