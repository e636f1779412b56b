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

/**
 * How the workflow's restore test of the filestore (EFS) reaches a restored file system, and how
 * long each step may wait. A Lambda function mounts EFS only through an access point fixed in its
 * configuration, so the workflow creates mount targets and an access point on the restored copy,
 * points the one validation function at it, invokes it, and removes them again. The waits add up to
 * less than the claim, so a test still running never loses the function to the next one.
 */
export const FILESTORE_RESTORE_TEST = {
  /** Where the validation function sees the restored file system (Lambda mounts under /mnt). */
  localMountPath: '/mnt/filestore',
  /**
   * The access point's root: the restored file system's own root. A full restore to a new file
   * system puts the restored tree in `aws-backup-restore_<datetime>/` off the root, so an access point
   * rooted at the live one's path (`/odoo`) would find nothing; the validation looks for the Odoo
   * directory inside the recovery directory (core/backup/filestore-validation.ts).
   */
  accessPointRoot: '/',
  /** Tags the access points the workflow creates; its IAM policy may delete only those. */
  accessPointTagKey: 'influencegen:restore-validation',
  /** How long one test holds the validation function; an execution that died loses it after this. */
  claimMinutes: 30,
  /** A second test waits this long between attempts to take the function... */
  claimRetrySeconds: 120,
  /** ...for at most as long as a claim can last, then gives up (TIMED_OUT, escalated). */
  claimWaitMinutes: 35,
  /** Polls of a mount target, the access point and the function's update, this far apart. */
  pollSeconds: 10,
  /** Mount targets usually take about 90 s: 8 minutes. */
  mountTargetPolls: 48,
  /** Access points are usually available at once: 3 minutes. */
  accessPointPolls: 18,
  /** A VPC function's configuration update takes a minute or two: 5 minutes. */
  functionUpdatePolls: 30,
} as const;

/**
 * The restore test's settings as the workflow reads them: where the mount targets go, whom the
 * access point acts as, how the workflow tags what it creates, and the timings above.
 */
export function filestoreRestoreSettings(where: {
  subnetIds: string[];
  securityGroupId: string;
  posixUser: { uid: number; gid: number };
  environment: string;
}) {
  const { accessPointTagKey, ...timings } = FILESTORE_RESTORE_TEST;
  return {
    subnetIds: where.subnetIds,
    securityGroupId: where.securityGroupId,
    posixUser: where.posixUser,
    accessPointTag: { key: accessPointTagKey, value: where.environment },
    ...timings,
  };
}
