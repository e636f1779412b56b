import type { IpSetRef } from './edge-waf';

/**
 * The edge-block function's EDGE_BLOCKING_CONFIG: the environment's edgeBlocking settings
 * (validated at synth by lib/config/edge-blocking.ts) with the deployed names it works on: the WAF
 * IP set and the Odoo log group. Checked here for shape by hand, not with zod: zod/mini alone is
 * 17 KiB, which this bundle (four SDK clients) cannot spare under the 300 KiB budget. An error
 * names the variable and the field, as readJsonVariable's do.
 */
export interface EdgeSettings {
  readonly blockingEnabled: boolean;
  readonly windowMinutes: number;
  readonly failedLoginsPerAdmin: number;
  readonly distinctAdminAccounts: number;
  readonly blockMinutes: number;
  readonly adminLogins: readonly string[];
  readonly allowList: readonly string[];
  readonly maxBlockedAddresses: number;
  readonly queryTimeoutSeconds: number;
}

export interface EdgeFunctionConfig {
  readonly settings: EdgeSettings;
  readonly ipSet: IpSetRef & { readonly version: 'IPV4' | 'IPV6' };
  readonly logGroupName: string;
}

const NAME = 'EDGE_BLOCKING_CONFIG';

function fail(path: string, message: string): never {
  throw new Error(`Invalid function configuration: ${NAME}.${path}: ${message}`);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'expected an object');
  return value as Record<string, unknown>;
}

function positive(value: unknown, path: string): number {
  if (typeof value !== 'number' || !(value > 0)) fail(path, 'expected a positive number');
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'expected a non-empty string');
  return value;
}

function texts(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) fail(path, 'expected an array');
  return value.map((v, i) => text(v, `${path}.${i}`));
}

function oneOf<T extends string>(value: unknown, options: readonly T[], path: string): T {
  if (!(options as readonly unknown[]).includes(value)) fail(path, `expected one of ${options.join('|')}`);
  return value as T;
}

export function parseEdgeConfig(raw: unknown): EdgeFunctionConfig {
  const root = record(raw, '');
  const s = record(root.settings, 'settings');
  if (typeof s.blockingEnabled !== 'boolean') fail('settings.blockingEnabled', 'expected a boolean');
  const ipSet = record(root.ipSet, 'ipSet');
  return {
    settings: {
      blockingEnabled: s.blockingEnabled,
      windowMinutes: positive(s.windowMinutes, 'settings.windowMinutes'),
      failedLoginsPerAdmin: positive(s.failedLoginsPerAdmin, 'settings.failedLoginsPerAdmin'),
      distinctAdminAccounts: positive(s.distinctAdminAccounts, 'settings.distinctAdminAccounts'),
      blockMinutes: positive(s.blockMinutes, 'settings.blockMinutes'),
      adminLogins: texts(s.adminLogins, 'settings.adminLogins'),
      allowList: texts(s.allowList, 'settings.allowList'),
      maxBlockedAddresses: positive(s.maxBlockedAddresses, 'settings.maxBlockedAddresses'),
      queryTimeoutSeconds: positive(s.queryTimeoutSeconds, 'settings.queryTimeoutSeconds'),
    },
    ipSet: {
      name: text(ipSet.name, 'ipSet.name'),
      id: text(ipSet.id, 'ipSet.id'),
      scope: oneOf(ipSet.scope, ['REGIONAL', 'CLOUDFRONT'] as const, 'ipSet.scope'),
      version: oneOf(ipSet.version, ['IPV4', 'IPV6'] as const, 'ipSet.version'),
    },
    logGroupName: text(root.logGroupName, 'logGroupName'),
  };
}

export function readEdgeConfig(env: NodeJS.ProcessEnv = process.env): EdgeFunctionConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(env[NAME] ?? '');
  } catch {
    throw new Error(`Invalid function configuration: ${NAME}: must be JSON`);
  }
  return parseEdgeConfig(raw);
}
