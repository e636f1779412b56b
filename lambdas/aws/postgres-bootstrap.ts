import { Client } from 'pg';
import { MAINTENANCE_DATABASE, type BootstrapStep } from '../core/database/bootstrap-plan';

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** RDS requires TLS (rds.force_ssl); a local test server does not offer it. */
  readonly ssl: boolean;
}

/** What a failed step reports: which step, and the server's message. */
export class BootstrapStepError extends Error {
  constructor(
    readonly step: BootstrapStep,
    cause: Error,
  ) {
    super(
      `${step.purpose} (in database ${step.kind === 'transaction' ? step.database : MAINTENANCE_DATABASE}): ${cause.message}`,
    );
    this.name = 'BootstrapStepError';
  }
}

/** The master password did not open a session: nothing was changed. */
export class MasterLoginError extends Error {
  constructor(server: PostgresServer, cause: Error) {
    super(
      `cannot log in to PostgreSQL at ${server.host}:${server.port} as ${server.user}: ${cause.message}; nothing was changed`,
    );
    this.name = 'MasterLoginError';
  }
}

/**
 * Runs a bootstrap plan as the master user, one connection at a time (each step opens its own,
 * in the step's database, and closes it whatever happens). The first connection is the login
 * check: a wrong master password fails there, before any step has run.
 */
export async function applyBootstrapPlan(
  server: PostgresServer,
  steps: readonly BootstrapStep[],
): Promise<void> {
  await withConnection(server, MAINTENANCE_DATABASE, async () => undefined).catch((error: Error) => {
    throw new MasterLoginError(server, error);
  });
  for (const step of steps) {
    try {
      await runStep(server, step);
    } catch (error) {
      throw new BootstrapStepError(step, error as Error);
    }
  }
}

async function runStep(server: PostgresServer, step: BootstrapStep): Promise<void> {
  if (step.kind === 'create-database') {
    await withConnection(server, MAINTENANCE_DATABASE, async (client) => {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [step.database]);
      if (exists.rowCount) return;
      try {
        await client.query(step.statement);
      } catch (error) {
        // Created meanwhile by someone else: the next steps make it ours either way.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    });
    return;
  }
  await withConnection(server, step.database, async (client) => {
    await client.query('BEGIN');
    try {
      for (const statement of step.statements) await client.query(statement);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

async function withConnection<T>(
  server: PostgresServer,
  database: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database,
    // RDS's chain: the function is given the runtime's Amazon CA bundle (NODE_EXTRA_CA_CERTS), and
    // the host name is checked against the certificate.
    ssl: server.ssl ? { rejectUnauthorized: true } : false,
    connectionTimeoutMillis: 10_000,
    statement_timeout: 120_000,
    application_name: 'influencegen-db-bootstrap',
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
