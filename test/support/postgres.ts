import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

/**
 * A real PostgreSQL server for a test: Debian's postgresql (installed by .ci/run), a fresh cluster
 * in a temporary folder on a free loopback port, password authentication over TCP. As root, the
 * server runs as the `postgres` user the package creates (PostgreSQL refuses to run as root).
 */
export interface LocalPostgres {
  readonly port: number;
  readonly password: string;
  /** Runs SQL as the superuser in `database`. */
  sql(database: string, text: string): Promise<void>;
  stop(): Promise<void>;
}

function binDir(): string {
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    for (const v of versions)
      if (fs.existsSync(path.join(debian, v, 'bin', 'initdb'))) return path.join(debian, v, 'bin');
  }
  throw new Error(
    "PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian's postgresql (.ci/run does)",
  );
}

/** A TCP port free on 127.0.0.1 now (the caller binds it next; the race is a test's to accept). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface PostgresOptions {
  /** Extra server settings, each passed as `-c name=value` after the defaults below. */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * A file the server's standard error (its log, with the default log_destination=stderr) is
   * appended to; it outlives stop(), which removes the server's own folder.
   */
  readonly logFile?: string;
  /**
   * Serve TLS with this certificate and key (`ssl=on`), and accept password logins over it
   * (`hostssl` in pg_hba, ahead of initdb's own lines). Both files are copied into the server's
   * folder: PostgreSQL wants its key owned by the server's user and readable by no one else.
   */
  readonly ssl?: { readonly certFile: string; readonly keyFile: string };
}

export async function startPostgres(options: PostgresOptions = {}): Promise<LocalPostgres> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-'));
  const data = path.join(dir, 'data');
  const password = 'test-password';
  fs.writeFileSync(path.join(dir, 'pw'), password);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const run = (file: string, args: string[]) =>
    asRoot ? (['runuser', ['-u', 'postgres', '--', file, ...args]] as const) : ([file, args] as const);
  const [initCmd, initArgs] = run(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--pwfile',
    path.join(dir, 'pw'),
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  execFileSync(initCmd, [...initArgs], { stdio: 'ignore' });
  const sslSettings: Record<string, string> = {};
  if (options.ssl) {
    const certFile = path.join(dir, 'server.crt');
    const keyFile = path.join(dir, 'server.key');
    fs.copyFileSync(options.ssl.certFile, certFile);
    fs.copyFileSync(options.ssl.keyFile, keyFile);
    fs.chmodSync(keyFile, 0o600);
    if (asRoot) execFileSync('chown', ['postgres:postgres', certFile, keyFile]);
    const hba = path.join(data, 'pg_hba.conf');
    fs.writeFileSync(hba, `hostssl all all 127.0.0.1/32 scram-sha-256\n${fs.readFileSync(hba, 'utf8')}`);
    Object.assign(sslSettings, { ssl: 'on', ssl_cert_file: certFile, ssl_key_file: keyFile });
  }
  const port = await freePort();
  const [serverCmd, serverArgs] = run(path.join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    ...Object.entries(sslSettings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ]);
  const log = options.logFile === undefined ? 'ignore' : fs.openSync(options.logFile, 'a');
  const server: ChildProcess = spawn(serverCmd, [...serverArgs], { stdio: ['ignore', log, log] });
  if (typeof log === 'number') fs.closeSync(log);
  const connect = (database: string) =>
    new Client({ host: '127.0.0.1', port, user: 'postgres', password, database });
  for (let attempt = 0; ; attempt++) {
    const client = connect('postgres');
    try {
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    port,
    password,
    async sql(database, text) {
      const client = connect(database);
      await client.connect();
      try {
        await client.query(text);
      } finally {
        await client.end();
      }
    },
    async stop() {
      // pg_ctl, as the server's user: a signal to runuser does not reach the server.
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      const [stopCmd, stopArgs] = run(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w']);
      execFileSync(stopCmd, [...stopArgs], { stdio: 'ignore' });
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
