import { z } from 'zod';

/**
 * The per-environment settings of the health probes (lib/config/probes.ts has the constants the
 * function reads): the fragment the lead adds to EnvironmentConfigSchema as `probes`. Its own
 * module so that zod stays out of the probe function's bundle.
 */
export const ProbesConfigSchema = z
  .object({
    /** Whether the three AZ probes run on their schedule (validation is always available). */
    scheduled: z.boolean(),
    /** Minutes between two probes of one AZ; the quorum and SLO alarms read one-minute periods. */
    everyMinutes: z.literal(1),
  })
  .strict();
export type ProbesConfig = z.infer<typeof ProbesConfigSchema>;

/**
 * Every environment probes: the SLO alarms and the quorum need the datapoints, and the probes are
 * cheap (3 x 1,440 invocations a day of under a second each).
 */
export const PROBES_DEFAULTS: Readonly<Record<'prod' | 'staging' | 'dev', ProbesConfig>> = {
  prod: { scheduled: true, everyMinutes: 1 },
  staging: { scheduled: true, everyMinutes: 1 },
  dev: { scheduled: true, everyMinutes: 1 },
};
