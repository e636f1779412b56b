import { TICKETING_METRICS } from '../../lib/config/ticketing-names';
import { writeEmf } from './emf-writer';

/** Where the ticket function reports a ticket step that gave up; the Ticketing_Integration_Failing alarm reads it. */
export interface TicketingFailureSink {
  failed(): void;
}

/**
 * `InfluenceGen/Ticketing` `TicketingFailures`, one per ticket step that gave up after its retries,
 * as Embedded Metric Format (no client, nothing to retry), without dimensions: the alarm reads
 * the metric as the catalogue declares it, and each environment is its own account.
 */
export class TicketingFailureMetrics implements TicketingFailureSink {
  failed(): void {
    writeEmf(
      TICKETING_METRICS.namespace,
      {},
      [[]],
      [{ name: TICKETING_METRICS.failures, unit: 'Count', value: 1 }],
    );
  }
}
