import { Client, types } from 'pg';
import {
  ODOO_CORE_TABLES,
  WRITE_CLOCK_COLUMN,
  WRITE_CLOCK_TABLES,
  type RestoredDatabase,
} from '../core/backup/restore-validation';

export interface DatabaseLogin {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** RDS requires TLS; a local test server does not offer it. */
  readonly ssl: boolean;
}

/**
 * Reads what the restore test judges from a restored database, with the restored credentials:
 * which Odoo core tables exist and the newest write among the write-clock tables. Read-only;
 * the connection is closed whatever happens.
 */
export async function readRestoredDatabase(login: DatabaseLogin): Promise<RestoredDatabase> {
  const client = new Client({
    host: login.host,
    port: login.port,
    database: login.database,
    user: login.user,
    password: login.password,
    // RDS's chain: the function is given the runtime's Amazon CA bundle (NODE_EXTRA_CA_CERTS).
    ssl: login.ssl ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 20_000,
    // Odoo stores write_date as `timestamp without time zone` in UTC: read it as UTC, whatever
    // the process's time zone.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
        oid === Number(types.builtins.TIMESTAMP)
          ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
          : (types.getTypeParser(oid, format) as unknown)) as typeof types.getTypeParser,
    },
  });
  await client.connect();
  try {
    const present = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)",
      [[...ODOO_CORE_TABLES]],
    );
    const tables = present.rows.map((r) => r.table_name);
    const clocks = WRITE_CLOCK_TABLES.filter((t) => tables.includes(t));
    let newestWriteAt: Date | null = null;
    if (clocks.length > 0) {
      // Table names come from the constant list above, never from input.
      const union = clocks
        .map((t) => `SELECT max(${WRITE_CLOCK_COLUMN[t]}) AS at FROM ${t}`)
        .join(' UNION ALL ');
      const newest = await client.query<{ at: Date | null }>(
        `SELECT max(at) AS at FROM (${union}) AS writes`,
      );
      newestWriteAt = newest.rows[0]?.at ?? null;
    }
    return { tables, newestWriteAt };
  } finally {
    await client.end();
  }
}
