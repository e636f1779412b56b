/**
 * What the workflows' functions read of the environment's config (their *_CONFIG variables, less
 * the deployed resources' names). Plain functions of the config, so the constructs (which put them
 * in the functions' environment), the simulator and the workflow tests share them without CDK.
 */
import type { PlatformConfig } from './index';
import { alarmNamePrefix } from './naming';

/**
 * What the scaling functions need of the environment's config (the SCALING_CONFIG variable, less
 * the deployed resources' names); the workflow tests build their functions' config from it too.
 */
export function scalingSettings(config: PlatformConfig) {
  return {
    scalingEnabled: config.env.scaling.enabled,
    aggressiveness: config.env.scaling.aggressiveness,
    costPriority: config.env.scaling.costPriority,
    capacity: {
      odoo: config.components.odoo.capacity,
      n8n: config.components.n8n.capacity,
      'flux-gpu': config.components['flux-gpu'].capacity,
    },
    maxScalingRate: config.env.scaling.maxScalingRate ?? {},
    databaseMaxConnections: config.env.database.maxConnections,
    gpu: {
      jobsPerGpuPerMinute: config.env.flux.jobsPerGpuPerMinute,
      backlogDrainMinutes: config.env.flux.backlogDrainMinutes,
    },
  };
}

/** The stall functions' STALL_CONFIG (lambdas/aws/stall-config.ts), less the deployed names. */
export function stallSettings(config: PlatformConfig) {
  const s = config.env.gpuStall;
  return {
    detection: {
      windowMinutes: s.windowMinutes,
      minDatapoints: s.minDatapoints,
      taskStartGraceMinutes: s.taskStartGraceMinutes,
    },
    budget: { maxReplacementsPerHour: s.maxReplacementsPerHour, maxFleetShare: s.maxFleetShare },
    restartWaitSeconds: s.restartWaitSeconds,
    replaceWaitSeconds: s.replaceWaitSeconds,
    claimSlackMinutes: s.claimSlackMinutes,
    // The composite alarm's name: its return to OK resolves the incident the workflow opened.
    subject: `${alarmNamePrefix(config.env.name)}AI_Service_Stalled`,
  };
}

/** The backup function's BACKUP_CONFIG (lambdas/aws/backup-config.ts), less the deployed names. */
export function backupSettings(config: PlatformConfig) {
  const b = config.env.backup;
  return {
    rerunPoll: b.rerunPoll,
    rerunClaimSlackMinutes: b.rerunClaimSlackMinutes,
    jobsLookbackHours: b.jobsLookbackHours,
    retention: {
      continuousRetentionDays: b.continuousRetentionDays,
      dailyRetentionDays: b.dailyRetentionDays,
      frequentRetentionDays: b.filestoreFrequentRetentionDays,
    },
  };
}

/** What each backup plan must keep (lambdas/core/backup/retention.ts), less its deployed id. */
export function planRequirements(config: PlatformConfig) {
  return {
    main: { label: 'database and images', continuous: true, everyMinutes: null },
    filestore: {
      label: 'filestore',
      continuous: false,
      everyMinutes: config.env.backup.filestoreBackupEveryMinutes,
    },
  } as const;
}
