/** A mistake in how `ops` was called: printed as one line, exit code 2, nothing touched. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The operator answered no to a confirmation: nothing was changed (exit code 1). */
export class NotConfirmed extends Error {
  constructor() {
    super('not confirmed: nothing was changed');
    this.name = 'NotConfirmed';
  }
}

/** What `ops` exits with (`ops --help` and docs/cli.md list them). */
export const EXIT = {
  /** Done: the command did what it was asked. */
  ok: 0,
  /** The operation failed or was refused. */
  failed: 1,
  /** A usage error: nothing was sent to AWS. */
  usage: 2,
  /** AWS unreachable, or the caller not authorised. */
  aws: 3,
  /** A workflow started but was still running when the wait ended. */
  running: 4,
} as const;
