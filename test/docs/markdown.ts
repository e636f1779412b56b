import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's root: README.md and docs/ are read from here. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** README.md and every Markdown file under docs/, as paths relative to the root. */
export function documentationFiles(): string[] {
  const found: string[] = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) found.push(rel);
    }
  };
  walk('docs');
  return found.sort();
}

export function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

/**
 * The text outside fenced code blocks, line by line (an empty line for each line of a block), and
 * without inline code spans unless `keepCode` (code holds no links, but a heading's code is text).
 */
function prose(markdown: string, keepCode = false): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(line);
    if (opening) {
      const marker = opening[1] as string;
      if (fence === undefined) fence = marker;
      else if (marker.startsWith(fence)) fence = undefined;
      return '';
    }
    if (fence !== undefined) return '';
    return keepCode ? line : line.replace(/(`+)[\s\S]*?\1/g, '');
  });
}

export interface MarkdownLink {
  readonly line: number;
  readonly target: string;
}

/** Every inline link and image of a Markdown text, with its 1-based line. */
export function links(markdown: string): MarkdownLink[] {
  const found: MarkdownLink[] = [];
  prose(markdown).forEach((text, i) => {
    for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      found.push({ line: i + 1, target: m[1] as string });
  });
  return found;
}

/**
 * The anchors GitHub gives a file's headings (github-slugger): the heading's text without its
 * Markdown, lower-cased, punctuation dropped, spaces as hyphens, and -1, -2 … on repeats.
 */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of prose(markdown, true)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = (heading[1] as string).replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/**
 * What is wrong with a relative link of `file` (a path relative to the root), or undefined when it
 * resolves: the file or folder it names exists and, for a Markdown file, so does the heading its
 * `#anchor` names. Links to other sites are not followed.
 */
export function brokenLink(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined;
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const resolved = pathPart === '' ? file : path.join(path.dirname(file), decodeURIComponent(pathPart));
  if (resolved.startsWith('..')) return `${target} leaves the repository`;
  const absolute = path.join(ROOT, resolved);
  if (!fs.existsSync(absolute)) return `${target}: ${resolved} does not exist`;
  if (anchor !== undefined && resolved.endsWith('.md') && !anchors(read(resolved)).has(anchor))
    return `${target}: ${resolved} has no heading with the anchor #${anchor}`;
  return undefined;
}
