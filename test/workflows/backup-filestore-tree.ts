import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FILESTORE_HEARTBEAT_FILE,
  FILESTORE_MARKER_FILE,
  FILESTORE_ROOT_DIRECTORY,
} from '../../lib/config/filestore';

/**
 * A restored EFS file system as a local directory tree, for the filestore restore validation to
 * read: what AWS Backup's full restore to a new file system leaves (the source's tree in
 * `aws-backup-restore_<datetime>/`), with Odoo's data directory, the init task's marker, the
 * heartbeat (its modification time set with fs.utimes) and an attachment.
 */
export interface FilestoreTreeOptions {
  /** The heartbeat's modification time; null: no heartbeat file. */
  readonly heartbeatAt: Date | null;
  /** The marker's text; null: no marker; default: a good one for database `odoo`. */
  readonly marker?: string | null;
  /** Where the Odoo directory is: AWS Backup's recovery directory (default), the root, or nowhere (empty). */
  readonly layout?: 'recovery-directory' | 'root' | 'empty';
}

export const GOOD_MARKER = JSON.stringify({ database: 'odoo', writtenAt: '2026-01-05T09:00:00.000Z' });

/** A fresh tree under the OS temp dir; `remove` deletes it. */
export function filestoreTree(options: FilestoreTreeOptions): { readonly root: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restored-filestore-'));
  const layout = options.layout ?? 'recovery-directory';
  if (layout !== 'empty') {
    const base = layout === 'root' ? root : path.join(root, 'aws-backup-restore_2026-11-23T05-10-00-000Z');
    const dataDir = path.join(base, FILESTORE_ROOT_DIRECTORY);
    const attachment = path.join(
      dataDir,
      'filestore',
      'odoo',
      '3f',
      '3f786850e387550fdab836ed7e6dc881de23001b',
    );
    fs.mkdirSync(path.dirname(attachment), { recursive: true });
    fs.writeFileSync(attachment, 'an invoice PDF');
    fs.mkdirSync(path.join(dataDir, 'sessions'), { recursive: true });
    const marker = options.marker === undefined ? GOOD_MARKER : options.marker;
    fs.mkdirSync(path.join(dataDir, path.dirname(FILESTORE_MARKER_FILE)), { recursive: true });
    if (marker !== null) fs.writeFileSync(path.join(dataDir, FILESTORE_MARKER_FILE), marker);
    if (options.heartbeatAt) {
      const heartbeat = path.join(dataDir, FILESTORE_HEARTBEAT_FILE);
      fs.writeFileSync(heartbeat, options.heartbeatAt.toISOString());
      fs.utimesSync(heartbeat, options.heartbeatAt, options.heartbeatAt);
    }
  }
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
