import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, read } from './markdown';

/*
 * docs/capabilities.md lists every requirement of the source documents with its state. This test
 * holds it to seed 004's alert identifiers and to the three states. The seeds live beside the
 * repository (../shared/seeds), which a clean clone in CI does not have, so the identifiers are kept
 * in a fixture; where the seeds are present the fixture is rebuilt from seed 004 and compared.
 */

const DOC = 'docs/capabilities.md';
const FIXTURE = 'test/fixtures/capabilities/seed-004-identifiers.json';
const SEEDS_DIR = path.resolve(ROOT, '..', 'shared', 'seeds');

const COLUMNS = ['section', 'requirement', 'state', 'where'];
const STATE = /^(built|partial|absent)(?::\s*(.*))?$/;
/** The words an `absent` row's reason needs at least, so "n/a" or "later" is not a reason. */
const MIN_REASON_WORDS = 4;

/** An alert identifier as seed 004 writes them: capitalised words joined by underscores. */
const IDENTIFIER = /\b[A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b/g;

interface Row {
  readonly line: number;
  /** The `## Seed 00N` heading the row's table is under. */
  readonly seed: string | undefined;
  readonly section: string;
  readonly requirement: string;
  readonly state: string;
  readonly where: string;
}

interface SeedIdentifier {
  readonly name: string;
  readonly line: string;
}

interface Fixture {
  readonly seed: string;
  readonly identifiers: readonly SeedIdentifier[];
}

/** The distinct identifiers of a text, sorted. */
function identifiersIn(text: string): string[] {
  return [...new Set(text.match(IDENTIFIER) ?? [])].sort();
}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());

/**
 * The rows of every table, with the problems of tables that are not capability tables (another
 * header, a row with another number of cells).
 */
function parseTables(markdown: string): { rows: Row[]; problems: string[] } {
  const rows: Row[] = [];
  const problems: string[] = [];
  const lines = markdown.split('\n');
  let seed: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heading = /^##\s+Seed (\d{3})\b/.exec(line);
    if (heading) seed = heading[1];
    else if (/^##\s/.test(line)) seed = undefined;
    const separator = lines[i + 1] ?? '';
    if (!line.startsWith('|') || !/^\|\s*:?-/.test(separator)) continue;
    const header = cells(line);
    if (header.join('|') !== COLUMNS.join('|')) {
      problems.push(
        `line ${i + 1}: a table whose columns are ${header.join(', ')}, not ${COLUMNS.join(', ')}`,
      );
    }
    i += 2;
    for (; i < lines.length && (lines[i] as string).startsWith('|'); i++) {
      const row = cells(lines[i] as string);
      if (row.length !== COLUMNS.length) {
        problems.push(`line ${i + 1}: ${row.length} cells, not ${COLUMNS.length}`);
        continue;
      }
      const [section, requirement, state, where] = row as [string, string, string, string];
      rows.push({ line: i + 1, seed, section, requirement, state, where });
    }
    i--;
  }
  return { rows, problems };
}

const words = (text: string): number => text.split(/\s+/).filter((w) => /\w/.test(w)).length;

/** What is wrong with a row: its state, a missing reason or note, a missing place. */
function rowProblems(row: Row): string[] {
  const at = (message: string) => `line ${row.line} (${row.requirement || row.section}): ${message}`;
  const problems: string[] = [];
  if (!row.section) problems.push(at('no section'));
  if (!row.requirement) problems.push(at('no requirement'));
  const state = STATE.exec(row.state);
  if (!state) {
    problems.push(at(`state "${row.state}" is not built, partial or absent`));
    return problems;
  }
  const [, kind, note = ''] = state;
  if (kind === 'absent' && words(note) < MIN_REASON_WORDS) {
    problems.push(at(`absent without a reason of at least ${MIN_REASON_WORDS} words`));
  }
  if (kind === 'partial' && (!/\bmissing\b/i.test(note) || words(note) < MIN_REASON_WORDS)) {
    problems.push(at('partial without saying what is missing ("missing: ...")'));
  }
  const linked = /\]\([^)]+\)/.test(row.where);
  if ((kind === 'built' || kind === 'partial') && !linked) {
    problems.push(at(`${kind} with no link to where it is`));
  }
  if (!linked && row.where !== '—')
    problems.push(at(`where is "${row.where}": a link, or — when nothing is`));
  return problems;
}

/** The identifiers no row names (as a whole word: a longer identifier does not count). */
function unlisted(rows: readonly Row[], names: readonly string[]): string[] {
  const text = rows.map((r) => `${r.section} ${r.requirement} ${r.state}`);
  return names.filter((name) => !text.some((t) => new RegExp(`\\b${name}\\b`).test(t)));
}

function seed004(): string | undefined {
  if (!fs.existsSync(SEEDS_DIR)) return undefined;
  const file = fs.readdirSync(SEEDS_DIR).find((name) => name.startsWith('004_'));
  return file === undefined ? undefined : fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8');
}

const fixture = JSON.parse(read(FIXTURE)) as Fixture;
const names = fixture.identifiers.map((i) => i.name);
const { rows, problems } = parseTables(read(DOC));

describe('docs/capabilities.md', () => {
  test('is made of capability tables (section, requirement, state, where)', () => {
    expect(problems).toEqual([]);
    expect(rows.length).toBeGreaterThan(100);
  });

  test('has rows for each of the five source documents', () => {
    expect([...new Set(rows.map((r) => r.seed))].sort()).toEqual(['000', '001', '002', '003', '004']);
  });

  test('gives every row an allowed state, a reason for absent, what is missing for partial, and where', () => {
    expect(rows.flatMap(rowProblems)).toEqual([]);
  });

  test('names every alert identifier of seed 004 in a seed-004 row', () => {
    expect(names.length).toBeGreaterThan(40);
    expect(
      unlisted(
        rows.filter((r) => r.seed === '004'),
        names,
      ),
    ).toEqual([]);
  });
});

describe("the fixture of seed 004's identifiers", () => {
  test('is what seed 004 names (from ../shared/seeds when present, else from its own seed lines)', () => {
    const seed = seed004();
    // Without the seeds (a clean clone), each stored line must still name exactly what is listed.
    const source = seed ?? fixture.identifiers.map((i) => i.line).join('\n');
    expect(identifiersIn(source)).toEqual([...names].sort());
    const seedLines = new Set((seed ?? source).split('\n').map((l) => l.trim()));
    const misquoted = fixture.identifiers.filter(
      (i) => !seedLines.has(i.line) || !new RegExp(`\\b${i.name}\\b`).test(i.line),
    );
    expect(misquoted).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const table = (...body: string[]) =>
    ['## Seed 004: x', '', '| section | requirement | state | where |', '| - | - | - | - |', ...body].join(
      '\n',
    );

  test('find an absent row without a reason, a partial row without what is missing, a bad state', () => {
    const { rows: bad } = parseTables(
      table(
        '| Ticketing | a ticket per incident | absent | — |',
        '| Routing | Slack per severity | partial: one channel | [x](x.md) |',
        '| Routing | SMS | done | [x](x.md) |',
        '| Routing | email | built | nowhere yet |',
        '| Probes | health probe | issue 19 (in progress) | — |',
      ),
    );
    expect(bad.flatMap(rowProblems)).toEqual([
      'line 5 (a ticket per incident): absent without a reason of at least 4 words',
      'line 6 (Slack per severity): partial without saying what is missing ("missing: ...")',
      'line 7 (SMS): state "done" is not built, partial or absent',
      'line 8 (email): built with no link to where it is',
      'line 8 (email): where is "nowhere yet": a link, or — when nothing is',
      'line 9 (health probe): state "issue 19 (in progress)" is not built, partial or absent',
    ]);
  });

  test('accept well-formed rows', () => {
    const { rows: good, problems: none } = parseTables(
      table(
        '| Chat | threads | absent: needs a Slack app the organisation must create | — |',
        '| Chat | channels | partial: missing: a channel per severity | [ops](operations.md) |',
      ),
    );
    expect(none).toEqual([]);
    expect(good.flatMap(rowProblems)).toEqual([]);
  });

  test('find a table with other columns and an identifier no row names', () => {
    const { rows: some, problems: wrong } = parseTables(
      ['| alert | state |', '| - | - |', '| Odoo_Server_High_CPU | built |'].join('\n'),
    );
    expect(wrong).toEqual([
      'line 1: a table whose columns are alert, state, not section, requirement, state, where',
      'line 3: 2 cells, not 4',
    ]);
    expect(some).toEqual([]);
    const { rows: listed } = parseTables(
      table('| Alerts | Odoo_UI_Page_Load_Time_P95_Baseline_Deviation | built | [r](r.md) |'),
    );
    expect(
      unlisted(listed, ['Odoo_UI_Page_Load_Time_P95', 'Odoo_UI_Page_Load_Time_P95_Baseline_Deviation']),
    ).toEqual(['Odoo_UI_Page_Load_Time_P95']);
  });

  test('read identifiers as seed 004 writes them', () => {
    expect(
      identifiersIn(
        '- **Metric:** AI_Serving_GPU_Utilization_Error, odoo_resources, {{AlertName}}, AI_Service_Stalled',
      ),
    ).toEqual(['AI_Service_Stalled', 'AI_Serving_GPU_Utilization_Error']);
  });
});
