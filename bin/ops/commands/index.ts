import type { OpsCommand } from '../command';
import { ackCommand } from './ack';
import { backupCheckCommand } from './backup';
import { catalogCommand } from './catalog';
import { gpuCheckCommand, gpuHistoryCommand } from './gpu';
import { incidentsCommand } from './incidents';
import { maintenanceCommand } from './maintenance';
import { routeCommand } from './route';
import { ledgerCommand, pauseCommand, resumeCommand, scaleCommand } from './scaling';
import { simulateCommand } from './simulate';

/** Every `ops` command, in the order `ops --help` lists them. */
export const COMMANDS: readonly OpsCommand[] = [
  incidentsCommand,
  ackCommand,
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
