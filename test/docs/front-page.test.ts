import * as fs from 'node:fs';
import * as path from 'node:path';
import { brokenLink, links, read, ROOT } from './markdown';

/** Two screens of rendered text; the rest of what the README once held lives in docs/. */
const MAX_LINES = 100;
/** One screen: a newcomer sees both commands without scrolling. */
const FIRST_SCREEN = 45;

const README = read('README.md');
const LINES = README.trimEnd().split('\n');

describe('the README is a front page', () => {
  test(`fits on two screens (at most ${MAX_LINES} lines)`, () => {
    expect(LINES.length).toBeLessThanOrEqual(MAX_LINES);
  });

  test.each(['npm start', 'npm test'])(
    `shows \`%s\` as a command within its first ${FIRST_SCREEN} lines`,
    (command) => {
      const commandLine = LINES.findIndex((line) => line.startsWith(`npm ci && ${command}`));
      expect(commandLine).toBeGreaterThanOrEqual(0);
      expect(commandLine).toBeLessThan(FIRST_SCREEN);
    },
  );

  test('shows the architecture picture', () => {
    expect(README).toMatch(/^## Architecture\n\n```mermaid\n/m);
  });

  test('every document it links exists', () => {
    const targets = links(README).filter(({ target }) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.flatMap(({ target }) => brokenLink('README.md', target) ?? [])).toEqual([]);
  });

  test('links every document under docs/', () => {
    const linked = new Set(links(README).map(({ target }) => target.split('#')[0]));
    const docs = fs
      .readdirSync(path.join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`);
    expect(docs.filter((doc) => !linked.has(doc))).toEqual([]);
  });
});
