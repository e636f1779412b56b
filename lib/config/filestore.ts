/**
 * The Odoo filestore on Amazon EFS: where it is mounted, and the two files the restore test reads.
 * Shared by the workloads (which write them), the init task and the restore validation (which reads
 * them on a restored file system), so the names live here, free of any CDK or AWS import.
 */

/** Odoo's data_dir in the official image: filestore/<db>/ (attachments, assets) and sessions/. */
export const ODOO_DATA_DIR = '/var/lib/odoo';

/** The access point's root on the file system; every task sees it as ODOO_DATA_DIR. */
export const FILESTORE_ROOT_DIRECTORY = '/odoo';

/**
 * Written once by the Odoo init task (lib/config/odoo-init.ts), relative to the data dir: JSON
 * `{"database": ..., "writtenAt": ISO-8601}`. A restored file system without it is not Odoo's.
 */
export const FILESTORE_MARKER_FILE = '.influencegen/restore-marker.json';

/**
 * Rewritten every HEARTBEAT_EVERY_SECONDS by a sidecar in every Odoo task, relative to the data dir:
 * the newest file on the file system even when nobody uses Odoo, so a restored copy's freshness can
 * be judged against its recovery point without depending on user traffic.
 */
export const FILESTORE_HEARTBEAT_FILE = '.influencegen/heartbeat';
export const FILESTORE_HEARTBEAT_EVERY_SECONDS = 60;
