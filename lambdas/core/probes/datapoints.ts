import { PROBE_METRICS } from '../../../lib/config/probes';
import { emfDocument } from '../emf';
import type { ProbeResult } from './judge';

/**
 * One probe's datapoints: ProbeSuccess (1 healthy, 0 not) and ProbeLatencyMs, twice over:
 * - by Target and AvailabilityZone: the quorum alarm reads each AZ's agent on its own;
 * - by Target alone: CloudWatch aggregates the three agents, so the SLO reads all probes of a target
 *   as one series (SampleCount = probes made, Sum = probes that succeeded).
 */
export function probeDocument(result: ProbeResult, zone: string, at: Date): Record<string, unknown> {
  return emfDocument(
    PROBE_METRICS.namespace,
    { Target: result.target, AvailabilityZone: zone },
    [['Target', 'AvailabilityZone'], ['Target']],
    [
      { name: PROBE_METRICS.success, unit: 'Count', value: result.status === 'HEALTHY' ? 1 : 0 },
      { name: PROBE_METRICS.latency, unit: 'Milliseconds', value: result.durationMs },
    ],
    at,
  );
}
