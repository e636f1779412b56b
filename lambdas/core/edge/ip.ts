/**
 * IP addresses and CIDR ranges for the edge block list: parsed strictly, compared as numbers.
 * Pure (no node:net), so the config schema, the detector and `ops unblock` share one reading.
 */

export type IpVersion = 4 | 6;

export interface IpAddress {
  readonly version: IpVersion;
  /** The address as a number: 32 bits for IPv4, 128 for IPv6. */
  readonly value: bigint;
  /** The one spelling of the address: dotted quad, or RFC 5952 compressed lower case. */
  readonly text: string;
}

export interface CidrRange {
  readonly version: IpVersion;
  readonly network: bigint;
  readonly prefix: number;
  readonly text: string;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** Four decimal octets, no leading zeros (010 reads as octal in some parsers, so it is refused). */
const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

function parseIpv4(text: string): bigint | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  // Zone ids (fe80::1%eth0) name a local interface: never a client's address.
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return undefined;
  let head = text;
  let tail: bigint[] = [];
  // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
    tail = [v4];
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let value = all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tail.length) value = (value & ~0xffffffffn) | (tail[0] as bigint);
  return value;
}

function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** RFC 5952: lower case, no leading zeros, the longest run (2+) of zero groups as `::`. */
function ipv6Text(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  const left = hex.slice(0, best.start).join(':');
  const right = hex.slice(best.start + best.length).join(':');
  return `${left}::${right}`;
}

const MAPPED_PREFIX = 0xffffn << 32n;

/**
 * The address `text` spells, or undefined. An IPv4-mapped IPv6 address (::ffff:192.0.2.1, as a
 * dual-stack socket reports an IPv4 client) is that IPv4 address: it is blocked as one.
 */
export function parseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  const v4 = parseIpv4(trimmed);
  if (v4 !== undefined) return { version: 4, value: v4, text: ipv4Text(v4) };
  const v6 = parseIpv6(trimmed);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === MAPPED_PREFIX >> 32n)
    return { version: 4, value: v6 & 0xffffffffn, text: ipv4Text(v6 & 0xffffffffn) };
  return { version: 6, value: v6, text: ipv6Text(v6) };
}

/** `a.b.c.d/n` or `v6/n`, with no host bits set (203.0.113.7/24 is refused: say 203.0.113.0/24). */
export function parseCidr(text: string): CidrRange | undefined {
  const [address, prefixText, ...rest] = text.trim().split('/');
  if (rest.length || address === undefined || prefixText === undefined || !/^\d{1,3}$/.test(prefixText))
    return undefined;
  const ip = parseIp(address);
  // A mapped address is not a way to write an IPv4 range: its prefix would count IPv6 bits.
  if (!ip || (ip.version === 4 && address.includes(':'))) return undefined;
  const prefix = Number(prefixText);
  const bits = BITS[ip.version];
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  if (ip.value & ((1n << hostBits) - 1n)) return undefined;
  return { version: ip.version, network: ip.value, prefix, text: `${ip.text}/${prefix}` };
}

/** Whether `ip` lies in `range` (never across versions). */
export function contains(range: CidrRange, ip: IpAddress): boolean {
  if (range.version !== ip.version) return false;
  const hostBits = BigInt(BITS[ip.version] - range.prefix);
  return ip.value >> hostBits === range.network >> hostBits;
}

/** The single-address range WAF takes for `ip`: /32 or /128. */
export function hostCidr(ip: IpAddress): string {
  return `${ip.text}/${BITS[ip.version]}`;
}

/**
 * Ranges no client of a public load balancer can come from: private, loopback, link-local, shared
 * (CGNAT), unique-local and unspecified. An address in one of them in Odoo's log is a proxy's or
 * the load balancer's own (Odoo applies X-Forwarded-For only when X-Forwarded-Host is present):
 * blocking it would block nobody at the edge, or everybody behind that proxy.
 */
export const NON_PUBLIC_RANGES: readonly CidrRange[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::/128',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
].map((text) => parseCidr(text) as CidrRange);
