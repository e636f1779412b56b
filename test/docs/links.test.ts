import { anchors, brokenLink, documentationFiles, links, read } from './markdown';

describe('the links of the README and docs/', () => {
  test.each(documentationFiles())('%s: every relative link and its anchor resolve', (file) => {
    const broken = links(read(file)).flatMap(({ line, target }) => {
      const problem = brokenLink(file, target);
      return problem === undefined ? [] : [`${file}:${line}: ${problem}`];
    });
    expect(broken).toEqual([]);
  });
});

describe('the link checker', () => {
  test('reads links and images outside code, with their lines', () => {
    const text = [
      'See [the guide](docs/operations.md#channels) and ![a chart](sim/odoo.svg).',
      '`[not a link](nowhere.md)`',
      '```',
      '[nor this](nowhere.md)',
      '```',
      '[site](https://example.com) [here](#top)',
    ].join('\n');
    expect(links(text)).toEqual([
      { line: 1, target: 'docs/operations.md#channels' },
      { line: 1, target: 'sim/odoo.svg' },
      { line: 6, target: 'https://example.com' },
      { line: 6, target: '#top' },
    ]);
  });

  test("gives headings GitHub's anchors", () => {
    const text = [
      '# Operator’s guide',
      "## The control plane's own metrics",
      '## Judged against the whole cost/SLO curve',
      '## The `ops` CLI',
      '## Tests',
      '## Tests',
      '```bash',
      '# a comment, not a heading',
      '```',
    ].join('\n');
    expect([...anchors(text)]).toEqual([
      'operators-guide',
      'the-control-planes-own-metrics',
      'judged-against-the-whole-costslo-curve',
      'the-ops-cli',
      'tests',
      'tests-1',
    ]);
  });

  test('names a missing file, a missing heading and a way out of the repository', () => {
    expect(brokenLink('README.md', 'docs/operations.md#channels')).toBeUndefined();
    expect(brokenLink('docs/simulator.md', 'sim/odoo.svg')).toBeUndefined();
    expect(brokenLink('README.md', 'runbooks/')).toBeUndefined();
    expect(brokenLink('README.md', 'https://example.com/x.md')).toBeUndefined();
    expect(brokenLink('README.md', 'docs/missing.md')).toBe(
      'docs/missing.md: docs/missing.md does not exist',
    );
    expect(brokenLink('docs/operations.md', 'deploying.md#no-such-heading')).toBe(
      'deploying.md#no-such-heading: docs/deploying.md has no heading with the anchor #no-such-heading',
    );
    expect(brokenLink('docs/operations.md', '#no-such-heading')).toBe(
      '#no-such-heading: docs/operations.md has no heading with the anchor #no-such-heading',
    );
    expect(brokenLink('docs/operations.md', '../../x.md')).toBe('../../x.md leaves the repository');
  });
});
