/** A mistake in how `ops` was called: printed as one line, exit code 2, nothing touched. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
