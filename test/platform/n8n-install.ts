import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { N8N_VERSION } from '../../lib/config/n8n';

/**
 * Where scripts/install-n8n.sh put n8n (the same rule: N8N_CACHE_DIR, else the XDG cache folder),
 * checked to be the version the platform deploys. Missing or another version is a failure that says
 * what to run, never a skip: a conformance test that can quietly not run proves nothing.
 */
export interface InstalledN8n {
  readonly version: string;
  /** n8n's CLI script, run with `node` (bin/n8n). */
  readonly bin: string;
}

export function installedN8n(): InstalledN8n {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = process.env.N8N_CACHE_DIR || path.join(cacheHome, 'influencegen', `n8n-${N8N_VERSION}`);
  const packageJson = path.join(dir, 'node_modules', 'n8n', 'package.json');
  const marker = path.join(dir, '.installed');
  const hint = `run scripts/install-n8n.sh (it installs n8n ${N8N_VERSION} into ${dir})`;
  if (!fs.existsSync(packageJson) || !fs.existsSync(marker)) {
    throw new Error(`n8n ${N8N_VERSION} is not installed: ${hint}`);
  }
  const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string };
  if (version !== N8N_VERSION || fs.readFileSync(marker, 'utf8').trim() !== N8N_VERSION) {
    throw new Error(`${dir} holds n8n ${version}, but the platform deploys ${N8N_VERSION}: ${hint}`);
  }
  return { version, bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

/** n8n runs on the Node of the test: Node 24, as CI runs it (.ci/run), never a machine's older default. */
export function requireNode24(): string {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 24) {
    throw new Error(
      `The n8n conformance test runs n8n on this Node (${process.version}); it must be Node 24`,
    );
  }
  return process.execPath;
}
