import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** An empty home: no ~/.aws of the machine running the tests is ever read. */
export const EMPTY_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-home-'));

/**
 * The real entry under tsx's loader (`node --import tsx bin/ops.ts`, what `npx tsx bin/ops.ts`
 * runs, without the extra process), from the repository root, with a clean environment.
 */
const COMMAND = [process.execPath, '--import', 'tsx', 'bin/ops.ts'] as const;

function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: EMPTY_HOME, AWS_EC2_METADATA_DISABLED: 'true', ...env };
}

/** Runs `ops` as a user does, with no AWS settings in the environment. */
export function ops(...args: string[]) {
  const [node, ...rest] = COMMAND;
  return spawnSync(node, [...rest, ...args], { cwd: ROOT, encoding: 'utf8', env: environment({}) });
}

export interface OpsRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `ops` without blocking the test's event loop (a fake AWS server in the test must answer
 * it), stdin a pipe (not a terminal) with `input` written to it.
 */
export function opsAsync(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<OpsRun> {
  const [node, ...rest] = COMMAND;
  return new Promise((resolve, reject) => {
    const child = spawn(node, [...rest, ...args], { cwd: ROOT, env: environment(options.env ?? {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Runs `task` over `items`, at most `limit` at a time (each `ops` run is a Node process). */
export async function inParallel<T, R>(
  items: readonly T[],
  task: (item: T) => Promise<R>,
  limit = 3,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
