import type { MetricSpec } from './alert-schema';

/**
 * n8n as deployed and as tested: one pinned version for the container image and for the npm
 * package the conformance test runs (test/platform), so the version tested is the version deployed.
 * 1.122.5 is the newest release that installs from the npm registry alone and runs here (with the
 * `xlsx` override of scripts/install-n8n.sh): 1.123.x releases either fail to build a native module
 * or are not published to npm at all, and 2.x needs packages the registry does not serve.
 */
export const N8N_VERSION = '1.122.5';
export const N8N_IMAGE = `n8nio/n8n:${N8N_VERSION}`;

/**
 * Jobs one n8n worker runs at once (`n8n worker --concurrency`, n8n's default 10): the unit of the
 * worker fleet's queue rules and sizing (lib/config/components.ts) and every environment's setting.
 */
export const N8N_WORKER_CONCURRENCY = 10;

/** n8n's HTTP port (editor, API, webhooks, /healthz and /metrics on the main process). */
export const N8N_PORT = 5678;

/**
 * n8n's queue metrics (queue mode, `N8N_METRICS_INCLUDE_QUEUE_METRICS=true`), exposed by the main
 * process on /metrics in Prometheus format and brought into CloudWatch under these names by the
 * CloudWatch agent beside it (EMF). `ServiceName` is the worker service: the scaled component.
 */
export const N8N_QUEUE_METRICS = {
  namespace: 'InfluenceGen/N8n',
  waiting: 'n8n_scaling_mode_queue_jobs_waiting',
  active: 'n8n_scaling_mode_queue_jobs_active',
} as const;

export function n8nQueueMetric(depth: 'waiting' | 'active', statistic: MetricSpec['statistic']): MetricSpec {
  return {
    namespace: N8N_QUEUE_METRICS.namespace,
    metricName: N8N_QUEUE_METRICS[depth],
    dimensions: { ServiceName: 'service:n8n' },
    statistic,
  };
}
