import {
  GPU_DISK_METRIC_NAME,
  GPU_DISK_PATHS,
  GPU_METRIC_NAMES,
  GPU_METRICS_NAMESPACE,
} from '../../config/gpu-metrics';

/**
 * The CloudWatch agent's configuration on each GPU host: its `nvidia_gpu` section publishes
 * GPU_METRIC_NAMES, its `disk` section the root volume's used % (GPU_DISK_METRIC_NAME).
 */
export function gpuAgentConfig(): string {
  const config = {
    agent: { metrics_collection_interval: 60, run_as_user: 'root' },
    metrics: {
      namespace: GPU_METRICS_NAMESPACE,
      append_dimensions: {
        InstanceId: '${aws:InstanceId}',
        AutoScalingGroupName: '${aws:AutoScalingGroupName}',
      },
      aggregation_dimensions: [['AutoScalingGroupName'], ['InstanceId']],
      metrics_collected: {
        nvidia_gpu: {
          // The agent names each measurement `nvidia_smi_<measurement>`: ask for exactly the ones read.
          measurement: Object.values(GPU_METRIC_NAMES).map((name) => name.replace(/^nvidia_smi_/, '')),
          metrics_collection_interval: 60,
        },
        disk: {
          // The agent names it `disk_<measurement>`; the forecast reads hourly maxima, so five minutes is plenty.
          measurement: [GPU_DISK_METRIC_NAME.replace(/^disk_/, '')],
          resources: [...GPU_DISK_PATHS],
          // Without the device dimension the series of a path survives a device rename (xvda/nvme0n1p1).
          drop_device: true,
          metrics_collection_interval: 300,
        },
      },
    },
  };
  return JSON.stringify(config);
}
