import type { ComponentId } from '../../lib/config/constants';
import type { Fault } from '../twin/faults';
import { seededRandom } from '../twin/random';
import { STALL_CASES, type StallCase } from './stall-scenario';

/**
 * The bundled scenario's synthetic traces (no production data exists yet), generated the same for
 * a given seed: a working day of Odoo traffic with a flash crowd, and the generation queue's
 * arrivals with a campaign burst. Units: Odoo and n8n load in instance units (1 = one task at
 * 100 % CPU; for n8n one worker with all its job slots busy, which the twin turns into jobs,
 * sim/run/model.ts); the GPU fleet's load in generation jobs per minute.
 */
export const MINUTES_PER_DAY = 1440;

export function odooDay(seed = 7): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: MINUTES_PER_DAY }, (_, minute) => {
    const hour = minute / 60;
    // Office hours: a smooth rise from 06:00 to a 13:00 peak and back by 20:00.
    const daytime = hour >= 6 && hour <= 20 ? Math.sin((Math.PI * (hour - 6)) / 14) : 0;
    // Flash crowd: a campaign announcement at 11:00 triples traffic for 45 minutes (5-minute ramp).
    const sinceCrowd = minute - 11 * 60;
    const crowd = sinceCrowd >= 0 && sinceCrowd < 45 ? Math.min(1, (sinceCrowd + 1) / 5) * 3.5 : 0;
    const noise = (random() - 0.5) * 0.2;
    return Math.max(0.1, 0.8 + 1.8 * daytime + crowd + noise);
  });
}

export function generationDay(seed = 11): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: MINUTES_PER_DAY }, (_, minute) => {
    const hour = minute / 60;
    const daytime = hour >= 8 && hour <= 22 ? Math.sin((Math.PI * (hour - 8)) / 14) : 0;
    // A generation burst: a campaign asks for 25 images a minute for 40 minutes at 15:00.
    const sinceBurst = minute - 15 * 60;
    const burst = sinceBurst >= 0 && sinceBurst < 40 ? 22 : 0;
    return Math.max(0, 1 + 5 * daytime + burst + (random() - 0.5));
  });
}

/** The bundled day: each component with its per-minute load for one day. */
export function bundledDay(): Array<[ComponentId, number[]]> {
  const odoo = odooDay();
  return [
    ['odoo', odoo],
    ['n8n', odoo.map((v) => v * 0.4)],
    ['flux-gpu', generationDay()],
  ];
}

/** A scenario `npm start` runs: per component, a load and the AWS faults injected into it. */
export interface Scenario {
  /** Its folder under out/sim/. */
  readonly name: string;
  readonly title: string;
  readonly notes: readonly string[];
  readonly components: ReadonlyArray<{
    readonly component: ComponentId;
    readonly load: readonly number[];
    readonly faults: readonly Fault[];
  }>;
  /** Stalled-GPU cases replayed beside the day (sim/run/stall-scenario.ts). */
  readonly stalls?: readonly StallCase[];
  /** Whether the failed-backup case is replayed beside the day (sim/run/backup-scenario.ts). */
  readonly failedBackup?: boolean;
}

const minute = (hh: number, mm = 0) => hh * 60 + mm;

/**
 * The same day with AWS misbehaving: the control plane's UpdateService is throttled at the start
 * of the flash crowd (3 calls: its retries absorb them) and again 40 minutes later (8 calls: more
 * than the workflow's 6 attempts, so the action fails and escalates); ECS cannot place n8n tasks
 * for the 30 minutes of the crowd; EC2 has no GPU instances for the first 25 minutes of the burst.
 */
export const AWS_FAULTS: Readonly<Record<ComponentId, readonly Fault[]>> = {
  odoo: [
    { kind: 'api-throttling', atMinute: minute(11), calls: 3 },
    { kind: 'api-throttling', atMinute: minute(11, 40), calls: 8 },
  ],
  n8n: [{ kind: 'placement-failure', fromMinute: minute(11), toMinute: minute(11, 30) }],
  'flux-gpu': [{ kind: 'insufficient-gpu-capacity', fromMinute: minute(15), toMinute: minute(15, 25) }],
};

/** What `npm start` runs: the bundled day as it is, and the same day with AWS faults. */
export function bundledScenarios(): Scenario[] {
  const day = bundledDay();
  const notes = [
    'Synthetic traces (sim/run/scenario.ts): Odoo office-hours traffic with a 45-minute flash crowd at 11:00; n8n at 40 % of Odoo (in workers at full concurrency, arriving as jobs); generation jobs with a 40-minute burst at 15:00.',
  ];
  return [
    {
      name: 'bundled',
      title: 'InfluenceGen bundled scenario: one day',
      notes,
      components: day.map(([component, load]) => ({ component, load, faults: [] })),
      stalls: STALL_CASES,
      failedBackup: true,
    },
    {
      name: 'aws-faults',
      title: 'InfluenceGen bundled day with AWS faults',
      notes: [
        ...notes,
        'Faults: Odoo UpdateService throttled at 11:00 (3 calls) and 11:40 (8 calls, more than the workflow retries); n8n tasks cannot be placed 11:00-11:30; no GPU instances to launch 15:00-15:25. Placement and capacity faults hit every policy; throttling only the control plane.',
      ],
      components: day.map(([component, load]) => ({ component, load, faults: AWS_FAULTS[component] })),
    },
  ];
}
