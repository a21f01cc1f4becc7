// Quiet hours: local wall-clock windows in explicit time zones, so the table holds in any zone the
// suite runs in (npm run test:clock), across midnight and across daylight-saving changes.
import { describe, expect, it } from 'vitest';
import type { QuietHours } from '../../src-main/shared/notify.js';
import { isQuiet, minutesOf, quietEndsAt } from '../../src-main/shared/quiet-hours.js';

const night: QuietHours = { from: '22:00', to: '07:00' };
const day: QuietHours = { from: '09:00', to: '17:30' };
const never: QuietHours = { from: '08:00', to: '08:00' };

describe('quiet hours: isQuiet (from inclusive, to exclusive, local time)', () => {
  it.each([
    // window, instant (UTC), zone, quiet?
    [night, '2024-06-01T21:59:59Z', 'UTC', false],
    [night, '2024-06-01T22:00:00Z', 'UTC', true],
    [night, '2024-06-01T23:59:00Z', 'UTC', true],
    [night, '2024-06-02T00:00:00Z', 'UTC', true],
    [night, '2024-06-02T06:59:59Z', 'UTC', true],
    [night, '2024-06-02T07:00:00Z', 'UTC', false],
    [night, '2024-06-02T12:00:00Z', 'UTC', false],
    // 22:00 in New York (EDT, UTC-4) is 02:00 UTC the next day
    [night, '2024-06-02T02:00:00Z', 'America/New_York', true],
    [night, '2024-06-01T22:00:00Z', 'America/New_York', false],
    // 22:00 in Kiritimati (UTC+14) is 08:00 UTC the same day
    [night, '2024-06-01T08:00:00Z', 'Pacific/Kiritimati', true],
    [day, '2024-06-01T08:59:00Z', 'UTC', false],
    [day, '2024-06-01T09:00:00Z', 'UTC', true],
    [day, '2024-06-01T17:29:00Z', 'UTC', true],
    [day, '2024-06-01T17:30:00Z', 'UTC', false],
    [never, '2024-06-01T08:00:00Z', 'UTC', false],
    [never, '2024-06-01T03:00:00Z', 'UTC', false],
    // New York spring forward (2024-03-10, 02:00 EST → 03:00 EDT): 01:59 EST and 03:00 EDT
    [{ from: '01:00', to: '03:00' }, '2024-03-10T06:59:00Z', 'America/New_York', true],
    [{ from: '01:00', to: '03:00' }, '2024-03-10T07:00:00Z', 'America/New_York', false],
    // New York fall back (2024-11-03, 02:00 EDT → 01:00 EST): both 01:30s are quiet
    [{ from: '01:00', to: '02:00' }, '2024-11-03T05:30:00Z', 'America/New_York', true],
    [{ from: '01:00', to: '02:00' }, '2024-11-03T06:30:00Z', 'America/New_York', true],
    [{ from: '01:00', to: '02:00' }, '2024-11-03T07:00:00Z', 'America/New_York', false],
  ])('%o at %s in %s → %s', (q, at, zone, quiet) => {
    expect(isQuiet(q, new Date(at), zone)).toBe(quiet);
  });

  it('a malformed time never makes it quiet', () => {
    expect(isQuiet({ from: '25:00', to: '07:00' }, new Date('2024-06-01T23:00:00Z'), 'UTC')).toBe(
      false,
    );
    expect(minutesOf('7:00')).toBeUndefined();
    expect(minutesOf('07:00')).toBe(420);
  });
});

describe('quiet hours: quietEndsAt (next local `to`, daylight-saving safe)', () => {
  it.each([
    // window, at (UTC), zone, ends (UTC)
    [
      'plain night, before midnight',
      night,
      '2024-06-01T23:00:00Z',
      'UTC',
      '2024-06-02T07:00:00.000Z',
    ],
    [
      'plain night, after midnight',
      night,
      '2024-06-02T03:00:00Z',
      'UTC',
      '2024-06-02T07:00:00.000Z',
    ],
    [
      'exactly at `to`: the next one',
      night,
      '2024-06-02T07:00:00Z',
      'UTC',
      '2024-06-03T07:00:00.000Z',
    ],
    // New York: the night of the spring-forward change is an hour shorter; 07:00 is EDT (UTC-4)
    [
      'NY spring forward night',
      night,
      '2024-03-10T03:00:00Z',
      'America/New_York',
      '2024-03-10T11:00:00.000Z',
    ],
    // `to` in the skipped hour (02:30 never happens on 2024-03-10): the jump, 03:00 EDT = 07:00Z
    [
      'NY `to` skipped',
      { from: '01:00', to: '02:30' },
      '2024-03-10T06:15:00Z',
      'America/New_York',
      '2024-03-10T07:00:00.000Z',
    ],
    // New York fall back: the night is an hour longer; 07:00 EST is 12:00Z
    [
      'NY fall back night',
      night,
      '2024-11-03T03:00:00Z',
      'America/New_York',
      '2024-11-03T12:00:00.000Z',
    ],
    // `to` in the repeated hour (01:30 happens twice on 2024-11-03): the first, 01:30 EDT = 05:30Z
    [
      'NY `to` repeated',
      { from: '23:00', to: '01:30' },
      '2024-11-03T04:00:00Z',
      'America/New_York',
      '2024-11-03T05:30:00.000Z',
    ],
    // London spring forward 2024-03-31 01:00 GMT → 02:00 BST; `to` 01:30 is skipped → 01:00Z
    [
      'London `to` skipped',
      { from: '23:00', to: '01:30' },
      '2024-03-30T23:30:00Z',
      'Europe/London',
      '2024-03-31T01:00:00.000Z',
    ],
    // London fall back 2024-10-27 02:00 BST → 01:00 GMT; `to` 01:30 repeated → first, 00:30Z
    [
      'London `to` repeated',
      { from: '23:00', to: '01:30' },
      '2024-10-26T22:30:00Z',
      'Europe/London',
      '2024-10-27T00:30:00.000Z',
    ],
    // Lord Howe: a 30-minute shift. 2024-10-06 02:00 +10:30 → 02:30 +11; `to` 02:15 is skipped:
    // the jump, 02:30 +11 = 15:30Z the day before
    [
      'Lord Howe `to` skipped',
      { from: '22:00', to: '02:15' },
      '2024-10-05T12:00:00Z',
      'Australia/Lord_Howe',
      '2024-10-05T15:30:00.000Z',
    ],
    // 2024-04-07 02:00 +11 → 01:30 +10:30; `to` 01:45 is repeated: the first, 01:45 +11 = 14:45Z
    [
      'Lord Howe `to` repeated',
      { from: '22:00', to: '01:45' },
      '2024-04-06T12:00:00Z',
      'Australia/Lord_Howe',
      '2024-04-06T14:45:00.000Z',
    ],
    // an ordinary Lord Howe night (+11 in January): 07:00 local = 20:00Z
    [
      'Lord Howe plain',
      night,
      '2024-01-10T12:00:00Z',
      'Australia/Lord_Howe',
      '2024-01-10T20:00:00.000Z',
    ],
  ])('%s', (_name, q, at, zone, ends) => {
    expect(quietEndsAt(q, new Date(at), zone).toISOString()).toBe(ends);
  });

  it('the end is never before the instant asked about, in any zone', () => {
    const zones = [
      'UTC',
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Pacific/Kiritimati',
    ];
    const start = Date.parse('2024-03-01T00:00:00Z');
    for (const zone of zones) {
      for (let h = 0; h < 24 * 60; h += 7) {
        const at = new Date(start + h * 3_600_000 * 3);
        const end = quietEndsAt(night, at, zone);
        expect(end.getTime()).toBeGreaterThan(at.getTime());
        expect(end.getTime() - at.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
        // the window has ended by then
        expect(isQuiet(night, end, zone)).toBe(false);
      }
    }
  });
});
