/**
 * Judges a schedule's executions: each tick (the instant the Schedule Trigger fired, which it puts in
 * its output as `timestamp`) must have been executed once, and consecutive ticks must be one
 * interval apart, so a doubled tick and a lost one are both visible.
 */
export interface TickExecution {
  readonly executionId: string;
  /** The trigger's ISO timestamp, e.g. 2026-12-03T15:38:46.001+00:00. */
  readonly tick: string;
  /** The process whose Code node printed it. */
  readonly process: string;
}

export interface TickReport {
  readonly ticks: number;
  /** Tick seconds (epoch) executed more than once, with the executions. */
  readonly doubled: Array<{ readonly second: number; readonly executions: string[] }>;
  /** Consecutive ticks further apart than one interval: ticks lost between them. */
  readonly gaps: Array<{ readonly after: string; readonly before: string; readonly seconds: number }>;
  readonly byProcess: Readonly<Record<string, number>>;
  readonly firstTick: string | undefined;
  readonly lastTick: string | undefined;
}

export function tickReport(executions: readonly TickExecution[], intervalSeconds: number): TickReport {
  // A cron tick fires at (or just after) its second; the floor is the second it was scheduled for.
  const second = (tick: string) => Math.floor(Date.parse(tick) / 1000);
  const sorted = [...executions].sort((a, b) => Date.parse(a.tick) - Date.parse(b.tick));
  const bySecond = new Map<number, string[]>();
  const byProcess: Record<string, number> = {};
  for (const e of sorted) {
    bySecond.set(second(e.tick), [...(bySecond.get(second(e.tick)) ?? []), e.executionId]);
    byProcess[e.process] = (byProcess[e.process] ?? 0) + 1;
  }
  const doubled = [...bySecond.entries()]
    .filter(([, ids]) => ids.length > 1)
    .map(([s, ids]) => ({ second: s, executions: ids }));
  const gaps: Array<{ after: string; before: string; seconds: number }> = [];
  for (let i = 1; i < sorted.length; i++) {
    const [previous, current] = [sorted[i - 1], sorted[i]] as [TickExecution, TickExecution];
    const seconds = second(current.tick) - second(previous.tick);
    if (seconds > intervalSeconds) gaps.push({ after: previous.tick, before: current.tick, seconds });
  }
  return {
    ticks: sorted.length,
    doubled,
    gaps,
    byProcess,
    firstTick: sorted[0]?.tick,
    lastTick: sorted.at(-1)?.tick,
  };
}
