import { FILESTORE_MARKER_FILE, ODOO_DATA_DIR } from './filestore';

/**
 * The command of the one-off Odoo init task (run by OdooInitRun before the service starts, and again
 * when the image or the module list changes). Pure: no CDK, no AWS. In the official image it runs
 * as the container's command in place of `odoo`, so the image's entrypoint does not add the
 * db_host/db_user/... options (it does for `odoo` only, 18.0/entrypoint.sh): this command reads
 * HOST, PORT, USER and PASSWORD itself, the variables the service's task gets.
 *
 * What it does, in order, each step only when needed:
 * 1. initialise the database if it is not (no ir_module_module table): Odoo 18 has no CLI command
 *    that initialises a database with a chosen admin login and password (odoo/cli/db.py: "Doesn't
 *    provide a `create` command"), so a small Python program calls odoo.service.db._initialize_db,
 *    which installs `base` and then writes the admin's login and password in the same process;
 *    that function logs and swallows every exception, so the program checks afterwards that base is
 *    installed and that the admin's login and password are the configured ones, and fails if not;
 * 2. when the code differs from the code recorded in the database (ir_config_parameter
 *    ODOO_INIT_IMAGE_PARAMETER: the image, and the digest of the addons the project ships when
 *    given) and the database was not just initialised: `odoo -u` of the configured modules that
 *    are installed. A floating tag (`odoo:18.0`) does not change when its content does: pin a
 *    release tag or a digest for upgrades to be noticed;
 * 3. `odoo -i` of the configured modules that are not installed (never of installed ones);
 * 4. the admin's login and password: checked, and written only if they differ (a run after a
 *    change of the secret, or after an initialisation that stopped half-way);
 * 5. records the code, after everything above succeeded (a failed run is retried in full);
 * 6. writes the filestore marker (lib/config/filestore.ts) if it is absent, never again.
 * A second run with the same code and modules reads the database and changes nothing.
 *
 * The default password window: `_initialize_db` commits base's data, which includes the admin
 * user with login `admin` and password `admin`, and only then, in a second transaction a moment
 * later, writes the configured login and password. Between those two commits the database holds
 * admin/admin. No Odoo server serves the database then: this process starts none, and the service
 * starts only after this task has exited 0. If the process dies inside that window, the next run
 * finds the database initialised and step 4 replaces the default login and password.
 *
 * Secrets stay off every command line: the database password goes into a private, temporary Odoo
 * configuration file (mode 600, removed on exit) that both `odoo` and the program read, and the
 * admin's password is read from the environment (ODOO_ADMIN_PASSWORD_ENV, injected by ECS).
 */
export const ODOO_ADMIN_PASSWORD_ENV = 'ODOO_ADMIN_PASSWORD';
/** Where the init task records the code (image, addons) it last initialised or upgraded the database with. */
export const ODOO_INIT_IMAGE_PARAMETER = 'influencegen.init.image';

export interface OdooInitOptions {
  readonly database: string;
  /** Modules to install, in order (config.env.odoo.modules). */
  readonly modules: readonly string[];
  /** The administrator's login (config.env.odoo.adminLogin); never `admin`. */
  readonly adminLogin: string;
  /** The image the task runs (config.env.odoo.image): a change triggers `-u` of the modules. */
  readonly image: string;
  /** A digest of the addons shipped beside the image (lib/constructs/workloads/odoo-addons.ts): a change triggers `-u` too. */
  readonly addonsDigest?: string;
  /** db_maxconn of the init process (the service's per-process pool). */
  readonly dbMaxConn: number;
  /** Odoo's addons_path, as the service's. */
  readonly addonsPath: string;
  /** Odoo's data_dir, where the filestore is mounted (default ODOO_DATA_DIR). */
  readonly dataDir?: string;
  /** Shell run first, e.g. unpacking the addons the project ships; it must stop on failure. */
  readonly preamble?: string;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/** Single-quoted for bash: nothing inside is expanded. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export function odooInitCommand(options: OdooInitOptions): string[] {
  const { database, modules, adminLogin, image, dbMaxConn, addonsPath } = options;
  const dataDir = options.dataDir ?? ODOO_DATA_DIR;
  if (!NAME.test(database)) throw new Error(`odoo init: ${JSON.stringify(database)} is not a database name`);
  if (modules.length === 0) throw new Error('odoo init: no module to install');
  for (const m of modules)
    if (!NAME.test(m)) throw new Error(`odoo init: ${JSON.stringify(m)} is not a module name`);
  if (!adminLogin.includes('@') || adminLogin.trim() !== adminLogin) {
    throw new Error(`odoo init: the admin login must be an email address, not ${JSON.stringify(adminLogin)}`);
  }
  if (!Number.isInteger(dbMaxConn) || dbMaxConn < 2)
    throw new Error('odoo init: db_maxconn must be an integer >= 2');
  for (const [what, value] of [
    ['image', image],
    ['addons digest', options.addonsDigest ?? '-'],
    ['addons path', addonsPath],
    ['data dir', dataDir],
  ] as const) {
    if (value === '' || /[\n\r]/.test(value))
      throw new Error(`odoo init: the ${what} must be one non-empty line`);
  }

  const q = shellQuote;
  const marker = `${dataDir.replace(/\/+$/, '')}/${FILESTORE_MARKER_FILE}`;
  const script = [
    'set -o pipefail',
    `: "\${HOST:?}" "\${PORT:?}" "\${USER:?}" "\${PASSWORD:?}" "\${${ODOO_ADMIN_PASSWORD_ENV}:?}"`,
    `if [ "$${ODOO_ADMIN_PASSWORD_ENV}" = admin ]; then`,
    `  echo "odoo-init: refusing Odoo's default admin password" >&2; exit 1`,
    'fi',
    ...(options.preamble ? [options.preamble] : []),
    'workdir="$(mktemp -d)"',
    `trap 'rm -rf "$workdir"' EXIT`,
    'conf="$workdir/odoo.conf"',
    '(',
    '  umask 077',
    "  printf '[options]\\n'",
    '  printf \'db_host = %s\\n\' "$HOST"',
    '  printf \'db_port = %s\\n\' "$PORT"',
    '  printf \'db_user = %s\\n\' "$USER"',
    '  printf \'db_password = %s\\n\' "$PASSWORD"',
    "  printf 'db_sslmode = require\\n'",
    `  printf 'db_maxconn = %s\\n' ${q(String(dbMaxConn))}`,
    `  printf 'data_dir = %s\\n' ${q(dataDir)}`,
    `  printf 'addons_path = %s\\n' ${q(addonsPath)}`,
    "  printf 'list_db = False\\n'",
    "  printf 'without_demo = all\\n'",
    ') > "$conf"',
    `database=${q(database)}`,
    `admin_login=${q(adminLogin)}`,
    `code=${q(options.addonsDigest ? `${image} addons:${options.addonsDigest}` : image)}`,
    `modules=(${modules.map(q).join(' ')})`,
    `program=${q(INIT_PROGRAM)}`,
    // Answers come on file descriptor 3, so that nothing Odoo prints can be taken for one.
    'init_py() { python3 -c "$program" "$conf" "$database" "$@"; }',
    'ask_py() { init_py "$@" 3>&1 1>&2; }',
    'run_odoo() { odoo -c "$conf" -d "$database" --no-http --stop-after-init "$@"; }',
    'join() { local IFS=,; echo "$*"; }',
    '',
    'fresh=""',
    'state="$(ask_py state)"',
    'if [ "$state" = uninitialised ]; then',
    '  echo "odoo-init: initialising database $database"',
    '  init_py initialise "$admin_login"',
    '  fresh=yes',
    'fi',
    'installed=" $(ask_py installed) "',
    'present=(); missing=()',
    'for m in "${modules[@]}"; do',
    '  case "$installed" in *" $m "*) present+=("$m") ;; *) missing+=("$m") ;; esac',
    'done',
    'recorded="$(ask_py recorded-image)"',
    'if [ -z "$fresh" ] && [ "$recorded" != "$code" ] && [ ${#present[@]} -gt 0 ]; then',
    '  echo "odoo-init: code changed (${recorded:-none recorded} -> $code): updating $(join "${present[@]}")"',
    '  run_odoo -u "$(join "${present[@]}")"',
    'fi',
    'if [ ${#missing[@]} -gt 0 ]; then',
    '  echo "odoo-init: installing $(join "${missing[@]}")"',
    '  run_odoo -i "$(join "${missing[@]}")"',
    'fi',
    'init_py admin "$admin_login"',
    'if [ "$recorded" != "$code" ]; then init_py record-image "$code"; fi',
    `marker=${q(marker)}`,
    'if [ ! -e "$marker" ]; then',
    '  mkdir -p "$(dirname "$marker")"',
    '  printf \'{"database":"%s","writtenAt":"%s"}\\n\' "$database" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$marker.$$"',
    '  mv -n "$marker.$$" "$marker"; rm -f "$marker.$$"',
    '  echo "odoo-init: wrote $marker"',
    'fi',
    'echo "odoo-init: done"',
  ].join('\n');
  return ['bash', '-ceu', script, 'odoo-init'];
}

/**
 * Run with the image's python3, which imports the Odoo it ships. Arguments: the configuration file,
 * the database, a command and its arguments. The three questions (state, installed, recorded-image)
 * answer on file descriptor 3, which the script captures; everything else is log. Any failure is a
 * non-zero exit, which stops the script.
 */
export const INIT_PROGRAM = `
import os
import sys
from contextlib import closing

import odoo
from odoo.tools import config

conf, database, command, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
config.parse_config(['-c', conf])
IMAGE_KEY = ${JSON.stringify(ODOO_INIT_IMAGE_PARAMETER)}


def answer(text):
    os.write(3, (text + '\\n').encode())


def cursor():
    return closing(odoo.sql_db.db_connect(database).cursor())


def initialised(cr):
    cr.execute("SELECT to_regclass('public.ir_module_module') IS NOT NULL")
    return cr.fetchone()[0]


def environment(work):
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        result = work(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}))
        cr.commit()
    return result


def admin_matches(env, login, password):
    admin = env.ref('base.user_admin')
    env.cr.execute('SELECT COALESCE(password, %s) FROM res_users WHERE id = %s', ('', admin.id))
    hashed = env.cr.fetchone()[0]
    try:
        verified = bool(hashed) and env['res.users']._crypt_context().verify(password, hashed)
    except ValueError:
        verified = False
    return admin, admin.login == login and verified


def admin_password():
    password = os.environ.get(${JSON.stringify(ODOO_ADMIN_PASSWORD_ENV)}, '')
    if not password or password == 'admin':
        sys.exit('odoo-init: ${ODOO_ADMIN_PASSWORD_ENV} is empty or the default')
    return password


if command == 'state':
    with cursor() as cr:
        answer('initialised' if initialised(cr) else 'uninitialised')

elif command == 'installed':
    with cursor() as cr:
        cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name")
        answer(' '.join(name for (name,) in cr.fetchall()))

elif command == 'recorded-image':
    with cursor() as cr:
        cr.execute("SELECT to_regclass('public.ir_config_parameter') IS NOT NULL")
        row = None
        if cr.fetchone()[0]:
            cr.execute('SELECT value FROM ir_config_parameter WHERE key = %s', (IMAGE_KEY,))
            row = cr.fetchone()
        answer(row[0] if row else '')

elif command == 'record-image':
    environment(lambda env: env['ir.config_parameter'].set_param(IMAGE_KEY, args[0]))

elif command == 'initialise':
    login, password = args[0], admin_password()
    with cursor() as cr:
        if initialised(cr):
            sys.exit('odoo-init: database %s is already initialised' % database)
        # As Odoo does when it creates a database itself (_create_empty_database): trigram indexes.
        try:
            cr.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
            cr.commit()
        except Exception as error:
            cr.rollback()
            print('odoo-init: pg_trgm not created: %s' % error, file=sys.stderr)
    odoo.service.db._initialize_db(None, database, False, 'en_US', password, login, None, None)
    # _initialize_db logs and swallows its errors: check what it should have done.
    with cursor() as cr:
        if not initialised(cr):
            sys.exit('odoo-init: initialisation failed (see the log above)')
        cr.execute("SELECT state FROM ir_module_module WHERE name = 'base'")
        row = cr.fetchone()
        if not row or row[0] != 'installed':
            sys.exit('odoo-init: base is not installed after initialisation (see the log above)')
    if not environment(lambda env: admin_matches(env, login, password)[1]):
        sys.exit('odoo-init: the admin login or password was not set (see the log above)')
    print('odoo-init: initialised %s with base' % database)

elif command == 'admin':
    login, password = args[0], admin_password()

    def ensure(env):
        admin, matches = admin_matches(env, login, password)
        if matches:
            return 'unchanged'
        admin.write({'login': login, 'email': login, 'password': password})
        return 'updated'

    print('odoo-init: admin %s' % environment(ensure))

else:
    sys.exit('odoo-init: unknown command %s' % command)
`;
