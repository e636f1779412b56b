import type { OpsCommand } from '../command';
import { ackCommand } from './ack';
import { backupCheckCommand } from './backup';
import { blocksCommand } from './blocks';
import { catalogCommand } from './catalog';
import { declareMajorCommand } from './declare-major';
import { endMajorCommand } from './end-major';
import { gpuCheckCommand, gpuHistoryCommand } from './gpu';
import { incidentsCommand } from './incidents';
import { maintenanceCommand } from './maintenance';
import { routeCommand } from './route';
import { ledgerCommand, pauseCommand, resumeCommand, scaleCommand } from './scaling';
import { simulateCommand } from './simulate';
import { unblockCommand } from './unblock';

/** Every `ops` command, in the order `ops --help` lists them. */
export const COMMANDS: readonly OpsCommand[] = [
  incidentsCommand,
  ackCommand,
  declareMajorCommand,
  endMajorCommand,
  blocksCommand,
  unblockCommand,
  maintenanceCommand,
  scaleCommand,
  pauseCommand,
  resumeCommand,
  ledgerCommand,
  gpuCheckCommand,
  gpuHistoryCommand,
  backupCheckCommand,
  catalogCommand,
  routeCommand,
  simulateCommand,
];
