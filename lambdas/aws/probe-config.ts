import * as z from 'zod/mini';
import { PROBE_TARGETS, type ProbeTarget } from '../../lib/config/probes';
import { readJsonVariable } from './json-variable';

/** What the health probe function is told by its construct (PROBE_CONFIG). */
export interface ProbeConfig {
  /** The AZ the function runs in (its one subnet's); `multi-az` for the validation function. */
  readonly zone: string;
  /** Base URL of each target, e.g. https://erp.example.com (the path comes from lib/config/probes.ts). */
  readonly targets: Readonly<Record<ProbeTarget, string>>;
  readonly timeoutMs: number;
}

const baseUrl = z.string().check(z.regex(/^https?:\/\//, 'must be an http(s) URL'));
const ProbeConfigSchema = z.object({
  zone: z.string().check(z.minLength(1)),
  timeoutMs: z.number().check(z.positive()),
  targets: z.object(
    Object.fromEntries(PROBE_TARGETS.map((t) => [t, baseUrl])) as Record<ProbeTarget, typeof baseUrl>,
  ),
});

/** Reads PROBE_CONFIG; a missing or malformed field fails the invocation naming it. */
export function readProbeConfig(env: NodeJS.ProcessEnv = process.env): ProbeConfig {
  return readJsonVariable(env, 'PROBE_CONFIG', ProbeConfigSchema);
}
