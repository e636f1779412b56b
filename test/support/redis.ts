import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './postgres';

/**
 * A real Redis server for a test: Debian's `redis-server` (installed by .ci/run) on a free loopback
 * port, with a password (`requirepass`, as ElastiCache's AUTH token) and, when given a certificate,
 * TLS only (`tls-port`, plain port 0): the transport n8n's queue uses in the deployed platform.
 * Nothing is persisted; the server's log is kept in `logFile` for a failing test to read.
 */
export interface LocalRedis {
  readonly port: number;
  readonly password: string;
  readonly tls: boolean;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface RedisOptions {
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile: string };
  /** Where the server's log goes (default: a file in a temporary folder removed by stop()). */
  readonly logFile?: string;
  readonly startTimeoutMs?: number;
}

const REDIS_SERVER = '/usr/bin/redis-server';

export async function startRedis(options: RedisOptions = {}): Promise<LocalRedis> {
  if (!fs.existsSync(REDIS_SERVER)) {
    throw new Error(`${REDIS_SERVER} not found: install Debian's redis-server (.ci/run does)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-'));
  const logFile = options.logFile ?? path.join(dir, 'redis.log');
  const port = await freePort();
  const password = `redis-${Math.random().toString(36).slice(2)}`;
  const transport = options.tls
    ? [
        ['port', '0'],
        ['tls-port', String(port)],
        ['tls-cert-file', options.tls.certFile],
        ['tls-key-file', options.tls.keyFile],
        ['tls-ca-cert-file', options.tls.caFile],
        // ElastiCache's in-transit encryption authenticates clients by AUTH token, not certificate.
        ['tls-auth-clients', 'no'],
      ]
    : [['port', String(port)]];
  const config = [
    ['bind', '127.0.0.1'],
    ...transport,
    ['requirepass', password],
    ['dir', dir],
    ['save', '""'],
    ['appendonly', 'no'],
    ['daemonize', 'no'],
    ['logfile', '""'],
  ]
    .map(([name, value]) => `${name} ${value}`)
    .join('\n');
  fs.writeFileSync(path.join(dir, 'redis.conf'), `${config}\n`);
  const log = fs.openSync(logFile, 'a');
  const server = spawn(REDIS_SERVER, [path.join(dir, 'redis.conf')], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));

  // Redis logs this line once it listens (on every port it was given); a config it cannot use
  // (e.g. a build without TLS) makes it exit instead, with the reason in the log.
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  for (;;) {
    const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    if (/Ready to accept connections/.test(text)) break;
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill('SIGKILL');
      throw new Error(`redis-server did not start on 127.0.0.1:${port}:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    password,
    tls: options.tls !== undefined,
    logFile,
    async stop() {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGTERM');
        const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
