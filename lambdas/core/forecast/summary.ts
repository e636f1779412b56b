import type { DiskForecast, ForecastVerdict } from './types';

/** One disk's answer as the handler logs and publishes it. */
export interface DiskResult extends Partial<Omit<DiskForecast, 'verdict' | 'reason'>> {
  /** `database`, `gpu-host/<instance id>`, or `gpu-hosts` when the hosts could not even be listed. */
  readonly disk: string;
  /** A forecast's verdict, or READ_FAILED: CloudWatch could not be read for this disk. */
  readonly verdict: ForecastVerdict | 'READ_FAILED';
  readonly reason: string;
  /**
   * The disk must always be forecast (the database, always present): its NO_DATA or GAPS means
   * the forecast is blind, not that the disk is young. A GPU host's may just be new or gone.
   */
  readonly mustReport: boolean;
}

export interface ForecastSummary {
  /** Disks whose bound reaches full within the window: the alert's metric. */
  readonly predictedFull: number;
  /** Disks the run could not answer for: read failures, and blind must-report disks. */
  readonly notForecast: number;
}

const BLIND: ReadonlySet<DiskResult['verdict']> = new Set(['NO_DATA', 'GAPS']);

export function summarise(results: readonly DiskResult[]): ForecastSummary {
  return {
    predictedFull: results.filter((r) => r.verdict === 'WILL_FILL').length,
    notForecast: results.filter((r) => r.verdict === 'READ_FAILED' || (r.mustReport && BLIND.has(r.verdict)))
      .length,
  };
}

/** Whether the verdict says something about the disk (the per-disk 0/1 metric is published for it). */
export const hasVerdict = (verdict: DiskResult['verdict']): boolean =>
  verdict === 'WILL_FILL' || verdict === 'STEADY' || verdict === 'SHRINKING';
