import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The lint is type-aware (eslint.config.mjs): a promise nobody awaits, or one handed to a callback
 * that ignores it, is an error. Checked by the eslint CLI as `npm run lint` runs it, on files inside
 * the TypeScript project (the rules need its type information: a config that lost it would report
 * nothing, and this test would fail).
 */
describe('type-aware lint', () => {
  test('a floating promise and a promise passed as a void callback are errors; awaited, the code is clean', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'test', 'docs', 'lint-probe-'));
    try {
      const floating = path.join(dir, 'floating.ts');
      const awaited = path.join(dir, 'awaited.ts');
      fs.writeFileSync(
        floating,
        [
          'async function save(): Promise<void> {}',
          'export function handle(): void {',
          '  save();',
          '  [1, 2].forEach(async () => save());',
          '}',
          '',
        ].join('\n'),
      );
      fs.writeFileSync(
        awaited,
        [
          'async function save(): Promise<void> {}',
          'export async function handle(): Promise<void> {',
          '  await save();',
          '  for (const _ of [1, 2]) await save();',
          '}',
          '',
        ].join('\n'),
      );
      const run = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'),
          '--format',
          'json',
          floating,
          awaited,
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
      const results = JSON.parse(run.stdout) as Array<{
        filePath: string;
        messages: Array<{ ruleId: string | null; message: string }>;
      }>;
      const rulesOf = (file: string) =>
        results.find((r) => r.filePath === file)?.messages.map((m) => m.ruleId ?? m.message) ?? [
          'not linted',
        ];
      expect(rulesOf(floating).sort()).toEqual([
        '@typescript-eslint/no-floating-promises',
        '@typescript-eslint/no-misused-promises',
      ]);
      expect(rulesOf(awaited)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
