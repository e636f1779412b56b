import { contains, hostCidr, parseCidr, parseIp } from '../../lambdas/core/edge/ip';
import { detect, verdict } from '../../lambdas/core/edge/detect';
import { failedLoginQuery, parseRows } from '../../lambdas/core/edge/query';

const ip = (text: string) => {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`${text} did not parse`);
  return parsed;
};
const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`${text} did not parse`);
  return parsed;
};

describe('IP addresses', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7', 4],
    ['2001:DB8:0:0:0:0:0:7', '2001:db8::7', 6],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', 6],
    ['::ffff:203.0.113.7', '203.0.113.7', 4],
    ['::ffff:cb00:7107', '203.0.113.7', 4],
    ['::1', '::1', 6],
  ] as const)('%s reads as %s (IPv%d)', (text, canonical, version) => {
    expect(ip(text)).toMatchObject({ text: canonical, version });
  });

  test.each([
    '203.0.113.007',
    '203.0.113.256',
    '1.2.3',
    '1.2.3.4.5',
    '2001:db8::1::2',
    '2001:db8:::1',
    'fe80::1%eth0',
    '12345::',
    '',
    'n/a',
  ])('%s is not an address', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  test('WAF takes single addresses as /32 and /128', () => {
    expect(hostCidr(ip('203.0.113.7'))).toBe('203.0.113.7/32');
    expect(hostCidr(ip('2001:db8::7'))).toBe('2001:db8::7/128');
  });
});

describe('CIDR ranges and containment', () => {
  test('containment at the edges of a range, IPv4 and IPv6, never across versions', () => {
    const v4 = cidr('198.51.100.0/22');
    expect(contains(v4, ip('198.51.100.0'))).toBe(true);
    expect(contains(v4, ip('198.51.103.255'))).toBe(true);
    expect(contains(v4, ip('198.51.104.0'))).toBe(false);
    expect(contains(v4, ip('198.51.99.255'))).toBe(false);
    const v6 = cidr('2001:db8:abcd::/48');
    expect(contains(v6, ip('2001:db8:abcd:ffff:ffff:ffff:ffff:ffff'))).toBe(true);
    expect(contains(v6, ip('2001:db8:abce::'))).toBe(false);
    expect(contains(cidr('0.0.0.0/0'), ip('2001:db8::1'))).toBe(false);
    expect(contains(cidr('::/0'), ip('203.0.113.7'))).toBe(false);
    // A mapped IPv6 spelling of an IPv4 client is that client.
    expect(contains(v4, ip('::ffff:198.51.101.9'))).toBe(true);
    expect(contains(cidr('203.0.113.7/32'), ip('203.0.113.7'))).toBe(true);
    expect(contains(cidr('203.0.113.7/32'), ip('203.0.113.8'))).toBe(false);
  });

  test.each([
    '203.0.113.7/24',
    '203.0.113.0/33',
    '2001:db8::1/64',
    '2001:db8::/129',
    '203.0.113.0',
    '203.0.113.0/24/1',
    '::ffff:203.0.113.0/120',
    'x/8',
  ])('%s is not a range (host bits set, too long a prefix, no prefix, mapped)', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

const THRESHOLDS = { failedLoginsPerAdmin: 5, distinctAdminAccounts: 3, adminLogins: ['admin'] };

describe('detect: both halves of Admin_Account_Brute_Force_Suspected', () => {
  const row = (ip: string, login: string, attempts: number, account = 'admin') => ({
    ip,
    login,
    account,
    attempts,
  });

  test('more than 5 on one admin, or more than 3 admins: suspects; at the thresholds: not', () => {
    const { suspects, maxAttemptsOnOneAdmin, maxDistinctAdmins } = detect(
      [
        row('203.0.113.1', 'root@x', 6),
        row('203.0.113.2', 'root@x', 5),
        ...['a', 'b', 'c', 'd'].map((l) => row('203.0.113.3', l, 1)),
        ...['a', 'b', 'c'].map((l) => row('203.0.113.4', l, 1)),
      ],
      THRESHOLDS,
    );
    expect(suspects.map((s) => [s.ip, s.halves])).toEqual([
      ['203.0.113.1', ['one-admin']],
      ['203.0.113.3', ['many-admins']],
    ]);
    expect(maxAttemptsOnOneAdmin).toBe(6);
    expect(maxDistinctAdmins).toBe(4);
  });

  test('one address spelt two ways counts once; logins differing in case are one account; users are not admins', () => {
    const { suspects } = detect(
      [
        row('203.0.113.1', 'Admin', 3, 'unknown'),
        row('::ffff:203.0.113.1', 'admin', 3, 'unknown'),
        row('198.51.100.1', 'someone', 50, 'user'),
      ],
      THRESHOLDS,
    );
    expect(suspects).toEqual([
      expect.objectContaining({ ip: '203.0.113.1', topAttempts: 6, distinctAdmins: 1 }),
    ]);
  });

  test('verdict: allow-listed, non-public and other-version addresses are refused with why', () => {
    expect(verdict('203.0.113.7', [], 4)).toEqual({
      action: 'block',
      ip: '203.0.113.7',
      cidr: '203.0.113.7/32',
      version: 4,
    });
    expect(verdict('203.0.113.7', ['203.0.112.0/23'], 4)).toMatchObject({
      action: 'refuse',
      reason: 'allow-listed (203.0.112.0/23)',
    });
    expect(verdict('172.20.1.1', [], 4)).toMatchObject({
      action: 'refuse',
      reason: expect.stringContaining('not a public address (172.16.0.0/12)'),
    });
    expect(verdict('2001:db8::7', [], 4)).toMatchObject({
      action: 'refuse',
      reason: 'an IPv6 address; the block list holds IPv4',
    });
    expect(verdict('n/a', [], 4)).toMatchObject({ action: 'refuse', reason: 'not an IP address' });
  });
});

describe('the Logs Insights query and its rows', () => {
  test('filters the addon lines to admins (by kind or configured login) and counts by ip, login, account', () => {
    expect(failedLoginQuery(['admin', 'Root'])).toBe(
      [
        'filter event = "login_failed" and (account = "admin" or lower(login) in ["admin", "root"])',
        'stats count(*) as attempts by ip, login, account',
        'limit 10000',
      ].join('\n| '),
    );
    expect(failedLoginQuery([])).toContain('filter event = "login_failed" and (account = "admin")\n');
  });

  test('a row missing a field or with a bad count is set apart with why', () => {
    const f = (field: string, value: string) => ({ field, value });
    const { rows, ignored } = parseRows([
      [f('ip', '203.0.113.7'), f('login', 'admin'), f('account', 'admin'), f('attempts', '6')],
      [f('ip', '203.0.113.8'), f('login', 'admin'), f('attempts', '6')],
      [f('ip', '203.0.113.9'), f('login', 'admin'), f('account', 'admin'), f('attempts', 'many')],
    ]);
    expect(rows).toEqual([{ ip: '203.0.113.7', login: 'admin', account: 'admin', attempts: 6 }]);
    expect(ignored.map((i) => i.reason)).toEqual(['missing account', 'attempts is not a positive integer']);
  });
});
