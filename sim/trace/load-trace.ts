/**
 * Turns a CSV file into a demand trace for the simulator: one number per fixed step (60 s unless told).
 *
 * Two shapes of file are understood:
 * - counts per interval: `valueColumn` names a column holding requests, jobs or load per row; each
 *   step's demand is the sum of the values of the rows whose time falls in it;
 * - one row per request: no `valueColumn`; each step's demand is the number of rows in it.
 *
 * Rules:
 * - The first CSV record is the header. Column names are matched exactly after trimming spaces around
 *   them; cells are trimmed too. Rows whose cells are all empty (blank lines, `,,,`) are skipped.
 * - Row numbers in messages count data rows from 1 (the header is not a row); the line in parentheses
 *   is the line of the file where the row starts.
 * - Times (the time column): ISO 8601 extended format, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`,
 *   `YYYY-MM-DDTHH:MM:SS` and `YYYY-MM-DDTHH:MM:SS.sss` (a space may stand for the `T`), with an
 *   optional zone `Z`, `±HH:MM`, `±HHMM` or `±HH`; without a zone the time is UTC (never the local
 *   zone of the machine running the simulator). A plain non-negative number is a Unix epoch, decided
 *   by magnitude: below 1e11 it is seconds (1e11 s is the year 5138), from 1e11 up to 1e14 it is
 *   milliseconds (1e11 ms is 3 March 1973, so millisecond stamps before then are misread as seconds),
 *   from 1e14 up it is refused (microseconds and nanoseconds are not supported).
 * - Values must be plain non-negative decimal numbers (`12`, `0.5`, `1e3`); fractions are kept.
 * - Rows may come in any order. `from` / `to` (ISO 8601) keep the rows with from <= time < to.
 * - Steps: with `from`, the first step starts at `from`; otherwise at the first row's time rounded down
 *   to a multiple of `stepSeconds` since the epoch (whole minutes UTC for 60 s steps). With `to`, the
 *   last step is the one holding the instant just before `to`; otherwise the one holding the last row.
 *   Steps with no rows are 0. A value at an interval's start time lands whole in the step holding that
 *   time, so pick `stepSeconds` no smaller than the file's interval to avoid gaps between counts.
 * - A trace longer than MAX_TRACE_STEPS steps is refused (usually a stray or mis-scaled timestamp).
 */
import { readFileSync } from 'node:fs';
import { CsvError, parseCsv } from './csv';

export interface TraceOptions {
  readonly timeColumn: string;
  readonly valueColumn?: string;
  readonly stepSeconds?: number;
  readonly from?: string;
  readonly to?: string;
}

export interface Trace {
  /** Epoch seconds of the first step. */
  readonly start: number;
  readonly stepSeconds: number;
  /** Demand per step: the sum of the value column (or the count of rows) in each step; steps with no rows are 0. */
  readonly values: readonly number[];
  /** Number of data rows that went into the trace (after from/to filtering; skipped blank rows excluded). */
  readonly rows: number;
}

/** Anything wrong with a trace file or the options: the message names the file, column, row or value. */
export class TraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceError';
  }
}

export const DEFAULT_STEP_SECONDS = 60;
export const MAX_TRACE_STEPS = 1_000_000;

/** Epoch numbers at or above this are milliseconds; below it, seconds. */
const EPOCH_MILLIS_FROM = 1e11;
/** Epoch numbers at or above this are refused (microseconds, nanoseconds). */
const EPOCH_TOO_LARGE_FROM = 1e14;

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:\s*([Zz]|[+-]\d{2}(?::?\d{2})?))?)?$/;
const EPOCH_NUMBER = /^\d+(?:\.\d+)?$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const TIME_FORMATS = 'expected ISO 8601 (e.g. 2024-05-01T12:00:00Z), epoch seconds or epoch milliseconds';

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil; no Date quirks). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses an ISO 8601 date-time as described above into epoch seconds; undefined if it is not one. */
export function parseIso8601(text: string): number | undefined {
  const m = ISO_8601.exec(text);
  if (m === null) return undefined;
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = hs === undefined ? 0 : Number(hs);
  const minute = mis === undefined ? 0 : Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetSeconds = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetSeconds = (zone.startsWith('-') ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const fraction = frac === undefined ? 0 : Number(`0.${frac}`);
  return (
    daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second + fraction - offsetSeconds
  );
}

type TimeResult = { readonly seconds: number } | { readonly problem: string };

/** Parses a time cell (ISO 8601 or epoch seconds/milliseconds by magnitude) into epoch seconds. */
export function parseTime(text: string): TimeResult {
  if (EPOCH_NUMBER.test(text)) {
    const n = Number(text);
    if (n >= EPOCH_TOO_LARGE_FROM) {
      return {
        problem: 'epoch number too large (seconds and milliseconds are supported, not micro- or nanoseconds)',
      };
    }
    return { seconds: n >= EPOCH_MILLIS_FROM ? n / 1000 : n };
  }
  const iso = parseIso8601(text);
  return iso === undefined ? { problem: TIME_FORMATS } : { seconds: iso };
}

function isoText(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function quoteList(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.map((c) => JSON.stringify(c)).join(', ');
}

function columnIndex(header: readonly string[], name: string, role: string, source: string): number {
  const matches = header.flatMap((h, i) => (h === name ? [i] : []));
  if (matches.length === 0) {
    throw new TraceError(
      `${source}: ${role} column ${JSON.stringify(name)} not found; columns found: ${quoteList(header)}`,
    );
  }
  if (matches.length > 1) {
    throw new TraceError(
      `${source}: ${role} column ${JSON.stringify(name)} appears ${matches.length} times in the header (columns ${matches.map((i) => i + 1).join(' and ')})`,
    );
  }
  return matches[0] as number;
}

function parseBound(name: 'from' | 'to', text: string | undefined, source: string): number | undefined {
  if (text === undefined) return undefined;
  const seconds = parseIso8601(text.trim());
  if (seconds === undefined) {
    throw new TraceError(
      `${source}: ${name} ${JSON.stringify(text)} is not an ISO 8601 time (e.g. 2024-05-01T12:00:00Z)`,
    );
  }
  return seconds;
}

/** Parses trace CSV text. `source` names the input in error messages (the file name; 'trace' if absent). */
export function parseTrace(csvText: string, options: TraceOptions, source = 'trace'): Trace {
  const stepSeconds = options.stepSeconds ?? DEFAULT_STEP_SECONDS;
  if (typeof stepSeconds !== 'number' || !Number.isFinite(stepSeconds) || stepSeconds <= 0) {
    throw new TraceError(`${source}: step must be a number of seconds > 0, got ${String(stepSeconds)}`);
  }
  const timeColumn = options.timeColumn.trim();
  if (timeColumn === '') throw new TraceError(`${source}: the time column name is empty`);
  const valueColumn = options.valueColumn?.trim();
  if (valueColumn === '') throw new TraceError(`${source}: the value column name is empty`);
  if (valueColumn === timeColumn) {
    throw new TraceError(
      `${source}: the value column and the time column are both ${JSON.stringify(timeColumn)}`,
    );
  }
  const from = parseBound('from', options.from, source);
  const to = parseBound('to', options.to, source);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new TraceError(
      `${source}: from ${JSON.stringify(options.from)} is not before to ${JSON.stringify(options.to)}`,
    );
  }

  let records;
  try {
    records = parseCsv(csvText);
  } catch (err) {
    if (err instanceof CsvError) throw new TraceError(`${source}: malformed CSV: ${err.message}`);
    throw err;
  }
  const isBlank = (fields: readonly string[]): boolean => fields.every((f) => f.trim() === '');
  const headerAt = records.findIndex((r) => !isBlank(r.fields));
  const headerRecord = records[headerAt];
  if (headerRecord === undefined) throw new TraceError(`${source}: the file is empty (no header row)`);
  const header = headerRecord.fields.map((h) => h.trim());
  const timeIndex = columnIndex(header, timeColumn, 'time', source);
  const valueIndex = valueColumn === undefined ? -1 : columnIndex(header, valueColumn, 'value', source);

  const times: number[] = [];
  const amounts: number[] = [];
  const rowLabels: number[] = [];
  let dataRows = 0;
  let filteredOut = 0;
  let firstAt = Infinity;
  let lastAt = -Infinity;
  for (let r = headerAt + 1; r < records.length; r++) {
    const record = records[r] as (typeof records)[number];
    const row = r - headerAt;
    if (isBlank(record.fields)) continue;
    const where = (): string => `row ${row} (line ${record.line})`;
    dataRows += 1;

    const timeText = record.fields[timeIndex]?.trim() ?? '';
    if (timeText === '') {
      throw new TraceError(`${source}: ${where()}: time column ${JSON.stringify(timeColumn)} is empty`);
    }
    const time = parseTime(timeText);
    if ('problem' in time) {
      throw new TraceError(
        `${source}: ${where()}: cannot parse time ${JSON.stringify(timeText)} in column ${JSON.stringify(timeColumn)}: ${time.problem}`,
      );
    }

    let amount = 1;
    if (valueColumn !== undefined) {
      const valueText = record.fields[valueIndex]?.trim() ?? '';
      if (valueText === '') {
        throw new TraceError(`${source}: ${where()}: value column ${JSON.stringify(valueColumn)} is empty`);
      }
      amount = DECIMAL.test(valueText) ? Number(valueText) : NaN;
      if (!Number.isFinite(amount)) {
        throw new TraceError(
          `${source}: ${where()}: value ${JSON.stringify(valueText)} in column ${JSON.stringify(valueColumn)} is not a number`,
        );
      }
      if (amount < 0) {
        throw new TraceError(
          `${source}: ${where()}: value ${JSON.stringify(valueText)} in column ${JSON.stringify(valueColumn)} is negative`,
        );
      }
      if (amount === 0) amount = 0; // -0 -> 0
    }

    const t = time.seconds;
    if ((from !== undefined && t < from) || (to !== undefined && t >= to)) {
      filteredOut += 1;
      continue;
    }
    times.push(t);
    amounts.push(amount);
    rowLabels.push(row);
    if (t < firstAt) firstAt = t;
    if (t > lastAt) lastAt = t;
  }

  if (dataRows === 0) throw new TraceError(`${source}: the file has a header row but no data rows`);
  if (times.length === 0) {
    const window = `${from === undefined ? '' : `from ${options.from} `}${to === undefined ? '' : `to ${options.to}`}`;
    throw new TraceError(
      `${source}: no rows left after filtering ${window.trim()} (all ${filteredOut} rows fall outside)`,
    );
  }

  const start = from ?? Math.floor(firstAt / stepSeconds) * stepSeconds;
  const steps =
    to !== undefined ? Math.ceil((to - start) / stepSeconds) : Math.floor((lastAt - start) / stepSeconds) + 1;
  if (steps > MAX_TRACE_STEPS) {
    throw new TraceError(`${source}: ${tooLongMessage(steps, stepSeconds, times, rowLabels, from, to)}`);
  }

  const values = new Array<number>(steps).fill(0);
  for (let k = 0; k < times.length; k++) {
    // Clamped: with fractional steps, rounding may put an edge row a hair outside [start, start + steps * step).
    const index = Math.min(steps - 1, Math.max(0, Math.floor(((times[k] as number) - start) / stepSeconds)));
    values[index] = (values[index] as number) + (amounts[k] as number);
  }
  return { start, stepSeconds, values, rows: times.length };
}

function tooLongMessage(
  steps: number,
  stepSeconds: number,
  times: readonly number[],
  rowLabels: readonly number[],
  from: number | undefined,
  to: number | undefined,
): string {
  const head = `the trace would have ${steps.toLocaleString('en-US')} steps of ${stepSeconds} s, more than the limit of ${MAX_TRACE_STEPS.toLocaleString('en-US')}`;
  const order = times.map((_, k) => k).sort((a, b) => (times[a] as number) - (times[b] as number));
  let gap = -1;
  let before = 0;
  let after = 0;
  for (let k = 1; k < order.length; k++) {
    const d = (times[order[k] as number] as number) - (times[order[k - 1] as number] as number);
    if (d > gap) {
      gap = d;
      before = order[k - 1] as number;
      after = order[k] as number;
    }
  }
  const describe = (k: number): string => `row ${rowLabels[k]} (${isoText(times[k] as number)})`;
  const parts = [head];
  if (gap > 0) {
    parts.push(
      `the largest gap between rows, ${Math.round(gap / stepSeconds).toLocaleString('en-US')} steps, is from ${describe(before)} to ${describe(after)}`,
    );
  }
  if (from !== undefined || to !== undefined) {
    const first = order[0] as number;
    const last = order[order.length - 1] as number;
    parts.push(
      `the window runs from ${from === undefined ? describe(first) : isoText(from)} to ${to === undefined ? describe(last) : isoText(to)}`,
    );
  }
  return `${parts.join('; ')}; check for a stray or mis-scaled timestamp, or narrow from/to`;
}

/** Reads and parses a trace file; an unreadable file is a TraceError naming the file. */
export function loadTrace(file: string, options: TraceOptions): Trace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    // Structural, not `instanceof Error`: fs errors may come from another realm (e.g. under jest).
    const message: unknown =
      typeof err === 'object' && err !== null ? Reflect.get(err, 'message') : undefined;
    const reason = typeof message === 'string' ? message : String(err);
    throw new TraceError(`${file}: cannot read the trace file: ${reason}`);
  }
  return parseTrace(text, options, file);
}
