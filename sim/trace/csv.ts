/**
 * A small RFC 4180 CSV reader (https://www.rfc-editor.org/rfc/rfc4180) for the simulator's trace files.
 *
 * - Fields are separated by a comma; records by CRLF, LF or a lone CR (all three are accepted, also
 *   mixed in one file). A line break at the very end of the text does not start another record.
 * - A field that begins with a double quote is quoted: it may hold commas, line breaks and doubled
 *   quotes (`""` stands for one `"`). After the closing quote only a comma, a line break or the end of
 *   the text may follow; anything else is a CsvError, as is a quoted field that never closes.
 * - A double quote inside an unquoted field (`5" screen`) is kept as a literal character: RFC 4180
 *   forbids it, but spreadsheets write it and nothing is ambiguous about it.
 * - A leading UTF-8 byte-order mark is dropped. Fields are returned exactly as written (no trimming);
 *   blank lines come back as a record with one empty field, so callers decide what to do with them.
 */

export class CsvError extends Error {
  /** 1-based line of the text where the problem is. */
  readonly line: number;

  constructor(message: string, line: number) {
    super(message);
    this.name = 'CsvError';
    this.line = line;
  }
}

export interface CsvRecord {
  /** The fields of the record, unquoted and unescaped. */
  readonly fields: readonly string[];
  /** 1-based line of the text where the record starts (records with quoted line breaks span several). */
  readonly line: number;
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const CR = 13;
const LF = 10;

/** Parses CSV text into records; the first record is the header, if the file has one. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = src.length;
  const records: CsvRecord[] = [];
  if (n === 0) return records;

  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;

  const endRecord = (): void => {
    records.push({ fields, line: recordLine });
    fields = [];
  };
  /** Consumes the line break at i (CRLF, LF or CR) and advances the line counter. */
  const skipLineBreak = (): void => {
    if (src.charCodeAt(i) === CR && src.charCodeAt(i + 1) === LF) i += 2;
    else i += 1;
    line += 1;
  };

  for (;;) {
    // At the start of a field.
    if (src.charCodeAt(i) === QUOTE) {
      const openedAt = line;
      i += 1;
      let value = '';
      let chunkStart = i;
      for (;;) {
        if (i >= n) throw new CsvError(`unterminated quoted field starting on line ${openedAt}`, openedAt);
        const c = src.charCodeAt(i);
        if (c === QUOTE) {
          if (src.charCodeAt(i + 1) === QUOTE) {
            value += src.slice(chunkStart, i + 1);
            i += 2;
            chunkStart = i;
            continue;
          }
          value += src.slice(chunkStart, i);
          i += 1;
          break;
        }
        if (c === CR || c === LF) {
          // A line break inside the quotes is part of the value; keep the line count right.
          if (c === CR && src.charCodeAt(i + 1) === LF) i += 1;
          line += 1;
        }
        i += 1;
      }
      fields.push(value);
      if (i >= n) {
        endRecord();
        return records;
      }
      const next = src.charCodeAt(i);
      if (next === COMMA) {
        i += 1;
        continue;
      }
      if (next === CR || next === LF) {
        endRecord();
        skipLineBreak();
        if (i >= n) return records;
        recordLine = line;
        continue;
      }
      throw new CsvError(
        `unexpected character ${JSON.stringify(src[i])} after a closing quote on line ${line} (a quote inside a quoted field must be doubled: "")`,
        line,
      );
    }

    // Unquoted field: runs to the next comma, line break or the end of the text.
    const start = i;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === COMMA || c === CR || c === LF) break;
      i += 1;
    }
    fields.push(src.slice(start, i));
    if (i >= n) {
      endRecord();
      return records;
    }
    if (src.charCodeAt(i) === COMMA) {
      // A comma at the very end of the text ("a,b,") leaves an empty last field: the next pass reads it.
      i += 1;
      continue;
    }
    endRecord();
    skipLineBreak();
    if (i >= n) return records;
    recordLine = line;
  }
}
