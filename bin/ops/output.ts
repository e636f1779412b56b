/**
 * What `ops` prints: `--output json` (the default when stdout is not a terminal: for scripts and
 * pipes) or `--output table` (the default on a terminal): plain columns aligned with spaces.
 */
export const OUTPUT_FORMATS = ['table', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The format asked for, or the one that suits where stdout goes. */
export function outputFormat(asked: unknown, stdoutIsTty: boolean | undefined): OutputFormat {
  if (asked === 'json' || asked === 'table') return asked;
  return stdoutIsTty ? 'table' : 'json';
}

/** One cell: text as it is, nothing as `-`, a list joined, anything else as compact JSON. */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value === 'string') return value.replace(/\s*\n\s*/g, ' ');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
    return value.length > 0 ? value.join(', ') : '-';
  return JSON.stringify(value);
}

/**
 * Rows as aligned columns under a header; `columns` picks and orders them (default: every key of
 * the first row). No rows: `empty` on its own line.
 */
export function table(rows: ReadonlyArray<object>, columns?: readonly string[], empty = '(none)'): string {
  if (rows.length === 0) return empty;
  const keys = columns ?? Object.keys(rows[0] ?? {});
  const cells = [
    keys.map((k) => k),
    ...rows.map((row) => keys.map((k) => cell((row as Record<string, unknown>)[k]))),
  ];
  const widths = keys.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  return cells
    .map((line) =>
      line
        .map((value, i) => (i === line.length - 1 ? value : value.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** An object as `key: value` lines, the values aligned. */
export function fields(object: object): string {
  const entries = Object.entries(object as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...entries.map(([k]) => k.length + 1));
  return entries.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${cell(v)}`.trimEnd()).join('\n');
}
