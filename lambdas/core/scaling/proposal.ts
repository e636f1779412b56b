/** A proposed new desired count, with the rule (or schedule) that asked for it. */
export interface Proposal {
  readonly to: number;
  readonly rule: string;
  readonly detail?: string;
  /** Sized from the load (not a rule's fixed step): aggressiveness scales it by a gentler factor. */
  readonly sized?: boolean;
  /**
   * Sized against the desired count, which includes capacity still booting: the booting guardrail,
   * there for steps taken from metrics that cannot see booting capacity yet, lets it by.
   */
  readonly countsBooting?: boolean;
}
