import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { N8N_PORT, N8N_QUEUE_METRICS } from '../../config/n8n';
import { retentionDays } from '../retention';

/**
 * The CloudWatch agent's image, pinned: a published tag of public.ecr.aws/cloudwatch-agent, moved
 * forward with the agent's releases (its Prometheus scraping and EMF output are stable).
 */
export const CLOUDWATCH_AGENT_IMAGE = 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.247357.0b252275';
export const METRICS_AGENT_CONTAINER = 'metrics-agent';
const JOB = 'n8n';

/** The Prometheus scrape of the main process's own /metrics, labelled with the worker service. */
export function prometheusScrapeConfig(workerServiceName: string): string {
  return [
    'global:',
    '  scrape_interval: 30s',
    '  scrape_timeout: 10s',
    'scrape_configs:',
    `  - job_name: ${JOB}`,
    '    metrics_path: /metrics',
    '    static_configs:',
    `      - targets: ['localhost:${N8N_PORT}']`,
    '        labels:',
    `          ServiceName: ${workerServiceName}`,
  ].join('\n');
}

/**
 * The agent's configuration: the queue metrics (and only them) as EMF into the given log group,
 * in the n8n namespace, with the worker service as their one dimension.
 */
export function cloudWatchAgentConfig(logGroupName: string): Record<string, unknown> {
  return {
    logs: {
      metrics_collected: {
        prometheus: {
          prometheus_config_path: 'env:PROMETHEUS_CONFIG_CONTENT',
          log_group_name: logGroupName,
          emf_processor: {
            metric_namespace: N8N_QUEUE_METRICS.namespace,
            metric_declaration: [
              {
                source_labels: ['job'],
                label_matcher: `^${JOB}$`,
                dimensions: [['ServiceName']],
                metric_selectors: [`^(${N8N_QUEUE_METRICS.waiting}|${N8N_QUEUE_METRICS.active})$`],
              },
            ],
          },
        },
      },
      force_flush_interval: 15,
    },
  };
}

/**
 * The CloudWatch agent beside n8n's main process: it scrapes n8n's Prometheus endpoint (queue mode
 * with N8N_METRICS_INCLUDE_QUEUE_METRICS: jobs waiting and active in the Bull queue, which only
 * the main process reports) and publishes the two queue metrics through EMF, so the worker service
 * can be scaled on its queue. An agent per main task (there is one) costs no extra task.
 */
export function addMetricsAgent(
  scope: Construct,
  taskDefinition: ecs.FargateTaskDefinition,
  props: { workerServiceName: string; key: kms.IKey; logRetentionDays: number; logDriver: ecs.LogDriver },
): logs.LogGroup {
  const emf = new logs.LogGroup(scope, 'QueueMetrics', {
    retention: retentionDays(props.logRetentionDays),
    encryptionKey: props.key,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  emf.grantWrite(taskDefinition.taskRole);
  taskDefinition.addContainer(METRICS_AGENT_CONTAINER, {
    image: ecs.ContainerImage.fromRegistry(CLOUDWATCH_AGENT_IMAGE),
    essential: false,
    memoryLimitMiB: 128,
    logging: props.logDriver,
    environment: {
      CW_CONFIG_CONTENT: Stack.of(scope).toJsonString(cloudWatchAgentConfig(emf.logGroupName)),
      PROMETHEUS_CONFIG_CONTENT: prometheusScrapeConfig(props.workerServiceName),
    },
  });
  return emf;
}
