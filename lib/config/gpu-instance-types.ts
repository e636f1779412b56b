/**
 * GPU memory per GPU of the instance types Flux serving may run on. Seed 000 asks for at least
 * 16 GB of VRAM; a type missing from this table fails synth rather than being trusted blindly.
 * Figures from the EC2 accelerated-computing instance documentation.
 */
export const MIN_GPU_MEMORY_GIB = 16;

export const GPU_MEMORY_GIB: Readonly<Record<string, number>> = {
  'g4dn.xlarge': 16, // NVIDIA T4
  'g4dn.2xlarge': 16,
  'g5.xlarge': 24, // NVIDIA A10G
  'g5.2xlarge': 24,
  'g6.xlarge': 24, // NVIDIA L4
  'g6.2xlarge': 24,
  'g6e.xlarge': 48, // NVIDIA L40S
  'g6e.2xlarge': 48,
  'p3.2xlarge': 16, // NVIDIA V100
  'g4ad.xlarge': 8, // AMD Radeon Pro V520: listed so that it is rejected with a reason
  'g3s.xlarge': 8, // NVIDIA M60: likewise
};

/**
 * On-demand list price (USD per hour, Linux, us-east-1, 2025) of the types Flux may run on: the
 * platform dashboard's GPU spend is in-service hosts times the preferred (first) type's price. A
 * type allowed by the config but missing here fails synth, like a type missing from the table above.
 */
export const GPU_ON_DEMAND_USD_PER_HOUR: Readonly<Record<string, number>> = {
  'g4dn.xlarge': 0.526,
  'g4dn.2xlarge': 0.752,
  'g5.xlarge': 1.006,
  'g5.2xlarge': 1.212,
  'g6.xlarge': 0.8048,
  'g6.2xlarge': 0.9776,
  'g6e.xlarge': 1.861,
  'g6e.2xlarge': 2.242,
  'p3.2xlarge': 3.06,
};
