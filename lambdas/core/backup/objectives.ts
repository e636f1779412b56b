import type { ResourceId, ResourceObjective } from './types';

/** The environment's backup settings the objectives come from (lib/config backup). */
export interface ObjectiveSettings {
  readonly rpoMinutes: number;
  readonly alertAfterMinutes: number;
  readonly filestoreBackupEveryMinutes: number;
}

/**
 * Each protected resource's recovery point objective and alert threshold. The database (point-in-time
 * recovery) and the images (S3 continuous backup) meet seed 003's RPO. The filestore is on EFS,
 * which AWS Backup backs up at most hourly: its objective is its schedule's interval, and its alert
 * threshold keeps the margin the others have between objective and alert (seed 004's 60 minutes
 * against the 15-minute RPO), so an ordinary gap between two hourly backups is not flagged as a
 * breach while a missed hourly backup still is.
 */
export function resourceObjectives(
  settings: ObjectiveSettings,
): Readonly<Record<ResourceId, ResourceObjective>> {
  const margin = settings.alertAfterMinutes - settings.rpoMinutes;
  const continuous = { objectiveMinutes: settings.rpoMinutes, alertAfterMinutes: settings.alertAfterMinutes };
  return {
    database: continuous,
    images: continuous,
    filestore: {
      objectiveMinutes: settings.filestoreBackupEveryMinutes,
      alertAfterMinutes: settings.filestoreBackupEveryMinutes + margin,
    },
  };
}
