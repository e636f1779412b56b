import { PROBE_TARGETS, type ProbeTarget } from '../../lib/config/probes';

/** What the health probe function is told by its construct (PROBE_CONFIG). */
export interface ProbeConfig {
  /** The AZ the function runs in (its one subnet's); `multi-az` for the validation function. */
  readonly zone: string;
  /** Base URL of each target, e.g. https://erp.example.com (the path comes from lib/config/probes.ts). */
  readonly targets: Readonly<Record<ProbeTarget, string>>;
  readonly timeoutMs: number;
}

/** Reads PROBE_CONFIG; a missing or malformed field fails the invocation naming it. */
export function readProbeConfig(env: NodeJS.ProcessEnv = process.env): ProbeConfig {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(env.PROBE_CONFIG ?? '') as Record<string, unknown>;
  } catch {
    throw new Error('PROBE_CONFIG: must be JSON');
  }
  if (typeof raw.zone !== 'string' || raw.zone === '') throw new Error('PROBE_CONFIG.zone: must be a string');
  if (typeof raw.timeoutMs !== 'number' || raw.timeoutMs <= 0)
    throw new Error('PROBE_CONFIG.timeoutMs: must be a positive number');
  const targets = (raw.targets ?? {}) as Record<string, unknown>;
  for (const t of PROBE_TARGETS)
    if (typeof targets[t] !== 'string' || !/^https?:\/\//.test(targets[t]))
      throw new Error(`PROBE_CONFIG.targets.${t}: must be an http(s) URL`);
  return { zone: raw.zone, timeoutMs: raw.timeoutMs, targets: targets as Record<ProbeTarget, string> };
}
