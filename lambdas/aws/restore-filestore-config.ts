import * as z from 'zod/mini';
import { readJsonVariable } from './json-variable';

/**
 * What the filestore's restore validation needs (FILESTORE_RESTORE_CONFIG): where Lambda mounts the
 * restored file system (the workflow sets the same path in the function's FileSystemConfigs), the
 * Odoo database the marker must name, the filestore's objective and the RTO.
 */
const positive = z.number().check(z.positive());
const FilestoreRestoreConfigSchema = z.object({
  mountPath: z.string().check(z.startsWith('/mnt/')),
  database: z.string().check(z.minLength(1)),
  objectiveMinutes: positive,
  rtoHours: positive,
});

export type FilestoreRestoreConfig = z.infer<typeof FilestoreRestoreConfigSchema>;

export function readFilestoreRestoreConfig(env: NodeJS.ProcessEnv = process.env): FilestoreRestoreConfig {
  return readJsonVariable(env, 'FILESTORE_RESTORE_CONFIG', FilestoreRestoreConfigSchema);
}
