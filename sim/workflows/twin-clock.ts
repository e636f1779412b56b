/**
 * The twin's clock as the workflows see it. A local execution runs on Node's event loop, but its
 * Wait states must last twin seconds, not real ones: an execution that waits parks here until the
 * twin's loop advances past its wake-up time. The loop calls `settle()` after each move to let
 * every execution run until it has finished or parked again (its DynamoDB calls are real I/O, so
 * "no more microtasks" is not enough: the clock counts executions, not promises).
 */
export class TwinClock {
  private nowSeconds = 0;
  private active = 0;
  private readonly sleepers: Array<{ wakeAt: number; wake: () => void }> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly epochMs: number) {}

  /** Seconds since the start of the simulation. */
  get seconds(): number {
    return this.nowSeconds;
  }

  /** The wall-clock date the handlers see (their `now`). */
  now(): Date {
    return new Date(this.epochMs + this.nowSeconds * 1000);
  }

  /** Runs `work` as one execution the clock waits for; its rejection is the caller's to handle. */
  track<T>(work: () => Promise<T>): Promise<T> {
    this.active += 1;
    return work().finally(() => {
      this.active -= 1;
      this.notify();
    });
  }

  /** Parks the calling execution for `seconds` of twin time. */
  sleep(seconds: number): Promise<void> {
    return new Promise((wake) => {
      this.sleepers.push({ wakeAt: this.nowSeconds + seconds, wake });
      this.notify();
    });
  }

  /** Moves the clock forward and wakes every execution whose wait has passed. */
  advanceTo(seconds: number): void {
    if (seconds < this.nowSeconds)
      throw new Error(`the twin's clock goes forward (${seconds} < ${this.nowSeconds})`);
    this.nowSeconds = seconds;
    for (let i = this.sleepers.length - 1; i >= 0; i--) {
      const sleeper = this.sleepers[i] as { wakeAt: number; wake: () => void };
      if (sleeper.wakeAt <= seconds) {
        this.sleepers.splice(i, 1);
        sleeper.wake();
      }
    }
  }

  /** Resolves once every tracked execution has finished or parked. */
  settle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private idle(): boolean {
    return this.active <= this.sleepers.length;
  }

  private notify(): void {
    if (!this.idle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
