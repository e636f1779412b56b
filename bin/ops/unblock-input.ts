import { parseIp } from '../../lambdas/core/edge/ip';
import { UsageError } from './errors';

/**
 * The address of `ops unblock IP` (which ends an edge block early, lambdas/aws/edge-blocks.ts
 * `unblock`) and `ops blocks IP`, checked before anything reaches AWS: one address (IPv4 or IPv6),
 * not a range, in the spelling the block list and its records hold (`203.0.113.7`, not
 * `203.0.113.007`).
 */
export function blockedAddress(value: unknown): string {
  const given = typeof value === 'string' ? value.trim() : '';
  if (!given) throw new UsageError('IP: required: the blocked address (203.0.113.7 or 2001:db8::7)');
  if (given.includes('/'))
    throw new UsageError(`IP: ${given} is a range; give one address (blocks are of single addresses)`);
  const ip = parseIp(given);
  if (!ip) throw new UsageError(`IP: ${given} is not an IPv4 or IPv6 address`);
  return ip.text;
}
