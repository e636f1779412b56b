/**
 * Clock time on the report's time axes. A trace with dates carries `start` (epoch seconds, UTC,
 * of its minute 0) and is labelled in UTC; one without starts at 00:00 of day 1. Runs longer
 * than a day add the day to each label ("Mon 06:00" with dates, "day 2 06:00" without).
 */

const MINUTES_PER_DAY = 1440;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** What a run's time axis needs: its length in minutes and, when the trace has dates, its start. */
export interface RunClock {
  readonly minutes: number;
  readonly start?: number;
}

/** A run's clock from its per-minute load and, when the trace has dates, its start. */
export const runClock = (run: { readonly load: readonly unknown[]; readonly start?: number }): RunClock => ({
  minutes: run.load.length,
  ...(run.start !== undefined ? { start: run.start } : {}),
});

/** Candidate spacings of the time axis's ticks, in minutes: ones a reader counts in. */
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440, 2880, 10080];

const two = (n: number) => String(n).padStart(2, '0');

/** Minutes from 00:00 UTC of the epoch (with dates) or of day 1 (without) to minute `minute`. */
const absoluteMinute = (clock: RunClock, minute: number) =>
  (clock.start === undefined ? 0 : clock.start / 60) + minute;

/** The label of a time `minute` minutes into the run: "09:00", or "Mon 09:00" / "day 2 09:00". */
export function clockLabel(clock: RunClock, minute: number): string {
  const absolute = Math.floor(absoluteMinute(clock, minute) + 1e-9);
  const ofDay = ((absolute % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  // A dateless day ends at 24:00, not at 00:00 of a day the run does not have.
  const endOfDateless =
    clock.start === undefined && absolute === MINUTES_PER_DAY && clock.minutes <= MINUTES_PER_DAY;
  const hhmm = endOfDateless ? '24:00' : `${two(Math.floor(ofDay / 60))}:${two(ofDay % 60)}`;
  if (clock.minutes <= MINUTES_PER_DAY) return hhmm;
  const day = Math.floor(absolute / MINUTES_PER_DAY);
  return clock.start === undefined ? `day ${day + 1} ${hhmm}` : `${WEEKDAYS[(day + 4) % 7]} ${hhmm}`;
}

/** The label of a time `seconds` into the run (a timeline event's time). */
export const clockLabelAtSeconds = (clock: RunClock, seconds: number) => clockLabel(clock, seconds / 60);

/** How long a tick label is at most, in characters, for the run's labels. */
const labelLength = (clock: RunClock) =>
  clock.minutes <= MINUTES_PER_DAY ? 5 : clock.start === undefined ? 11 : 9;

/**
 * The minutes of the run at which the time axis is labelled: on whole clock times (09:00, not
 * 09:17 when the trace starts at 09:17), as close together as `width` pixels leave room for.
 */
export function clockTicks(clock: RunClock, width: number): number[] {
  const room = labelLength(clock) * 6 + 16;
  const maxTicks = Math.max(2, Math.min(13, Math.floor(width / room)));
  const step = TICK_STEPS.find((s) => clock.minutes / s <= maxTicks) ?? clock.minutes;
  const offset = absoluteMinute(clock, 0) % step;
  const first = offset === 0 ? 0 : step - offset;
  const ticks: number[] = [];
  for (let m = first; m <= clock.minutes + 1e-9; m += step) ticks.push(m);
  return ticks;
}

/** The time axis's title: UTC from the trace's first date, or where the dateless clock starts. */
export function timeAxisTitle(clock: RunClock): string {
  if (clock.start === undefined) return 'time (the trace has no dates: minute 0 is 00:00 of day 1)';
  const date = new Date(clock.start * 1000).toISOString().slice(0, 10);
  const weekday = WEEKDAYS[new Date(clock.start * 1000).getUTCDay()];
  return `time (UTC), from ${weekday} ${date}`;
}
