/**
 * What the CloudWatch agent on each GPU host publishes (its `nvidia_gpu` section). The names are
 * the agent's own (`nvidia_smi_<measurement>`); the stall detector and the scaling engine read them
 * per InstanceId, and the fleet view aggregates them per AutoScalingGroupName.
 */
export const GPU_METRICS_NAMESPACE = 'InfluenceGen/GPU';

export const GPU_METRIC_NAMES = {
  utilization: 'nvidia_smi_utilization_gpu',
  memoryUtilization: 'nvidia_smi_utilization_memory',
  memoryUsed: 'nvidia_smi_memory_used',
  memoryTotal: 'nvidia_smi_memory_total',
  temperature: 'nvidia_smi_temperature_gpu',
} as const;

/**
 * The root volume's used %, from the agent's `disk` section: the one volume of a GPU host (the ECS
 * GPU AMI keeps the OS, the container images and the containers' writable layers on /dev/xvda), and
 * the one a host can fill. The disk forecast (lambdas/disk-forecast) reads it per InstanceId.
 */
export const GPU_DISK_METRIC_NAME = 'disk_used_percent';
export const GPU_DISK_PATHS = ['/'] as const;
