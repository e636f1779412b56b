import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** One import that breaks a layering rule, with the chain of files that leads to it. */
export interface LayeringViolation {
  readonly from: string;
  readonly chain: readonly string[];
  readonly forbidden: string;
}

/** What a layer may not reach, directly or through any file it imports. */
export interface LayerRule {
  /** Files (relative to the root, POSIX separators) the rule starts from. */
  readonly files: readonly string[];
  /** A forbidden package name (`aws-cdk-lib`, also matching `aws-cdk-lib/aws-ecs`) or folder (`lib/stacks/`). */
  readonly forbidden: readonly string[];
}

const EXTENSIONS = ['.ts', '.tsx', '/index.ts'];

function resolveLocal(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  if (fs.existsSync(base) && fs.statSync(base).isFile()) return base;
  for (const ext of EXTENSIONS) if (fs.existsSync(base + ext)) return base + ext;
  return undefined;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * Every import a file makes (static, `export … from`, dynamic `import()` and `require()` with a
 * literal), read with TypeScript's own pre-processor; type-only imports count, since the rule is
 * about what a layer knows, not only what it loads.
 */
export function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/**
 * Walks the import graph from every file of each rule and reports each forbidden package or folder
 * it reaches, with the shortest chain found (breadth first) so the message says which import to cut.
 */
export function layeringViolations(root: string, rules: readonly LayerRule[]): LayeringViolation[] {
  const violations: LayeringViolation[] = [];
  const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/');
  for (const rule of rules) {
    for (const start of rule.files) {
      const seen = new Set<string>([path.resolve(root, start)]);
      const queue: Array<{ file: string; chain: string[] }> = [
        { file: path.resolve(root, start), chain: [start] },
      ];
      const reported = new Set<string>();
      while (queue.length > 0) {
        const { file, chain } = queue.shift() as { file: string; chain: string[] };
        for (const specifier of importsOf(file)) {
          const local = specifier.startsWith('.') ? resolveLocal(file, specifier) : undefined;
          const target = local ? rel(local) : specifier.startsWith('.') ? undefined : packageName(specifier);
          if (target === undefined) continue;
          const hit = rule.forbidden.find((f) => (f.endsWith('/') ? target.startsWith(f) : target === f));
          if (hit !== undefined) {
            if (!reported.has(hit)) {
              reported.add(hit);
              violations.push({ from: start, chain: [...chain, target], forbidden: hit });
            }
            continue;
          }
          if (local && !seen.has(local)) {
            seen.add(local);
            queue.push({ file: local, chain: [...chain, target] });
          }
        }
      }
    }
  }
  return violations;
}

/** Every .ts file under a folder of the root, relative and with POSIX separators. */
export function tsFilesUnder(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
        found.push(path.relative(root, abs).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, folder));
  return found.sort();
}
