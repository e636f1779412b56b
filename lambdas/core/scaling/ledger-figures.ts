import { TIME_TO_SCALE_KPI_SECONDS } from '../../../lib/config/constants';

export interface LedgerFigures {
  readonly decisions: number;
  readonly holds: number;
  readonly actions: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Seed 001's scaling event success rate: succeeded / finished actions. */
  readonly successRate: number | null;
  readonly timeToScaleP50Seconds: number | null;
  readonly timeToScaleP95Seconds: number | null;
  /** Share of successful actions within the 5-minute KPI. */
  readonly withinKpi: number | null;
}

interface Entry {
  readonly outcome: 'hold' | 'in-progress' | 'succeeded' | 'failed';
  readonly timeToScaleSeconds?: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function ledgerFigures(entries: readonly Entry[]): LedgerFigures {
  const actions = entries.filter((e) => e.outcome !== 'hold');
  const succeeded = actions.filter((e) => e.outcome === 'succeeded');
  const failed = actions.filter((e) => e.outcome === 'failed');
  const times = succeeded
    .map((e) => e.timeToScaleSeconds)
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  const finished = succeeded.length + failed.length;
  return {
    decisions: entries.length,
    holds: entries.length - actions.length,
    actions: actions.length,
    succeeded: succeeded.length,
    failed: failed.length,
    successRate: finished > 0 ? succeeded.length / finished : null,
    timeToScaleP50Seconds: percentile(times, 50),
    timeToScaleP95Seconds: percentile(times, 95),
    withinKpi:
      times.length > 0 ? times.filter((t) => t < TIME_TO_SCALE_KPI_SECONDS).length / times.length : null,
  };
}
