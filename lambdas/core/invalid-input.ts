/**
 * Thrown for input a person must fix; the workflows do not retry it (their Retry clauses name only
 * transient errors). A module of its own so that validating a request does not pull the alert
 * catalogue into every bundle.
 */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInput';
  }
}
