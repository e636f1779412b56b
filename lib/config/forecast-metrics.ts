/**
 * The disk forecast's own metrics (lambdas/disk-forecast publishes them, the catalogue alarm
 * Odoo_Server_Disk_Space_Free_Predictive and the forecast construct's alarm read them). Plain
 * literals, free of zod, so the function's bundle can import them.
 */
export const FORECAST_NAMESPACE = 'InfluenceGen/Forecast';

/** The one dimension of the per-disk metrics: `database`, or `gpu-host/<instance id>`. */
export const FORECAST_DISK_DIMENSION = 'Disk';

export const FORECAST_METRICS = {
  /** Per run, no dimension: how many disks the forecast says fill within the window. The alert's metric. */
  predictedFull: 'DisksPredictedFull',
  /**
   * Per run, no dimension: disks the run could not forecast because reading them failed or a disk
   * that must report (the database) had no data. Young GPU hosts (too little history) are not counted.
   */
  notForecast: 'DisksNotForecast',
  /** 1 per completed run, no dimension: its absence is the forecast's own heartbeat alarm. */
  runs: 'ForecastRuns',
  /** Per disk: 1 when the disk fills within the window, else 0; absent when no verdict was reached. */
  diskPredictedFull: 'PredictedFullWithinWindow',
  /** Per disk, WILL_FILL only: days until the bad-side bound reaches the threshold. */
  daysUntilFull: 'DaysUntilFull',
} as const;

/** The key of the database disk's result and its dimension value. */
export const DATABASE_DISK = 'database';
/** A GPU host's disk key: one per instance, as the agent's InstanceId dimension names it. */
export const gpuHostDisk = (instanceId: string): string => `gpu-host/${instanceId}`;

/** Enhanced Monitoring's log group (RDS creates it; one stream per instance): the database's allocated size. */
export const RDS_OS_METRICS_LOG_GROUP = 'RDSOSMetrics';

/**
 * How far back the forecast looks for the database's latest Enhanced Monitoring line (its allocated
 * size): 15 minutes is fifteen of the data stack's 60-second Enhanced Monitoring intervals, and a
 * line older than that no longer says the size after a storage-autoscaling step.
 */
export const OS_METRICS_LOOKBACK_MINUTES = 15;
