import type { Baseline, Observation } from './types';

export interface OracleOptions {
  /** Per minute, the whole instances the SLO needs (SPEC-RG demand, uncapped). */
  readonly need: readonly number[];
  /** The longest boot: capacity asked for now serves within this many seconds. */
  readonly maxBootSeconds: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Perfect foresight: the physical limit of what any policy could do. At the end of each minute it
 * asks for the most instances any minute needs from the next one until the longest boot has passed
 * (a Fargate task 1 minute, a GPU host up to 8), capped by the component's maximum. Why the maximum
 * over that window and not the next minute's need alone: capacity needed again within a boot delay
 * cannot be stopped and started in time, so the cheapest fleet that never falls short holds it.
 * What it still violates no policy can avoid: demand above the maximum, and the first minutes, before
 * anything asked for at the start has booted.
 *
 * The twin samples a minute's capacity at its end, after the policies have decided (so a scale-in
 * at the end of minute m already counts in m), and launches at the minute's last 15-second step (so
 * a task asked for at the end of minute m serves from minute m + ceil(boot / 60)): the window is
 * minute m and the K = ceil(maxBootSeconds / 60) after it.
 */
export function oracle(options: OracleOptions): Baseline {
  const { need, min, max } = options;
  if (!(options.maxBootSeconds > 0)) throw new Error('oracle: maxBootSeconds must be positive');
  const horizon = Math.ceil(options.maxBootSeconds / 60);
  return {
    name: `oracle(${horizon} min ahead)`,
    periodSeconds: 60,
    decide(obs: Observation): number {
      const minute = Math.round(obs.time / 60) - 1;
      return oracleCapacity(need, minute, horizon + 1, min, max);
    },
  };
}

/** The most any of minutes [from, from + horizon) needs, within [min, max]; past the end, the minimum. */
export function oracleCapacity(
  need: readonly number[],
  from: number,
  horizon: number,
  min: number,
  max: number,
): number {
  let most = min;
  for (let m = from; m < Math.min(need.length, from + horizon); m++) most = Math.max(most, need[m] as number);
  return Math.min(max, most);
}
