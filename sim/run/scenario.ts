import type { ComponentId } from '../../lib/config/constants';
import { seededRandom } from '../twin/random';

/**
 * The bundled scenario's synthetic traces (no production data exists yet), generated the same for
 * a given seed: a working day of Odoo traffic with a flash crowd, and the generation queue's
 * arrivals with a campaign burst. Units: Odoo and n8n load in instance units (1 = one task at
 * 100 % CPU); the GPU fleet's load in generation jobs per minute.
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

/** The bundled scenario `npm start` runs: each component with its per-minute load for one day. */
export function bundledDay(): Array<[ComponentId, number[]]> {
  const odoo = odooDay();
  return [
    ['odoo', odoo],
    ['n8n', odoo.map((v) => v * 0.4)],
    ['flux-gpu', generationDay()],
  ];
}
