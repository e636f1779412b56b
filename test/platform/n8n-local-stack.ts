import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort, startPostgres, type LocalPostgres } from '../support/postgres';
import { startRedis, type LocalRedis } from '../support/redis';
import { makeTestCa, type TestCa } from '../support/tls-ca';
import {
  localEnvironment,
  required,
  synthesizedContainer,
  withHostOnly,
  type N8nRole,
  type SynthesizedContainer,
} from './n8n-task-environment';
import { N8nProcess } from './n8n-process';

/**
 * What the deployed n8n tasks have around them, on one host: PostgreSQL serving TLS with a
 * certificate from a private CA (the RDS CA bundle's stand-in: that CA's PEM after an unrelated
 * one, as the bundle holds several roots), Redis with TLS and a
 * password (ElastiCache with in-transit encryption and an AUTH token), n8n's own database and login
 * role; and n8n processes started with the synthesized containers' environment on top of it.
 */
export interface StackOptions {
  readonly workloadsTemplate: unknown;
  readonly node: string;
  readonly n8nBin: string;
  /** Every log (n8n's, PostgreSQL's, Redis's) and the processes' folders go here. */
  readonly workDir: string;
}

export interface ProcessOptions {
  /** Replace DB_POSTGRESDB_SSL_CA (the refusal case: a CA that did not sign the server). */
  readonly databaseCaPem?: string;
}

/** The login the database secret would hold: n8n's own role, owner of its database. */
const DB_USER = 'n8n_app';
const DB_PASSWORD = 'n8n-app-password';

/**
 * Deploy-time values n8n itself never reads: the generation workflow's queue URL is for workflows'
 * $env. A loopback address that nothing answers keeps any accidental use local.
 */
const UNUSED_BY_N8N = { GENERATION_QUEUE_URL: 'http://127.0.0.1:9/generation-queue' };

export class N8nLocalStack {
  readonly containers: Readonly<Record<N8nRole, SynthesizedContainer>>;
  readonly processes: N8nProcess[] = [];
  /** The login n8n's processes use (the database secret's username). */
  readonly databaseUser = DB_USER;
  private readonly encryptionKey = randomBytes(24).toString('hex');
  private folders: string[] = [];
  /** Set by stop(): a start still under way (a timed-out beforeAll) must not leave a process behind. */
  private stopped = false;

  private constructor(
    private readonly options: StackOptions,
    readonly ca: TestCa,
    readonly postgres: LocalPostgres,
    readonly redis: LocalRedis,
  ) {
    this.containers = {
      main: synthesizedContainer(options.workloadsTemplate, 'main'),
      worker: synthesizedContainer(options.workloadsTemplate, 'worker'),
    };
  }

  static async start(options: StackOptions): Promise<N8nLocalStack> {
    fs.mkdirSync(options.workDir, { recursive: true });
    const ca = makeTestCa();
    const stopOnFailure: Array<() => Promise<void>> = [async () => ca.remove()];
    try {
      const server = { certFile: ca.server.certFile, keyFile: ca.server.keyFile };
      const postgres = await startPostgres({
        ssl: server,
        logFile: path.join(options.workDir, 'postgres.log'),
      });
      stopOnFailure.push(() => postgres.stop());
      const redis = await startRedis({
        tls: { ...server, caFile: ca.ca.certFile },
        logFile: path.join(options.workDir, 'redis.log'),
      });
      stopOnFailure.push(() => redis.stop());
      const stack = new N8nLocalStack(options, ca, postgres, redis);
      const database = required(stack.plainEnvironment('main'), 'DB_POSTGRESDB_DATABASE');
      await postgres.sql('postgres', `CREATE ROLE ${DB_USER} LOGIN PASSWORD '${DB_PASSWORD}'`);
      await postgres.sql('postgres', `CREATE DATABASE "${database}" OWNER ${DB_USER}`);
      return stack;
    } catch (error) {
      for (const stop of stopOnFailure.reverse()) await stop().catch(() => undefined);
      throw error;
    }
  }

  /** The container's variables that are plain strings in the template (for reading settings). */
  plainEnvironment(role: N8nRole): Record<string, string> {
    return Object.fromEntries(
      Object.entries(this.containers[role].environment).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
  }

  /** The full environment of one local n8n process in `role`, with its own ports and folder. */
  async environment(role: N8nRole, options: ProcessOptions = {}): Promise<Record<string, string>> {
    const container = this.containers[role];
    const httpPort = String(await freePort());
    const folder = path.join(this.options.workDir, `${role}-${this.folders.length + 1}`);
    fs.mkdirSync(folder, { recursive: true });
    this.folders.push(folder);
    const env = localEnvironment(container, {
      environment: {
        DB_POSTGRESDB_HOST: '127.0.0.1',
        DB_POSTGRESDB_PORT: String(this.postgres.port),
        QUEUE_BULL_REDIS_HOST: '127.0.0.1',
        QUEUE_BULL_REDIS_PORT: String(this.redis.port),
        // One host, several processes: each its own port (the template's is the task's 5678).
        N8N_PORT: httpPort,
        ...(role === 'worker' ? { QUEUE_HEALTH_CHECK_PORT: httpPort } : {}),
        ...UNUSED_BY_N8N,
      },
      secrets: {
        DB_POSTGRESDB_USER: DB_USER,
        DB_POSTGRESDB_PASSWORD: DB_PASSWORD,
        // As the RDS bundle is: several CAs in one PEM text, one of which signed the server.
        DB_POSTGRESDB_SSL_CA: options.databaseCaPem ?? `${this.ca.otherCa.pem}${this.ca.ca.pem}`,
        QUEUE_BULL_REDIS_PASSWORD: this.redis.password,
        // One key for every process, as the one secret is for every task.
        N8N_ENCRYPTION_KEY: this.encryptionKey,
      },
    });
    return withHostOnly(env, {
      // The n8nio/n8n image's own environment (its Dockerfile): without it n8n would run in the
      // test runner's NODE_ENV=test, where a worker returns instead of serving.
      NODE_ENV: 'production',
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: folder,
      N8N_USER_FOLDER: folder,
      // Loopback only: the task's network is private; this host's is not ours to open.
      ...(role === 'main' ? { N8N_LISTEN_ADDRESS: '127.0.0.1' } : { N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' }),
      // ElastiCache's certificate chains to a public root in Node's bundled store, which is all
      // QUEUE_BULL_REDIS_TLS=true trusts (n8n passes `tls: {}`); here the test's CA plays that root.
      // PostgreSQL is unaffected: with DB_POSTGRESDB_SSL_CA set, pg trusts that PEM alone.
      NODE_EXTRA_CA_CERTS: this.ca.ca.certFile,
    });
  }

  /** Starts `n8n <args>` as `role` would run (the container's command unless `args` is given). */
  async spawn(
    label: string,
    role: N8nRole,
    args?: readonly string[],
    options: ProcessOptions = {},
  ): Promise<N8nProcess> {
    const env = await this.environment(role, options);
    if (this.stopped) throw new Error(`Not starting ${label}: the stack has been stopped`);
    const command = args ?? this.containers[role].command;
    const child = new N8nProcess(
      label,
      this.options.node,
      [this.options.n8nBin, ...command],
      env,
      path.join(this.options.workDir, `${label}.log`),
      `http://127.0.0.1:${role === 'main' ? env.N8N_PORT : env.QUEUE_HEALTH_CHECK_PORT}`,
    );
    this.processes.push(child);
    return child;
  }

  /** A query on n8n's database, as the superuser (reads what n8n wrote). */
  async query<T extends object>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({
      host: '127.0.0.1',
      port: this.postgres.port,
      user: 'postgres',
      password: this.postgres.password,
      database: required(this.plainEnvironment('main'), 'DB_POSTGRESDB_DATABASE'),
    });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /**
   * Kills every n8n process still running, then Redis and PostgreSQL; never throws. The logs stay in
   * the work folder; the processes' folders go (the main process copies its 75 MB editor there).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.processes.map((p) => p.kill().catch(() => undefined)));
    await this.redis.stop().catch(() => undefined);
    await this.postgres.stop().catch(() => undefined);
    this.ca.remove();
    for (const folder of this.folders) fs.rmSync(folder, { recursive: true, force: true });
  }
}
