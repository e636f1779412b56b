import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { FILESTORE_HEARTBEAT_FILE, FILESTORE_MARKER_FILE } from '../../lib/config/filestore';
import { dataDirCandidates, type RestoredFilestore } from '../core/backup/filestore-validation';

/** The marker is a few dozen bytes; anything this large is not the init task's. */
const MARKER_MAX_BYTES = 64 * 1024;

/**
 * Reads what the restore test judges from a restored file system mounted at `mountPath` (through
 * the access point the workflow created, rooted at the restored root): where Odoo's data directory
 * is, the init task's marker and the heartbeat's modification time. Read-only; only these two files
 * are opened, never the filestore's attachments. A missing file is an answer; any other error (a
 * permission denied, an I/O error) is thrown for the handler to report.
 */
export async function readRestoredFilestore(mountPath: string): Promise<RestoredFilestore> {
  const topLevel = (await fs.readdir(mountPath)).sort();
  for (const candidate of dataDirCandidates(topLevel)) {
    const dir = path.join(mountPath, candidate);
    if (!(await isDirectory(dir))) continue;
    return {
      dataDir: candidate,
      topLevel,
      marker: await readMarker(path.join(dir, FILESTORE_MARKER_FILE)),
      heartbeatAt: (await statOrNull(path.join(dir, FILESTORE_HEARTBEAT_FILE)))?.mtime ?? null,
    };
  }
  return { dataDir: null, topLevel, marker: { state: 'missing' }, heartbeatAt: null };
}

async function readMarker(file: string): Promise<RestoredFilestore['marker']> {
  const stat = await statOrNull(file);
  if (!stat) return { state: 'missing' };
  if (!stat.isFile()) return { state: 'unreadable', reason: 'not a regular file' };
  if (stat.size > MARKER_MAX_BYTES)
    return { state: 'unreadable', reason: `${stat.size} bytes, larger than a marker can be` };
  return { state: 'present', text: await fs.readFile(file, 'utf8') };
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await statOrNull(dir))?.isDirectory() ?? false;
}

async function statOrNull(file: string): Promise<import('node:fs').Stats | null> {
  try {
    return await fs.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}
