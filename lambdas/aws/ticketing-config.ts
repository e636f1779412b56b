import type { TicketingConfig } from '../../lib/config/ticketing';
import { TICKETING_SYSTEMS } from '../../lib/config/ticketing-names';

type Path = readonly (string | number)[];

function fail(path: Path, message: string): never {
  throw new Error(`Invalid function configuration: ${['TICKETING', ...path].join('.')}: ${message}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function record(value: unknown, path: Path): Record<string, unknown> {
  return isRecord(value) ? value : fail(path, 'expected an object');
}

function text(value: unknown, path: Path): string {
  return typeof value === 'string' && value.length > 0 ? value : fail(path, 'expected a non-empty string');
}

function strings(value: unknown, keys: readonly string[], path: Path): void {
  const r = record(value, path);
  for (const key of keys) text(r[key], [...path, key]);
}

function optionals(
  value: unknown,
  keys: readonly string[],
  type: 'number' | 'string' | 'id',
  path: Path,
): void {
  const r = record(value, path);
  for (const key of keys) {
    const v = r[key];
    if (v === undefined) continue;
    const ok = type === 'id' ? typeof v === 'number' || typeof v === 'string' : typeof v === type;
    if (!ok) fail([...path, key], `expected a ${type === 'id' ? 'number or string' : type}`);
  }
}

/**
 * The ticket function's TICKETING variable: the configuration lib/config/ticketing.ts validated at
 * synth (defaults filled), checked again by hand for its shape, so that a hand-edited variable
 * fails naming the field. Not with the zod schema: zod would be most of the bundle
 * (test/config/ticketing.test.ts holds this check to the schema's output).
 */
export function readTicketing(env: NodeJS.ProcessEnv = process.env): TicketingConfig {
  let json: unknown;
  try {
    json = JSON.parse(env.TICKETING ?? '');
  } catch {
    return fail([], 'must be JSON');
  }
  const config = record(json, []);
  const system = config.system;
  if (!(TICKETING_SYSTEMS as readonly unknown[]).includes(system))
    fail(['system'], `expected one of ${TICKETING_SYSTEMS.join(', ')}`);
  if (system === 'none') return { system: 'none' };
  const url = text(config.url, ['url']);
  if (!URL.canParse(url)) fail(['url'], 'expected a URL');
  text(config.secret, ['secret']);
  strings(config.priorities, ['Critical', 'High', 'Medium'], ['priorities']);
  if (typeof config.timeoutMs !== 'number' || config.timeoutMs <= 0)
    fail(['timeoutMs'], 'expected a positive number');
  if (system === 'odoo-helpdesk') {
    for (const key of ['database', 'model', 'stageModel']) text(config[key], [key]);
    strings(config.fields, ['name', 'description', 'priority', 'team', 'user', 'stage'], ['fields']);
    optionals(config.assignment, ['teamId', 'userId'], 'number', ['assignment']);
    optionals(config.stages, ['acknowledged', 'resolved'], 'id', ['stages']);
  } else {
    for (const key of ['projectKey', 'issueType']) text(config[key], [key]);
    optionals(config.assignment, ['accountId'], 'string', ['assignment']);
    optionals(config.transitions, ['acknowledged', 'resolved'], 'string', ['transitions']);
    if (!Array.isArray(config.labels)) fail(['labels'], 'expected an array');
    config.labels.forEach((l, i) => text(l, ['labels', i]));
  }
  return config as TicketingConfig;
}
