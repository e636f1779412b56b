import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { PROJECT_ROOT } from '../bundling';

/**
 * The Odoo addons this project ships (platform/odoo/addons/<name>/) reach the stock `odoo:18.0`
 * image without building an image of our own: each is packed at synth into a small, deterministic
 * tar.gz carried base64 in the task definition's environment, and the container's command unpacks
 * it into SHIPPED_ADDONS_DIR before Odoo starts (odooCommandWithAddons). A change to an addon
 * changes the task definition, so the fleet rolls and the init task updates the module.
 */
export const SHIPPED_ADDONS_DIR = '/tmp/influencegen-addons';
export const SHIPPED_ADDONS_ENV = 'INFLUENCEGEN_ADDONS_TGZ';
/** The image's own addons folder (its odoo.conf's addons_path); Odoo's core addons are always found. */
const IMAGE_ADDONS_PATH = '/mnt/extra-addons';
/** ECS refuses task definitions above 64 KiB; the addons must leave room for everything else. */
export const MAX_SHIPPED_ADDONS_BASE64_BYTES = 16 * 1024;

export const ADDONS_SOURCE_DIR = path.join(PROJECT_ROOT, 'platform', 'odoo', 'addons');

/** Files under `dir`, relative, sorted, skipping Python caches (the archive must not depend on a local run). */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === '__pycache__' || entry.name.endsWith('.pyc')) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** One POSIX ustar header block (512 bytes): fixed owner, mode and time, so the bytes are reproducible. */
function tarHeader(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`addon file path too long for a tar header: ${name}`);
  const header = Buffer.alloc(512, 0);
  const put = (value: string, offset: number, length: number) => header.write(value, offset, length, 'ascii');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0') + '\0';
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put('        ', 148, 8); // checksum placeholder: spaces while summing
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(octal(sum, 7) + ' ', 148, 8);
  return header;
}

/** A gzip'd tar of the named addons (or all of them), byte-for-byte the same for the same sources. */
export function packAddons(names?: readonly string[], sourceDir = ADDONS_SOURCE_DIR): Buffer {
  const addons =
    names ??
    fs
      .readdirSync(sourceDir)
      .filter((n) => fs.statSync(path.join(sourceDir, n)).isDirectory())
      .sort();
  const blocks: Buffer[] = [];
  for (const addon of addons) {
    const root = path.join(sourceDir, addon);
    if (!fs.existsSync(path.join(root, '__manifest__.py')))
      throw new Error(`${root} is not an Odoo addon (no __manifest__.py)`);
    for (const rel of listFiles(root)) {
      const content = fs.readFileSync(path.join(root, rel));
      blocks.push(tarHeader(`${addon}/${rel}`, content.length), content);
      const pad = (512 - (content.length % 512)) % 512;
      if (pad) blocks.push(Buffer.alloc(pad, 0));
    }
  }
  blocks.push(Buffer.alloc(1024, 0));
  // gzip's header carries no name or time here (Node writes mtime 0), so the output is deterministic.
  return zlib.gzipSync(Buffer.concat(blocks), { level: 9 });
}

export function shippedAddonsEnvironment(names?: readonly string[]): Record<string, string> {
  const encoded = packAddons(names).toString('base64');
  if (encoded.length > MAX_SHIPPED_ADDONS_BASE64_BYTES) {
    throw new Error(
      `the shipped Odoo addons take ${encoded.length} bytes base64, above ${MAX_SHIPPED_ADDONS_BASE64_BYTES}: keep them small or ship them another way`,
    );
  }
  return { [SHIPPED_ADDONS_ENV]: encoded };
}

/** The addons_path Odoo runs with: the image's own folder, then the shipped addons. */
export const ODOO_ADDONS_PATH = `${IMAGE_ADDONS_PATH},${SHIPPED_ADDONS_DIR}`;

/** Shell that unpacks the shipped addons; a corrupt archive stops the container before Odoo starts. */
export const UNPACK_SHIPPED_ADDONS = `mkdir -p ${SHIPPED_ADDONS_DIR} && printf '%s' "$${SHIPPED_ADDONS_ENV}" | base64 -d | tar -xz -C ${SHIPPED_ADDONS_DIR}`;

/**
 * The container command: unpack, then hand over to the image's entrypoint with `odoo` and the
 * arguments, so the entrypoint still waits for PostgreSQL and adds the db_host/db_user/... options.
 */
export function odooCommandWithAddons(odooArgs: readonly string[]): string[] {
  return ['bash', '-ceu', `${UNPACK_SHIPPED_ADDONS} && exec /entrypoint.sh odoo "$@"`, 'odoo', ...odooArgs];
}
