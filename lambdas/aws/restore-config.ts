import * as z from 'zod/mini';
import { readJsonVariable } from './json-variable';

/**
 * What the restore validation needs (RESTORE_CONFIG): the source database's credentials secret
 * (a restored instance keeps the credentials of its recovery point), the Odoo database's name
 * and the objectives.
 */
const RestoreConfigSchema = z.object({
  secretArn: z.string().check(z.startsWith('arn:')),
  databaseName: z.string().check(z.minLength(1)),
  objectives: z.object({ rpoMinutes: z.number(), rtoHours: z.number() }),
});

export type RestoreConfig = z.infer<typeof RestoreConfigSchema>;

export function readRestoreConfig(env: NodeJS.ProcessEnv = process.env): RestoreConfig {
  return readJsonVariable(env, 'RESTORE_CONFIG', RestoreConfigSchema);
}
