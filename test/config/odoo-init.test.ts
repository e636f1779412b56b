import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FILESTORE_MARKER_FILE } from '../../lib/config/filestore';
import {
  INIT_PROGRAM,
  ODOO_ADMIN_PASSWORD_ENV,
  odooInitCommand,
  shellQuote,
  type OdooInitOptions,
} from '../../lib/config/odoo-init';
import { startPostgres, type LocalPostgres } from '../support/postgres';

/**
 * The init task's command. Odoo cannot run here (no Odoo image, no Odoo Python package), so the
 * script runs for real in bash with stand-ins for the image's `odoo` and `python3` on PATH
 * (test/fixtures/odoo-init): they record their arguments and act on a real PostgreSQL server the
 * way the real ones would for what the script asks (tables that say initialised, modules marked
 * installed, the recorded image). What this proves is the script's control flow, quoting and
 * secrets handling; the Python program itself is only parsed (with this machine's python3), and its
 * calls into Odoo 18 were checked by reading Odoo's source, not by running it.
 */
const STUBS = path.join(__dirname, '..', 'fixtures', 'odoo-init', 'bin');
const ADMIN_PASSWORD = 'sentinel-admin-password-7f3a';
const DB_PASSWORD = "db pass with 'quote' and $dollar";
const MODULES = ['base', 'web', 'mail', 'contacts', 'payment', 'influencegen_signals'];

const options = (over: Partial<OdooInitOptions> = {}): OdooInitOptions => ({
  database: 'odoo',
  modules: MODULES,
  adminLogin: 'admin@influencegen.example.com',
  image: 'odoo:18.0-20260723',
  dbMaxConn: 8,
  addonsPath: '/mnt/extra-addons,/tmp/influencegen-addons',
  ...over,
});

describe('the init command as built', () => {
  const [shell, flags, script, name, ...rest] = odooInitCommand(options());

  test('bash runs one script that stops at the first failure', () => {
    expect([shell, flags, name, rest]).toEqual(['bash', '-ceu', 'odoo-init', []]);
    expect(script).toMatch(/^set -o pipefail\n/);
  });

  test('the configuration carries TLS, the pool size, the data dir and the addons path', () => {
    for (const line of [
      "printf 'db_sslmode = require\\n'",
      "printf 'db_maxconn = %s\\n' '8'",
      "printf 'data_dir = %s\\n' '/var/lib/odoo'",
      "printf 'addons_path = %s\\n' '/mnt/extra-addons,/tmp/influencegen-addons'",
      "printf 'list_db = False\\n'",
      "printf 'without_demo = all\\n'",
    ]) {
      expect(script).toContain(line);
    }
    expect(script).toContain("modules=('base' 'web' 'mail' 'contacts' 'payment' 'influencegen_signals')");
    expect(script).toContain("admin_login='admin@influencegen.example.com'");
  });

  test('no password is in the command: the database one is read from PASSWORD, the admin one from the environment', () => {
    expect(script).not.toMatch(/--db_password|-w /);
    expect(script).toContain(`"\${${ODOO_ADMIN_PASSWORD_ENV}:?}"`);
    expect(INIT_PROGRAM).toContain(`os.environ.get("${ODOO_ADMIN_PASSWORD_ENV}"`);
    // Odoo's default password is refused, in the script and in the program.
    expect(script).toContain(`if [ "$${ODOO_ADMIN_PASSWORD_ENV}" = admin ]; then`);
    expect(INIT_PROGRAM).toContain("password == 'admin'");
    // The only login handed to Odoo is the configured one.
    expect(INIT_PROGRAM).toContain(
      "_initialize_db(None, database, False, 'en_US', password, login, None, None)",
    );
  });

  test('the Python program is valid Python 3', () => {
    const parsed = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
      input: INIT_PROGRAM,
    });
    expect(parsed.stderr.toString()).toBe('');
    expect(parsed.status).toBe(0);
  });

  test('bad configuration is refused at synth', () => {
    expect(() => odooInitCommand(options({ modules: ['web; rm -rf /'] }))).toThrow(/is not a module name/);
    expect(() => odooInitCommand(options({ modules: [] }))).toThrow(/no module/);
    expect(() => odooInitCommand(options({ adminLogin: 'admin' }))).toThrow(/must be an email address/);
    expect(() => odooInitCommand(options({ database: 'Odoo' }))).toThrow(/is not a database name/);
    expect(() => odooInitCommand(options({ image: 'odoo\nrm -rf /' }))).toThrow(/one non-empty line/);
  });

  test('shellQuote keeps every character literal', () => {
    const text = `it's $HOME and \`date\` "x"`;
    expect(execFileSync('bash', ['-c', `printf %s ${shellQuote(text)}`]).toString()).toBe(text);
  });
});

interface StubCall {
  readonly tool: 'odoo' | 'python3';
  readonly argv: string[];
  readonly conf: string;
  readonly adminPasswordInEnv: boolean;
}

describe('the init script run for real (stand-ins for odoo and python3, a real PostgreSQL)', () => {
  let pg: LocalPostgres;
  let work: string;
  let dataDir: string;

  beforeAll(async () => {
    for (const stub of ['odoo', 'python3']) fs.chmodSync(path.join(STUBS, stub), 0o755);
    pg = await startPostgres();
    await pg.sql('postgres', "CREATE ROLE odoo LOGIN PASSWORD 'x'");
    await pg.sql('postgres', `ALTER ROLE odoo PASSWORD '${DB_PASSWORD.replaceAll("'", "''")}'`);
    await pg.sql('postgres', 'CREATE DATABASE odoo OWNER odoo');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'odoo-init-'));
    dataDir = path.join(work, 'var-lib-odoo');
    fs.mkdirSync(dataDir);
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  function run(over: Partial<OdooInitOptions> = {}, env: Record<string, string> = {}) {
    const log = path.join(work, `calls-${Date.now()}-${Math.random()}.jsonl`);
    fs.writeFileSync(log, '');
    const [shell, ...args] = odooInitCommand(options({ dataDir, ...over }));
    const result = spawnSync(shell as string, args, {
      env: {
        PATH: `${STUBS}:${process.env.PATH}`,
        HOST: '127.0.0.1',
        PORT: String(pg.port),
        USER: 'odoo',
        PASSWORD: DB_PASSWORD,
        [ODOO_ADMIN_PASSWORD_ENV]: ADMIN_PASSWORD,
        ODOO_INIT_STUB_LOG: log,
        ...env,
      },
      encoding: 'utf8',
      // No standard input, as in ECS (a socket on stdin makes bash read bashrc, taking it for rsh).
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const calls = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as StubCall);
    // What each call did, in order: `python3 state`, `odoo -i web,mail`, ...
    const steps = calls.map((c) =>
      c.tool === 'python3' ? `python3 ${c.argv.slice(4).join(' ')}` : `odoo ${c.argv.slice(6).join(' ')}`,
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, steps };
  }

  const markerPath = () => path.join(dataDir, FILESTORE_MARKER_FILE);
  const query = async (sql: string) => {
    const { Client } = await import('pg');
    const c = new Client({
      host: '127.0.0.1',
      port: pg.port,
      user: 'postgres',
      password: pg.password,
      database: 'odoo',
    });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };

  test('the first run initialises with the configured admin, installs the other modules and writes the marker', async () => {
    const first = run();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.steps).toEqual([
      'python3 state',
      'python3 initialise admin@influencegen.example.com',
      'python3 installed',
      'python3 recorded-image',
      // base came with the initialisation; never installed twice.
      'odoo -i web,mail,contacts,payment,influencegen_signals',
      'python3 admin admin@influencegen.example.com',
      'python3 record-image odoo:18.0-20260723',
    ]);
    const odoo = first.calls.find((c) => c.tool === 'odoo');
    expect(odoo?.argv.slice(0, 6)).toEqual([
      '-c',
      expect.stringMatching(/odoo\.conf$/),
      '-d',
      'odoo',
      '--no-http',
      '--stop-after-init',
    ]);
    // Odoo and the program read the database settings from the private configuration file.
    expect(odoo?.conf).toBe(
      [
        '[options]',
        'db_host = 127.0.0.1',
        `db_port = ${pg.port}`,
        'db_user = odoo',
        `db_password = ${DB_PASSWORD}`,
        'db_sslmode = require',
        'db_maxconn = 8',
        `data_dir = ${dataDir}`,
        'addons_path = /mnt/extra-addons,/tmp/influencegen-addons',
        'list_db = False',
        'without_demo = all',
        '',
      ].join('\n'),
    );
    // No password on any command line; the program found the admin's in its environment.
    for (const call of first.calls) {
      expect(call.argv.join(' ')).not.toContain(ADMIN_PASSWORD);
      expect(call.argv.join(' ')).not.toContain(DB_PASSWORD);
    }
    expect(first.calls.filter((c) => c.tool === 'python3').every((c) => c.adminPasswordInEnv)).toBe(true);
    expect(await query("SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name")).toEqual(
      ['base', 'contacts', 'influencegen_signals', 'mail', 'payment', 'web'].map((name) => ({ name })),
    );
    expect(await query('SELECT login, password FROM res_users')).toEqual([
      { login: 'admin@influencegen.example.com', password: ADMIN_PASSWORD },
    ]);
    const marker = JSON.parse(fs.readFileSync(markerPath(), 'utf8')) as {
      database: string;
      writtenAt: string;
    };
    expect(marker.database).toBe('odoo');
    expect(Math.abs(Date.parse(marker.writtenAt) - Date.now())).toBeLessThan(60_000);
    expect(first.stdout).toContain(`odoo-init: wrote ${markerPath()}`);
    // The temporary configuration (it holds the database password) is gone.
    const confFile = odoo?.argv[1] ?? '';
    expect(fs.existsSync(confFile)).toBe(false);
  });

  test('a second run initialises, installs and records nothing, and leaves the marker alone', async () => {
    const before = fs.readFileSync(markerPath(), 'utf8');
    const mtime = fs.statSync(markerPath()).mtimeMs;
    const second = run();
    expect(second.status).toBe(0);
    expect(second.steps).toEqual([
      'python3 state',
      'python3 installed',
      'python3 recorded-image',
      'python3 admin admin@influencegen.example.com',
    ]);
    expect(second.stdout).toContain('odoo-init: admin unchanged');
    expect(fs.readFileSync(markerPath(), 'utf8')).toBe(before);
    expect(fs.statSync(markerPath()).mtimeMs).toBe(mtime);
  });

  test('a module added to the list is the only one installed', () => {
    const third = run({ modules: [...MODULES, 'crm'] });
    expect(third.status).toBe(0);
    expect(third.steps.filter((s) => s.startsWith('odoo'))).toEqual(['odoo -i crm']);
  });

  test('a failed upgrade stops the run and records nothing, so the next run upgrades again', async () => {
    const failed = run({ image: 'odoo:18.0-20260801' }, { ODOO_INIT_STUB_FAIL: 'odoo' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('odoo stub: failing as asked');
    expect(failed.steps.at(-1)).toBe('odoo -u base,web,mail,contacts,payment,influencegen_signals');
    expect(
      await query("SELECT value FROM ir_config_parameter WHERE key = 'influencegen.init.image'"),
    ).toEqual([{ value: 'odoo:18.0-20260723' }]);
  });

  test('a new image updates the configured modules once, then records the image', () => {
    const upgraded = run({ image: 'odoo:18.0-20260801' });
    expect(upgraded.status).toBe(0);
    expect(upgraded.steps).toEqual([
      'python3 state',
      'python3 installed',
      'python3 recorded-image',
      'odoo -u base,web,mail,contacts,payment,influencegen_signals',
      'python3 admin admin@influencegen.example.com',
      'python3 record-image odoo:18.0-20260801',
    ]);
    expect(run({ image: 'odoo:18.0-20260801' }).steps.filter((s) => s.startsWith('odoo'))).toEqual([]);
  });

  test('new shipped addons (same image) update the configured modules too', () => {
    const upgraded = run({ image: 'odoo:18.0-20260801', addonsDigest: 'sha256-1f2e' });
    expect(upgraded.status).toBe(0);
    expect(upgraded.steps.slice(3)).toEqual([
      'odoo -u base,web,mail,contacts,payment,influencegen_signals',
      'python3 admin admin@influencegen.example.com',
      'python3 record-image odoo:18.0-20260801 addons:sha256-1f2e',
    ]);
  });

  test('a changed admin password in the secret is written on the next run', async () => {
    const changed = run(
      { image: 'odoo:18.0-20260801' },
      { [ODOO_ADMIN_PASSWORD_ENV]: 'a-new-admin-password' },
    );
    expect(changed.status).toBe(0);
    expect(changed.stdout).toContain('odoo-init: admin updated');
    expect(await query('SELECT password FROM res_users')).toEqual([{ password: 'a-new-admin-password' }]);
  });

  test('a failing preamble (the shipped addons not unpacked) stops the script before anything runs', () => {
    const failed = run({ preamble: 'echo "cannot unpack" >&2; false' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('cannot unpack');
    expect(failed.steps).toEqual([]);
  });

  test("Odoo's default password, or none, stops the script before anything runs", () => {
    for (const password of ['admin', '']) {
      const refused = run({}, { [ODOO_ADMIN_PASSWORD_ENV]: password });
      expect(refused.status).not.toBe(0);
      expect(refused.steps).toEqual([]);
    }
  });
});
