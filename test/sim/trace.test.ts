import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvError, parseCsv } from '../../sim/trace/csv';
import {
  MAX_TRACE_STEPS,
  TraceError,
  loadTrace,
  parseIso8601,
  parseTime,
  parseTrace,
  type TraceOptions,
} from '../../sim/trace/load-trace';

const FIXTURES = join(__dirname, '..', 'fixtures', 'traces');
/** 2024-05-01T12:00:00Z */
const NOON = 1714564800;

const fields = (text: string): string[][] => parseCsv(text).map((r) => [...r.fields]);

/** The TraceError thrown by parseTrace (fails the test if it returns or throws something else). */
function traceError(csv: string, options: TraceOptions, source?: string): TraceError {
  try {
    parseTrace(csv, options, source);
  } catch (err) {
    expect(err).toBeInstanceOf(TraceError);
    return err as TraceError;
  }
  throw new Error('parseTrace did not throw');
}

describe('parseCsv (RFC 4180)', () => {
  test('splits records and fields', () => {
    expect(fields('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  test('quoted fields keep commas, doubled quotes and line breaks; line numbers follow the text', () => {
    const records = parseCsv('id,note\n1,"a, b"\n2,"say ""hi"""\n3,"two\r\nlines"\n4,""\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['id', 'note'],
      ['1', 'a, b'],
      ['2', 'say "hi"'],
      ['3', 'two\r\nlines'],
      ['4', ''],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6]);
  });

  test('CRLF, LF and lone CR all end a record; a final line break adds no record', () => {
    expect(fields('a,b\r\n1,2\r\n3,4\n5,6\r7,8\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
      ['7', '8'],
    ]);
    expect(fields('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  test('empty fields, a trailing comma and blank lines', () => {
    expect(fields('a,,c,\n\n"x",')).toEqual([['a', '', 'c', ''], [''], ['x', '']]);
  });

  test('drops a UTF-8 byte-order mark and keeps a bare quote inside an unquoted field', () => {
    expect(fields('\uFEFFsize,label\n5,5" screen\n')).toEqual([
      ['size', 'label'],
      ['5', '5" screen'],
    ]);
  });

  test('empty text has no records', () => {
    expect(parseCsv('')).toEqual([]);
  });

  test('an unterminated quoted field is an error naming the line it opened on', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(
      new CsvError('unterminated quoted field starting on line 2', 2),
    );
  });

  test('text after a closing quote is an error naming the line', () => {
    let caught: unknown;
    try {
      parseCsv('a,b\n1,2\n"x"y,3\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CsvError);
    expect((caught as CsvError).line).toBe(3);
    expect((caught as CsvError).message).toMatch(/unexpected character "y" after a closing quote on line 3/);
  });
});

describe('parseTime and parseIso8601', () => {
  test.each([
    ['2024-05-01T12:00:00Z', NOON],
    ['2024-05-01t12:00:00z', NOON],
    ['2024-05-01T12:00:00', NOON], // no zone = UTC
    ['2024-05-01 12:00:00', NOON],
    ['2024-05-01T12:00', NOON],
    ['2024-05-01T14:00:00+02:00', NOON],
    ['2024-05-01T06:30:00-0530', NOON],
    ['2024-05-01T17:00:00+05', NOON],
    ['2024-05-01T12:00:00 Z', NOON],
    ['2024-05-01T12:00:00.250Z', NOON + 0.25],
    ['2024-05-01T12:00:00,5', NOON + 0.5],
    ['2024-05-01', NOON - 12 * 3600],
    ['1970-01-01T00:00:00Z', 0],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29) / 1000],
    ['0050-01-01T00:00:00Z', Date.parse('0050-01-01T00:00:00Z') / 1000],
  ])('ISO 8601 %s', (text, expected) => {
    expect(parseIso8601(text)).toBeCloseTo(expected, 6);
    expect(parseTime(text)).toEqual({ seconds: parseIso8601(text) });
  });

  test.each([
    '2023-02-29T00:00:00Z',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-05-01T24:00:00Z',
    '2024-05-01T12:60:00Z',
    '2024-05-01T12:00:60Z',
    '2024-05-01T12:00:00+24:00',
    '2024-05-01Z',
    '20240501T120000Z',
    '2024-5-1',
    'May 1, 2024',
    'yesterday',
  ])('not ISO 8601: %s', (text) => {
    expect(parseIso8601(text)).toBeUndefined();
    expect(parseTime(text)).toEqual({ problem: expect.stringMatching(/expected ISO 8601/) });
  });

  test('epoch numbers below 1e11 are seconds, from 1e11 milliseconds', () => {
    expect(parseTime(String(NOON))).toEqual({ seconds: NOON });
    expect(parseTime(`${NOON}.5`)).toEqual({ seconds: NOON + 0.5 });
    expect(parseTime(String(NOON * 1000))).toEqual({ seconds: NOON });
    expect(parseTime(String(NOON * 1000 + 250))).toEqual({ seconds: NOON + 0.25 });
    expect(parseTime('99999999999')).toEqual({ seconds: 99999999999 });
    expect(parseTime('100000000000')).toEqual({ seconds: 100000000 });
    expect(parseTime('0')).toEqual({ seconds: 0 });
  });

  test('epoch numbers from 1e14 (micro- or nanoseconds) and signed numbers are refused', () => {
    expect(parseTime(String(NOON * 1_000_000))).toEqual({ problem: expect.stringMatching(/too large/) });
    expect(parseTime('-5')).toEqual({ problem: expect.stringMatching(/expected ISO 8601/) });
    expect(parseTime('1.7e9')).toEqual({ problem: expect.stringMatching(/expected ISO 8601/) });
  });
});

describe('parseTrace', () => {
  test('counts per interval: the value column is summed per 60 s step, unsorted rows, empty steps 0', () => {
    const trace = loadTrace(join(FIXTURES, 'counts-per-minute.csv'), {
      timeColumn: 'timestamp',
      valueColumn: 'requests',
    });
    // 12:00:00 (5) + 12:00:30 (2.5) | 12:01:00 (0) | 12:02:10 (7) | nothing | 12:04:59 (1)
    expect(trace).toEqual({ start: NOON, stepSeconds: 60, values: [7.5, 0, 7, 0, 1], rows: 5 });
  });

  test('one row per request: rows are counted; quoted fields with commas, quotes and line breaks', () => {
    const trace = loadTrace(join(FIXTURES, 'one-row-per-request.csv'), { timeColumn: 'time' });
    // Epoch milliseconds: 12:00:05, 12:00:01, 12:02:05.5, 12:00:59.999.
    expect(trace).toEqual({ start: NOON, stepSeconds: 60, values: [3, 0, 1], rows: 4 });
  });

  test('a quoted column name with a comma and a quote in it is found', () => {
    const csv = 'when,"count, ""approx"""\n2024-05-01T12:00:00Z,3\n2024-05-01T12:01:00Z,4\n';
    expect(parseTrace(csv, { timeColumn: 'when', valueColumn: 'count, "approx"' }).values).toEqual([3, 4]);
  });

  test('the same instants as epoch seconds, epoch milliseconds and ISO 8601 give the same trace', () => {
    const at = [NOON + 5, NOON + 65, NOON + 190];
    const iso = at.map((t) => new Date(t * 1000).toISOString());
    const offset = ['2024-05-01T14:00:05+02:00', '2024-05-01T12:01:05', '2024-05-01T07:03:10-05:00'];
    const csv = (cells: readonly (string | number)[]): string =>
      ['t,n', ...cells.map((c, k) => `${c},${k + 1}`)].join('\n');
    const expected = { start: NOON, stepSeconds: 60, values: [1, 2, 0, 3], rows: 3 };
    for (const cells of [at, at.map((t) => t * 1000), iso, offset]) {
      expect(parseTrace(csv(cells), { timeColumn: 't', valueColumn: 'n' })).toEqual(expected);
    }
  });

  test('CRLF line endings, a byte-order mark, spaces around names and cells, blank rows skipped', () => {
    const csv = '\uFEFF time , load \r\n\r\n 1714564800 , 2 \r\n,\r\n1714564920,1.5\r\n\r\n';
    expect(parseTrace(csv, { timeColumn: 'time', valueColumn: 'load' })).toEqual({
      start: NOON,
      stepSeconds: 60,
      values: [2, 0, 1.5],
      rows: 2,
    });
  });

  test('steps start on a multiple of the step since the epoch; other step lengths', () => {
    const csv = 't\n1714564870\n1714565100\n1714565399\n1714565400\n';
    expect(parseTrace(csv, { timeColumn: 't', stepSeconds: 300 })).toEqual({
      start: NOON,
      stepSeconds: 300,
      values: [1, 2, 1],
      rows: 4,
    });
    expect(parseTrace(csv, { timeColumn: 't' })).toMatchObject({ start: NOON + 60 });
  });

  test('values may be fractional, zero or in exponent notation', () => {
    const csv = 't,v\n0,1e3\n1,0.25\n2,0\n3,+.75\n';
    expect(parseTrace(csv, { timeColumn: 't', valueColumn: 'v' }).values).toEqual([1001]);
  });

  describe('from / to', () => {
    // Rows at 12:00:30, 12:01:00, 12:02:00, 12:03:00, 12:05:00 with values 1, 2, 4, 8, 16.
    const csv =
      't,v\n2024-05-01T12:03:00Z,8\n2024-05-01T12:00:30Z,1\n2024-05-01T12:05:00Z,16\n2024-05-01T12:01:00Z,2\n2024-05-01T12:02:00Z,4\n';
    const opts = { timeColumn: 't', valueColumn: 'v' };

    test('keep from <= time < to; the trace covers the whole window', () => {
      const trace = parseTrace(csv, { ...opts, from: '2024-05-01T12:01:00Z', to: '2024-05-01T12:07:00Z' });
      expect(trace).toEqual({ start: NOON + 60, stepSeconds: 60, values: [2, 4, 8, 0, 16, 0], rows: 4 });
    });

    test('a row exactly at to is left out', () => {
      const trace = parseTrace(csv, { ...opts, from: '2024-05-01T12:00:00Z', to: '2024-05-01T12:03:00Z' });
      expect(trace).toEqual({ start: NOON, stepSeconds: 60, values: [1, 2, 4], rows: 3 });
    });

    test('from alone starts the trace at from; to alone ends it before to', () => {
      expect(parseTrace(csv, { ...opts, from: '2024-05-01T11:58:00Z' })).toEqual({
        start: NOON - 120,
        stepSeconds: 60,
        values: [0, 0, 1, 2, 4, 8, 0, 16],
        rows: 5,
      });
      expect(parseTrace(csv, { ...opts, to: '2024-05-01T12:02:30' })).toEqual({
        start: NOON,
        stepSeconds: 60,
        values: [1, 2, 4],
        rows: 3,
      });
    });

    test('from/to with a zone offset and date-only bounds', () => {
      expect(parseTrace(csv, { ...opts, from: '2024-05-01T14:02:00+02:00' }).values).toEqual([4, 8, 0, 16]);
      expect(parseTrace(csv, { ...opts, from: '2024-05-01', to: '2024-05-02' }).values).toHaveLength(1440);
    });
  });

  test('exactly MAX_TRACE_STEPS steps is allowed', () => {
    const trace = parseTrace(`t\n0\n${(MAX_TRACE_STEPS - 1) * 60}\n`, { timeColumn: 't' });
    expect(trace.values).toHaveLength(MAX_TRACE_STEPS);
    expect(trace.values[0]).toBe(1);
    expect(trace.values[MAX_TRACE_STEPS - 1]).toBe(1);
  });
});

describe('parseTrace errors', () => {
  const opts = { timeColumn: 'time', valueColumn: 'requests' };
  const good = 'time,requests\n2024-05-01T12:00:00Z,1\n';

  test('messages start with the source, "trace" when none is given', () => {
    expect(traceError('', opts, 'load.csv').message).toMatch(/^load\.csv: /);
    expect(traceError('', opts).message).toMatch(/^trace: /);
    expect(traceError('', opts).name).toBe('TraceError');
  });

  test('empty file', () => {
    expect(traceError('', opts).message).toBe('trace: the file is empty (no header row)');
    expect(traceError('\n\r\n ,\n', opts).message).toBe('trace: the file is empty (no header row)');
  });

  test('header only', () => {
    expect(traceError('time,requests\n', opts).message).toBe(
      'trace: the file has a header row but no data rows',
    );
    expect(traceError('time,requests\r\n\r\n,\r\n', opts).message).toBe(
      'trace: the file has a header row but no data rows',
    );
  });

  test('missing time column lists the columns found', () => {
    expect(traceError('ts,requests,host\n1,2,a\n', opts).message).toBe(
      'trace: time column "time" not found; columns found: "ts", "requests", "host"',
    );
  });

  test('missing value column lists the columns found', () => {
    expect(traceError('time,count\n1,2\n', opts).message).toBe(
      'trace: value column "requests" not found; columns found: "time", "count"',
    );
  });

  test('a column named twice in the header', () => {
    expect(traceError('time,requests,time\n1,2,3\n', opts).message).toBe(
      'trace: time column "time" appears 2 times in the header (columns 1 and 3)',
    );
  });

  test('the same column for time and value', () => {
    expect(traceError(good, { timeColumn: 'time', valueColumn: 'time' }).message).toBe(
      'trace: the value column and the time column are both "time"',
    );
  });

  test('unparsable time names the row, line, value and column', () => {
    const csv = 'time,requests\n2024-05-01T12:00:00Z,1\n2024-05-01 noon,2\n';
    expect(traceError(csv, opts).message).toBe(
      'trace: row 2 (line 3): cannot parse time "2024-05-01 noon" in column "time": expected ISO 8601 (e.g. 2024-05-01T12:00:00Z), epoch seconds or epoch milliseconds',
    );
  });

  test('row numbers skip the header; lines follow quoted line breaks', () => {
    const csv = 'time,requests,note\n1,1,"a\nb"\nlater,2,c\n';
    expect(traceError(csv, opts).message).toMatch(/^trace: row 2 \(line 4\): cannot parse time "later"/);
  });

  test('empty time cell, also in a short row', () => {
    expect(traceError('time,requests\n,3\n', opts).message).toBe(
      'trace: row 1 (line 2): time column "time" is empty',
    );
    expect(traceError('requests,time\n3\n', opts).message).toBe(
      'trace: row 1 (line 2): time column "time" is empty',
    );
  });

  test('epoch number too large', () => {
    expect(traceError('time,requests\n1714564800000000,1\n', opts).message).toBe(
      'trace: row 1 (line 2): cannot parse time "1714564800000000" in column "time": epoch number too large (seconds and milliseconds are supported, not micro- or nanoseconds)',
    );
  });

  test.each(['abc', 'NaN', 'Infinity', '0x10', '1,5', '12 req', '1e999'])('non-numeric value %s', (value) => {
    const csv = `time,requests\n2024-05-01T12:00:00Z,1\n2024-05-01T12:01:00Z,"${value}"\n`;
    expect(traceError(csv, opts).message).toBe(
      `trace: row 2 (line 3): value "${value}" in column "requests" is not a number`,
    );
  });

  test('empty value cell', () => {
    expect(traceError('time,requests\n2024-05-01T12:00:00Z, \n', opts).message).toBe(
      'trace: row 1 (line 2): value column "requests" is empty',
    );
  });

  test('negative value', () => {
    expect(traceError('time,requests\n2024-05-01T12:00:00Z,-3\n', opts).message).toBe(
      'trace: row 1 (line 2): value "-3" in column "requests" is negative',
    );
  });

  test('unparsable from / to', () => {
    expect(traceError(good, { ...opts, from: 'yesterday' }).message).toBe(
      'trace: from "yesterday" is not an ISO 8601 time (e.g. 2024-05-01T12:00:00Z)',
    );
    expect(traceError(good, { ...opts, to: '1714564800' }).message).toBe(
      'trace: to "1714564800" is not an ISO 8601 time (e.g. 2024-05-01T12:00:00Z)',
    );
  });

  test('from not before to', () => {
    expect(traceError(good, { ...opts, from: '2024-05-02', to: '2024-05-01' }).message).toBe(
      'trace: from "2024-05-02" is not before to "2024-05-01"',
    );
    expect(
      traceError(good, { ...opts, from: '2024-05-01T12:00:00Z', to: '2024-05-01T14:00:00+02:00' }).message,
    ).toBe('trace: from "2024-05-01T12:00:00Z" is not before to "2024-05-01T14:00:00+02:00"');
  });

  test('no rows left after filtering', () => {
    const csv = 'time,requests\n2024-05-01T12:00:00Z,1\n2024-05-01T12:05:00Z,1\n';
    expect(traceError(csv, { ...opts, from: '2024-05-02T00:00:00Z' }).message).toBe(
      'trace: no rows left after filtering from 2024-05-02T00:00:00Z (all 2 rows fall outside)',
    );
    expect(traceError(csv, { ...opts, from: '2024-04-01', to: '2024-05-01T12:00:00Z' }).message).toBe(
      'trace: no rows left after filtering from 2024-04-01 to 2024-05-01T12:00:00Z (all 2 rows fall outside)',
    );
  });

  test('a gap that would make the trace longer than 1,000,000 steps names the rows around it', () => {
    // A stray epoch-seconds 0 among 2024 timestamps: ~28.6 million minutes.
    const csv = `time,requests\n${NOON},1\n0,1\n${NOON + 60},1\n`;
    const message = traceError(csv, opts).message;
    expect(message).toMatch(
      /^trace: the trace would have 28,576,082 steps of 60 s, more than the limit of 1,000,000; /,
    );
    expect(message).toContain(
      'the largest gap between rows, 28,576,080 steps, is from row 2 (1970-01-01T00:00:00.000Z) to row 1 (2024-05-01T12:00:00.000Z)',
    );
    expect(traceError(`t\n0\n${MAX_TRACE_STEPS * 60}\n`, { timeColumn: 't' }).message).toMatch(
      /^trace: the trace would have 1,000,001 steps of 60 s, more than the limit of 1,000,000;/,
    );
  });

  test('a from/to window longer than 1,000,000 steps', () => {
    const message = traceError(good, { ...opts, from: '2000-01-01', to: '2024-05-02' }).message;
    expect(message).toMatch(/^trace: the trace would have 12,\d{3},\d{3} steps of 60 s, more than the limit/);
    expect(message).toContain('the window runs from 2000-01-01T00:00:00.000Z to 2024-05-02T00:00:00.000Z');
  });

  test('malformed CSV', () => {
    expect(traceError('time,requests\n"2024-05-01,1\n', opts).message).toBe(
      'trace: malformed CSV: unterminated quoted field starting on line 2',
    );
  });

  test.each([0, -60, Number.NaN, Number.POSITIVE_INFINITY])('bad step %s', (stepSeconds) => {
    expect(traceError(good, { ...opts, stepSeconds }).message).toBe(
      `trace: step must be a number of seconds > 0, got ${String(stepSeconds)}`,
    );
  });

  test('empty column names', () => {
    expect(traceError(good, { timeColumn: ' ' }).message).toBe('trace: the time column name is empty');
    expect(traceError(good, { timeColumn: 'time', valueColumn: '' }).message).toBe(
      'trace: the value column name is empty',
    );
  });
});

describe('loadTrace', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trace-test-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('errors name the file', () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'ts,n\n1,2\n');
    expect(() => loadTrace(file, { timeColumn: 'time' })).toThrow(
      new TraceError(`${file}: time column "time" not found; columns found: "ts", "n"`),
    );
  });

  test('an unreadable file is a TraceError naming the file', () => {
    const missing = join(dir, 'missing.csv');
    expect(() => loadTrace(missing, { timeColumn: 'time' })).toThrow(TraceError);
    expect(() => loadTrace(missing, { timeColumn: 'time' })).toThrow(
      new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read the trace file: ENOENT`),
    );
    expect(() => loadTrace(dir, { timeColumn: 'time' })).toThrow(/cannot read the trace file: EISDIR/);
  });
});
