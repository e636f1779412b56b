import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * One n8n process (`node bin/n8n <command>`), its standard output and error kept line by line in
 * memory (the assertions read them) and in a log file (a failing run's evidence). Every wait is
 * bounded and says what it waited for; kill() is safe to call on a process that already ended.
 */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class N8nProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<ExitStatus>;
  private readonly child: ChildProcess;
  private exit: ExitStatus | undefined;

  constructor(
    readonly label: string,
    node: string,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
    readonly logFile: string,
    /** Where it serves HTTP on loopback (main: editor, API, webhooks; worker: health, metrics). */
    readonly baseUrl: string,
  ) {
    // Only the given environment: the test runner's own (NODE_ENV=test among it) must not leak in.
    this.child = spawn(node, [...args], { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        log.write(chunk);
        const text = partial + chunk.toString('utf8');
        const parts = text.split('\n');
        partial = parts.pop() ?? '';
        this.lines.push(...parts);
      });
      stream?.on('end', () => {
        if (partial !== '') this.lines.push(partial);
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        // Let the pipes drain (their last lines) before anyone reads the output as final.
        setTimeout(() => {
          log.end();
          resolve({ code, signal });
        }, 200);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  output(): string {
    return this.lines.join('\n');
  }

  /** Waits until a line matches, the process exits, or the time is up (then throws with the tail). */
  async waitForLine(pattern: RegExp, timeoutMs: number, what: string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line !== undefined) return line;
      if (!this.running) throw new Error(`${this.label} exited before ${what}:\n${this.tail()}`);
      if (Date.now() > deadline)
        throw new Error(`${this.label}: no ${what} within ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(100);
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** The exit status, or a failure naming the process if it is still running after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<ExitStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.label} still running after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`: for teardown, where only the end matters. */
  async kill(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  tail(lines = 40): string {
    return this.lines.slice(-lines).join('\n');
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}

/** GET on loopback with a bounded time; the status and body, or a thrown network error. */
export async function httpGet(url: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: await response.text() };
}
