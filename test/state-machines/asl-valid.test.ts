import * as fs from 'node:fs';
import * as path from 'node:path';
import aslValidator from 'asl-validator';
import { STATE_MACHINES_DIR } from '../../lib/constructs/workflow';

const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures', 'state-machines');

function definitions(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.asl.json'))
    .map((f) => path.join(dir, f));
}

/** Substituted values are ARNs or names; the validator checks ARN-shaped fields, so give it one. */
function withPlaceholdersFilled(file: string): unknown {
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/\$\{[A-Za-z0-9_]+\}/g, 'arn:aws:lambda:eu-west-1:123456789012:function:x');
  return JSON.parse(text);
}

describe('every Amazon States Language definition is valid', () => {
  const files = [...definitions(STATE_MACHINES_DIR), ...definitions(FIXTURES_DIR)];

  test.each(files.map((f) => [path.relative(process.cwd(), f), f]))('%s', (_name, file) => {
    const { isValid, errorsText } = aslValidator(withPlaceholdersFilled(file));
    expect(isValid ? '' : errorsText('\n')).toBe('');
  });

  test('the validator rejects a broken definition (the check is live)', () => {
    const { isValid } = aslValidator({ StartAt: 'Missing', States: { Other: { Type: 'Pass', End: true } } });
    expect(isValid).toBe(false);
  });
});
