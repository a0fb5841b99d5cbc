import {
  activeExceptions,
  daysLeft,
  exceptionStatus,
  exceptionsForAccount,
  expiredExceptions,
  expiringWithin,
  isExpiringSoon,
  EXPIRY_WARNING_DAYS,
} from '../../model/exceptions.js';
import { exceptionView } from '../../rollout/report/report.js';
import { loadEnvironment } from '../../model/load.js';
import type { EnforcementException } from '../../model/types.js';

const exc = (id: string, expires: string): EnforcementException => ({
  id,
  target: '444444444441',
  changes: { system: 'selective' },
  owner: 'o',
  reason: 'r',
  approver: 'a',
  expires,
});

describe('exception expiry: applies through the end of its expiry day (UTC)', () => {
  const x = exc('E1', '2026-10-31');
  test.each([
    ['2026-10-30T12:00:00.000Z', 'active'],
    ['2026-10-31T00:00:00.000Z', 'active'],
    ['2026-10-31T23:59:59.999Z', 'active'],
    ['2026-11-01T00:00:00.000Z', 'expired'],
    ['2027-01-01T00:00:00.000Z', 'expired'],
  ])('at %s it is %s', (at, status) => {
    expect(exceptionStatus(x, new Date(at))).toBe(status);
  });

  test('a local time zone does not shift the boundary (UTC+14 evening of the 31st is already November in UTC)', () => {
    expect(exceptionStatus(x, new Date('2026-11-01T09:00:00+14:00'))).toBe('active'); // 2026-10-31T19:00Z
    expect(exceptionStatus(x, new Date('2026-10-31T20:00:00-05:00'))).toBe('expired'); // 2026-11-01T01:00Z
  });

  test('daysLeft counts whole days, 0 on the last day', () => {
    expect(daysLeft(x, new Date('2026-10-31T08:00:00Z'))).toBe(0);
    expect(daysLeft(x, new Date('2026-10-21T08:00:00Z'))).toBe(10);
    expect(daysLeft(x, new Date('2026-11-02T08:00:00Z'))).toBeLessThan(0);
  });
});

describe('lists', () => {
  const env = { exceptions: [exc('A', '2026-11-30'), exc('B', '2026-10-31'), exc('C', '2027-06-30'), exc('D', '2026-12-10')] };
  const asOf = new Date('2026-11-25T10:00:00Z');

  test('active and expired partition the exceptions', () => {
    expect(activeExceptions(env, asOf).map((x) => x.id)).toEqual(['A', 'C', 'D']);
    expect(expiredExceptions(env, asOf).map((x) => x.id)).toEqual(['B']);
  });

  test('expiringWithin lists active ones ending within N days, soonest first', () => {
    expect(expiringWithin(env, asOf, 7).map((x) => x.id)).toEqual(['A']);
    expect(expiringWithin(env, asOf, 30).map((x) => x.id)).toEqual(['A', 'D']);
    expect(expiringWithin(env, asOf, 0).map((x) => x.id)).toEqual([]);
  });
});

describe('expiring soon: ≤ 30 days left (docs/rollout.md), one rule for the list, the report and `exceptions check`', () => {
  // `expires` N calendar days after the as-of date leaves N whole days (daysLeft), at any time of that day.
  test.each([
    ['2026-11-25T00:00:00Z', '2026-12-24', 29, true],
    ['2026-11-25T00:00:00Z', '2026-12-25', 30, true],
    ['2026-11-25T00:00:00Z', '2026-12-26', 31, false],
    ['2026-11-25T12:00:00Z', '2026-12-24', 29, true],
    ['2026-11-25T12:00:00Z', '2026-12-25', 30, true],
    ['2026-11-25T23:59:59Z', '2026-12-26', 31, false],
  ])('as of %s, expires %s: %i days left, expiring soon = %s', (at, expires, days, soon) => {
    const asOf = new Date(at);
    const x = exc('E', expires);
    expect(daysLeft(x, asOf)).toBe(days);
    expect(EXPIRY_WARNING_DAYS).toBe(30);
    expect(isExpiringSoon(x, asOf)).toBe(soon);
    expect(expiringWithin({ exceptions: [x] }, asOf).map((e) => e.id)).toEqual(soon ? ['E'] : []);
    expect(exceptionView(x, asOf)).toMatchObject({ daysLeft: days, status: soon ? 'expiring-soon' : 'active' });
  });

  test('the last day (0 left) is expiring soon; the day after it is expired, not expiring', () => {
    const x = exc('E', '2026-11-25');
    expect(isExpiringSoon(x, new Date('2026-11-25T23:59:59Z'))).toBe(true);
    expect(isExpiringSoon(x, new Date('2026-11-26T00:00:00Z'))).toBe(false);
    expect(exceptionView(x, new Date('2026-11-26T00:00:00Z')).status).toBe('expired');
  });
});

test('exceptionsForAccount resolves OU targets to the accounts below them', async () => {
  const env = await loadEnvironment('sandbox');
  const inDev = '555555555551';
  // EXC-2026-002 targets the Dev OU but expired on 2026-10-31.
  expect(exceptionsForAccount(env, inDev, new Date('2026-10-15T00:00:00Z')).map((x) => x.id)).toEqual(['EXC-2026-002']);
  expect(exceptionsForAccount(env, inDev, new Date('2026-11-25T00:00:00Z'))).toEqual([]);
  expect(exceptionsForAccount(env, '444444444443', new Date('2026-11-25T00:00:00Z')).map((x) => x.id)).toEqual(['EXC-2026-001']);
});
