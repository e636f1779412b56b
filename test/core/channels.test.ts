import { channelsFor, fallbackChannelFor, isBusinessHours } from '../../lambdas/core/escalation/channels';

describe('business hours (08:00-18:00 UTC, Monday to Friday)', () => {
  test.each([
    ['2026-11-23T07:59:59Z', false],
    ['2026-11-23T08:00:00Z', true],
    ['2026-11-23T17:59:59Z', true],
    ['2026-11-23T18:00:00Z', false],
    ['2026-11-27T12:00:00Z', true], // Friday
    ['2026-11-28T12:00:00Z', false], // Saturday
    ['2026-11-29T12:00:00Z', false], // Sunday
  ])('%s -> %s', (at, expected) => {
    expect(isBusinessHours(new Date(at))).toBe(expected);
  });

  test('a configured time zone moves the window', () => {
    const berlin = { timezone: 'Europe/Berlin', startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5] };
    expect(isBusinessHours(new Date('2026-11-23T07:30:00Z'), berlin)).toBe(true); // 08:30 in Berlin
    expect(isBusinessHours(new Date('2026-11-23T17:30:00Z'), berlin)).toBe(false); // 18:30 in Berlin
  });
});

describe('routing', () => {
  const day = new Date('2026-11-23T10:00:00Z');
  const night = new Date('2026-11-23T23:00:00Z');
  test.each([
    ['Critical', false, day, ['pagerduty', 'sms', 'slack', 'email']],
    ['High', false, day, ['pagerduty', 'slack', 'email']],
    ['High', false, night, ['pagerduty', 'sms', 'slack', 'email']],
    ['Medium', false, day, ['slack', 'email']],
    ['Medium', false, night, ['email']],
    ['Low', false, day, ['email']],
    ['Critical', true, night, ['pagerduty-security', 'slack-security', 'email-security']],
    ['High', true, day, ['pagerduty-security', 'slack-security', 'email-security']],
    ['Medium', true, day, ['slack', 'email']],
  ] as const)('%s (security %s) at %s', (severity, security, at, channels) => {
    expect(channelsFor({ severity, security }, at)).toEqual(channels);
  });
});

describe('fallback channel (seed 004: email)', () => {
  test('a failing channel of a page falls back to email; of a security page, to the security email', () => {
    expect(fallbackChannelFor(['pagerduty', 'sms'])).toBe('email');
    expect(fallbackChannelFor(['pagerduty-security', 'slack-security', 'email-security'])).toBe(
      'email-security',
    );
  });
});
