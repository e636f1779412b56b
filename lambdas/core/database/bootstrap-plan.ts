import { InvalidInputError } from '../invalid-input';
import { doBlock, quoteIdent, quoteLiteral } from './sql-text';

/**
 * The SQL that gives each application its own PostgreSQL roles and database, as idempotent steps:
 * every step checks the catalog before it changes anything, so a second run changes nothing and a
 * run that failed half-way is finished by the next one. Pure: no connection, no AWS.
 *
 * Why three roles per application (alternating-users rotation):
 * AWS's multi-user rotation function (SecretsManagerRDSPostgreSQLRotationMultiUser) takes turns
 * between `<user>` and `<user>_clone`: each rotation sets a new password on the login the secret does
 * NOT name and then points the secret at it, so tasks still running with the other login keep
 * working. The application therefore creates tables as one login, then migrates them as the other.
 * In PostgreSQL only an object's owner (or a member of the owning role) may ALTER or DROP it, so:
 * - one NOLOGIN role (`<app>_owner`) owns the database and every object in it;
 * - both logins are members of it and act as it from the moment they log in
 *   (`ALTER ROLE <login> SET role = '<app>_owner'`), so whatever either creates belongs to the owner
 *   and the other login can alter it.
 * The clone is created here, not by the rotation: when the clone does not exist, the rotation
 * function runs `CREATE ROLE <clone> WITH LOGIN PASSWORD ...` and `GRANT <user> TO <clone>`, which
 * gives it the user's privileges but not the per-role `SET role` setting (settings are not
 * inherited), so the clone would own what it creates and `<user>` could not alter it after the next
 * rotation. When the clone exists, the rotation only runs `ALTER USER <clone> WITH PASSWORD ...`, and
 * the membership and setting made here stay. The clone is created with LOGIN and no password
 * (PASSWORD NULL: nobody can log in as it until the rotation sets one).
 *
 * Passwords: a login's password is set only in the statement that creates it, from the password the
 * application's secret holds for the login it names; a later run never sets one, so it cannot undo a
 * rotation. It is sent as a SCRAM verifier (./scram.ts), never as the password itself.
 *
 * The master user (whoever runs the plan) becomes a member of each owner role: PostgreSQL requires
 * it to create a database owned by that role or to hand it objects, and the rotation function logs
 * in as the master to the application's database (the secret's dbname), which needs CONNECT.
 */

/** Where the cluster-wide steps (roles, database privileges) run; RDS always has it. */
export const MAINTENANCE_DATABASE = 'postgres';

export interface AppDatabase {
  readonly database: string;
  /** NOLOGIN; owns the database and its objects. */
  readonly ownerRole: string;
  /** The secret's first username and its rotation clone (`<user>_clone`). */
  readonly loginRoles: readonly [string, string];
  /**
   * The login the application's secret names now (either of loginRoles) and the SCRAM verifier of
   * its password: used only if that login does not exist yet.
   */
  readonly password: { readonly user: string; readonly verifier: string };
}

/** Statements run in one transaction, connected to `database`. */
export interface TransactionStep {
  readonly kind: 'transaction';
  readonly database: string;
  readonly purpose: string;
  readonly statements: readonly string[];
}

/**
 * CREATE DATABASE, which cannot run in a transaction: the runner checks pg_database first and runs
 * `statement` only when `database` is absent (connected to MAINTENANCE_DATABASE).
 */
export interface CreateDatabaseStep {
  readonly kind: 'create-database';
  readonly database: string;
  readonly purpose: string;
  readonly statement: string;
}

export type BootstrapStep = TransactionStep | CreateDatabaseStep;

/** Lower-case names only: they read the same quoted or not, in SQL, in secrets and in logs. */
const NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const RESERVED_DATABASES = new Set(['postgres', 'template0', 'template1', 'rdsadmin']);
const VERIFIER = /^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/;

export function validateApps(apps: readonly AppDatabase[]): void {
  if (apps.length === 0) throw new InvalidInputError('no application database to bootstrap');
  // Databases and roles are separate namespaces: `odoo` may name both.
  const seen = { database: new Set<string>(), role: new Set<string>() };
  const unique = (kind: keyof typeof seen, name: string) => {
    if (!NAME.test(name)) {
      throw new InvalidInputError(`${kind} ${JSON.stringify(name)} is not a lower-case PostgreSQL name`);
    }
    if (seen[kind].has(name)) throw new InvalidInputError(`${kind} ${name} is named twice`);
    seen[kind].add(name);
  };
  for (const app of apps) {
    unique('database', app.database);
    if (RESERVED_DATABASES.has(app.database)) {
      throw new InvalidInputError(
        `database ${app.database} belongs to PostgreSQL or RDS, not to an application`,
      );
    }
    for (const role of [app.ownerRole, ...app.loginRoles]) {
      unique('role', role);
      if (/^(pg_|rds)/.test(role) || role === 'public') {
        throw new InvalidInputError(`role name ${role} is reserved by PostgreSQL or RDS`);
      }
    }
    if (!app.loginRoles.includes(app.password.user)) {
      throw new InvalidInputError(
        `the secret of database ${app.database} names ${app.password.user}, which is neither ${app.loginRoles.join(' nor ')}`,
      );
    }
    if (!VERIFIER.test(app.password.verifier)) {
      throw new InvalidInputError(`the password of ${app.password.user} is not a SCRAM-SHA-256 verifier`);
    }
  }
}

/** The whole bootstrap, in order: roles, then per application its database, privileges and objects. */
export function planBootstrap(apps: readonly AppDatabase[]): BootstrapStep[] {
  validateApps(apps);
  const steps: BootstrapStep[] = [
    {
      kind: 'transaction',
      database: MAINTENANCE_DATABASE,
      purpose: `roles of ${apps.map((a) => a.database).join(', ')}`,
      // One transaction: the roles of every application exist together, or none does.
      statements: apps.flatMap(roleStatements),
    },
  ];
  for (const app of apps) {
    steps.push(
      {
        kind: 'create-database',
        database: app.database,
        purpose: `create database ${app.database}`,
        statement: createDatabaseStatement(app),
      },
      {
        kind: 'transaction',
        database: MAINTENANCE_DATABASE,
        purpose: `owner and privileges of database ${app.database}`,
        statements: databaseStatements(app),
      },
      {
        kind: 'transaction',
        database: app.database,
        purpose: `objects of database ${app.database} owned by the master user`,
        statements: [adoptObjectsStatement(app.ownerRole)],
      },
    );
  }
  return steps;
}

function roleStatements(app: AppDatabase): string[] {
  const [user, clone] = app.loginRoles;
  const passwordOf = (login: string) =>
    login === app.password.user ? `PASSWORD ${quoteLiteral(app.password.verifier)}` : 'PASSWORD NULL';
  return [
    doBlock(ensureRole(app.ownerRole, { login: false })),
    doBlock(ensureRole(user, { login: true, password: passwordOf(user) })),
    doBlock(ensureRole(clone, { login: true, password: passwordOf(clone) })),
    doBlock(
      [
        ensureMember(app.ownerRole, user),
        ensureMember(app.ownerRole, clone),
        ensureMember(app.ownerRole, null),
        ensureActsAs(user, app.ownerRole),
        ensureActsAs(clone, app.ownerRole),
      ].join('\n'),
    ),
  ];
}

/** Creates `name` if absent; refuses one with powers no application needs, and removes the lesser ones. */
function ensureRole(name: string, options: { login: boolean; password?: string }): string {
  const n = quoteLiteral(name);
  const login = options.login ? 'LOGIN' : 'NOLOGIN';
  const create = [
    `CREATE ROLE ${quoteIdent(name)} ${login} INHERIT NOCREATEDB NOCREATEROLE`,
    options.password,
  ]
    .filter(Boolean)
    .join(' ');
  return [
    `IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${n}) THEN`,
    `  ${create};`,
    'END IF;',
    // Only a superuser may take these away; the master user is not one on RDS.
    `IF EXISTS (SELECT FROM pg_roles WHERE rolname = ${n} AND (rolsuper OR rolreplication OR rolbypassrls)) THEN`,
    `  RAISE EXCEPTION 'role % has SUPERUSER, REPLICATION or BYPASSRLS: an application role must not', ${n};`,
    'END IF;',
    `IF EXISTS (SELECT FROM pg_roles WHERE rolname = ${n} AND (rolcanlogin <> ${options.login} OR rolcreatedb OR rolcreaterole OR NOT rolinherit)) THEN`,
    `  ALTER ROLE ${quoteIdent(name)} ${login} INHERIT NOCREATEDB NOCREATEROLE;`,
    'END IF;',
  ].join('\n');
}

/**
 * Makes `member` (null: the user running the plan) a member of `role` that inherits its privileges
 * and may SET ROLE to it. PostgreSQL 16 records those as options of each grant (and gives the
 * creator of a role an ADMIN-only grant), so there it checks both; 'SET' is not a privilege name
 * before 16, hence the version test in PL/pgSQL, which evaluates only the branch it takes.
 */
function ensureMember(role: string, member: string | null): string {
  const r = quoteLiteral(role);
  const m = member === null ? 'current_user' : quoteLiteral(member);
  const grant = `GRANT ${quoteIdent(role)} TO ${member === null ? 'CURRENT_USER' : quoteIdent(member)};`;
  return [
    "IF current_setting('server_version_num')::int >= 160000 THEN",
    `  IF NOT (pg_has_role(${m}, ${r}, 'USAGE') AND pg_has_role(${m}, ${r}, 'SET')) THEN`,
    `    ${grant}`,
    '  END IF;',
    `ELSIF NOT pg_has_role(${m}, ${r}, 'USAGE') THEN`,
    `  ${grant}`,
    'END IF;',
  ].join('\n');
}

/** `login` acts as `owner` from the moment it logs in, whatever database it opens. */
function ensureActsAs(login: string, owner: string): string {
  return [
    'IF NOT EXISTS (SELECT FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole',
    `    WHERE s.setdatabase = 0 AND r.rolname = ${quoteLiteral(login)} AND s.setconfig @> ARRAY[${quoteLiteral(`role=${owner}`)}]) THEN`,
    `  ALTER ROLE ${quoteIdent(login)} SET role = ${quoteLiteral(owner)};`,
    'END IF;',
  ].join('\n');
}

/**
 * Owned by the owner role from its first instant, and closed to connections until the next step has
 * put its privileges in place: a run that stops in between leaves a database nobody can open, which
 * the next run finishes. Template, encoding and collation are the ones Odoo uses when it creates a
 * database itself (odoo/service/db.py, `_create_empty_database` with its default db_template).
 */
function createDatabaseStatement(app: AppDatabase): string {
  return `CREATE DATABASE ${quoteIdent(app.database)} WITH OWNER ${quoteIdent(app.ownerRole)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' ALLOW_CONNECTIONS false`;
}

/** The owner role owns the database; only the application's logins (and the owner) may connect. */
function databaseStatements(app: AppDatabase): string[] {
  const db = quoteIdent(app.database);
  const allowed = [app.ownerRole, ...app.loginRoles].map(quoteLiteral).join(', ');
  return [
    `ALTER DATABASE ${db} OWNER TO ${quoteIdent(app.ownerRole)}`,
    `REVOKE ALL ON DATABASE ${db} FROM PUBLIC`,
    // Any other grantee (a grant made by hand, another application's role) loses its access too.
    doBlock(
      [
        'DECLARE',
        '  grantee text;',
        'BEGIN',
        '  FOR grantee IN',
        '    SELECT DISTINCT a.rolname FROM pg_database d, aclexplode(d.datacl) x JOIN pg_roles a ON a.oid = x.grantee',
        `    WHERE d.datname = ${quoteLiteral(app.database)} AND a.rolname NOT IN (${allowed})`,
        '  LOOP',
        `    EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', ${quoteLiteral(app.database)}, grantee);`,
        '  END LOOP;',
        'END;',
      ].join('\n'),
      { declares: true },
    ),
    `GRANT CONNECT ON DATABASE ${db} TO ${app.loginRoles.map(quoteIdent).join(', ')}`,
    `ALTER DATABASE ${db} ALLOW_CONNECTIONS true`,
  ];
}

/**
 * Hands the owner role what the master user owns in the application's database: objects created
 * before this bootstrap existed, when the applications logged in as the master (n8n's tables in the
 * database RDS created). Without this, a migration run as the application's login would fail with
 * "must be owner". Sequences that belong to a column follow their table; extension members stay.
 */
export function adoptObjectsStatement(ownerRole: string): string {
  const owner = quoteLiteral(ownerRole);
  const notExtensionMember = (catalog: string, oid: string) =>
    `NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
  const userSchema = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";
  return doBlock(
    [
      'DECLARE',
      '  me oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);',
      '  ddl text;',
      'BEGIN',
      '  FOR ddl IN',
      `    SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, ${owner}) FROM pg_namespace n`,
      `    WHERE n.nspowner = me AND ${userSchema} AND ${notExtensionMember('pg_namespace', 'n.oid')}`,
      '    UNION ALL',
      `    SELECT format('ALTER %s %I.%I OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'`,
      `      WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname, c.relname, ${owner})`,
      '    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace',
      `    WHERE c.relowner = me AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${userSchema}`,
      `      AND ${notExtensionMember('pg_class', 'c.oid')}`,
      "      AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass",
      "        AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))",
      '    UNION ALL',
      `    SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, ${owner})`,
      '    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace',
      `    WHERE p.proowner = me AND ${userSchema} AND ${notExtensionMember('pg_proc', 'p.oid')}`,
      '    UNION ALL',
      `    SELECT format('ALTER %s %s OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype, ${owner})`,
      '    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace',
      // Enums, domains, ranges and free-standing composite types; a table's row type and array
      // types follow their table or element.
      `    WHERE t.typowner = me AND ${userSchema} AND ${notExtensionMember('pg_type', 't.oid')}`,
      "      AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))",
      '  LOOP',
      '    EXECUTE ddl;',
      '  END LOOP;',
      'END;',
    ].join('\n'),
    { declares: true },
  );
}
