import type { EnvironmentConfig } from './schema';

/**
 * Odoo's prefork server sized from its Fargate task, after Odoo's deployment guide ("Worker number
 * calculation" and "Memory size calculation"):
 * - HTTP workers: 2 x vCPU + 1 (the guide's rule of thumb: one core serves about 6 concurrent users
 *   through two workers), but no more than the memory holds at the floor below;
 * - cron: `maxCronThreads` processes (config), and one gevent process serving `/websocket`;
 * - memory limits: each worker's hard limit is an equal share of 90 % of the task's memory across
 *   every process, capped at Odoo's defaults (soft 2048 MiB, hard 2560 MiB); soft is 80 % of hard.
 *   A worker below MIN_HARD_LIMIT_MIB (Odoo's historical default, 768 MiB) recycles on ordinary
 *   requests, so the worker count yields to memory, never the limit.
 * Odoo's limits are virtual memory (RLIMIT_AS) per worker; the gevent and master processes carry none.
 */
export const ODOO_MEMORY_SHARE = 0.9;
export const MIN_HARD_LIMIT_MIB = 768;
const ODOO_DEFAULT_SOFT_MIB = 2048;
const ODOO_DEFAULT_HARD_MIB = 2560;

export interface OdooProcessSizing {
  readonly vcpus: number;
  readonly workers: number;
  readonly maxCronThreads: number;
  readonly limitMemorySoftMiB: number;
  readonly limitMemoryHardMiB: number;
  /** Pool of each worker, cron and master process (db_maxconn). */
  readonly dbMaxConn: number;
  /** Pool of the gevent process (db_maxconn_gevent). */
  readonly dbMaxConnGevent: number;
  /** The most connections one task can hold: (workers + cron + master) x db_maxconn + gevent's. */
  readonly connectionsPerTask: number;
}

export function odooProcessSizing(odoo: EnvironmentConfig['odoo']): OdooProcessSizing {
  const vcpus = odoo.cpu / 1024;
  const usableMiB = Math.floor(odoo.memoryMiB * ODOO_MEMORY_SHARE);
  const byCpu = 2 * Math.ceil(vcpus) + 1;
  // Every process (workers, cron, gevent) at the minimum hard limit must fit in the usable memory.
  const byMemory = Math.floor(usableMiB / MIN_HARD_LIMIT_MIB) - odoo.maxCronThreads - 1;
  const workers = Math.min(byCpu, byMemory);
  const processes = Math.max(workers, 0) + odoo.maxCronThreads + 1;
  const limitMemoryHardMiB = Math.min(ODOO_DEFAULT_HARD_MIB, Math.floor(usableMiB / processes));
  const limitMemorySoftMiB = Math.min(ODOO_DEFAULT_SOFT_MIB, Math.floor(limitMemoryHardMiB * 0.8));
  return {
    vcpus,
    workers,
    maxCronThreads: odoo.maxCronThreads,
    limitMemorySoftMiB,
    limitMemoryHardMiB,
    dbMaxConn: odoo.dbMaxConnPerProcess,
    dbMaxConnGevent: odoo.dbMaxConnGevent,
    connectionsPerTask:
      (Math.max(workers, 0) + odoo.maxCronThreads + 1) * odoo.dbMaxConnPerProcess + odoo.dbMaxConnGevent,
  };
}
