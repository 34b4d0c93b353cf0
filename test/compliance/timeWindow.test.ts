import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatLocalTime,
  formatOffset,
  isValidTimeZone,
  isWithinWindow,
  localTimeAt,
  runtimeTreatsAsSameZone,
  sameTimeZoneName,
} from '../../src/compliance/timeWindow.js';

const at = (iso: string): number => Date.parse(iso);

/** `HH:MM` and the UTC offset in minutes of an instant in a zone. */
function wallClock(iso: string, zone: string): { hhmm: string; offset: number } {
  const local = localTimeAt(at(iso), zone);
  const hhmm = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
  return { hhmm, offset: local.offsetMinutes };
}

/** Is the instant inside [start, end) in the zone? */
function inside(iso: string, zone: string, start: number, end: number): boolean {
  return isWithinWindow(localTimeAt(at(iso), zone), start, end);
}

describe('isWithinWindow: [startHour, endHour)', () => {
  it.each([
    [7, false],
    [8, true],
    [12, true],
    [19, true],
    [20, false],
    [23, false],
    [0, false],
  ])('hour %i in 08:00-20:00 -> %s', (hour, expected) => {
    expect(isWithinWindow({ hour }, 8, 20)).toBe(expected);
  });

  it('reads startHour > endHour as a window across midnight', () => {
    expect(isWithinWindow({ hour: 22 }, 22, 6)).toBe(true);
    expect(isWithinWindow({ hour: 23 }, 22, 6)).toBe(true);
    expect(isWithinWindow({ hour: 0 }, 22, 6)).toBe(true);
    expect(isWithinWindow({ hour: 5 }, 22, 6)).toBe(true);
    expect(isWithinWindow({ hour: 6 }, 22, 6)).toBe(false);
    expect(isWithinWindow({ hour: 21 }, 22, 6)).toBe(false);
  });

  it('reads startHour == endHour as an empty window', () => {
    for (let hour = 0; hour < 24; hour++) expect(isWithinWindow({ hour }, 9, 9)).toBe(false);
  });

  it('is exact at the minute and second around both bounds (New York, winter)', () => {
    // 2026-01-15: EST, UTC-5.
    expect(inside('2026-01-15T12:59:59.999Z', 'America/New_York', 8, 20)).toBe(false); // 07:59:59.999
    expect(inside('2026-01-15T13:00:00Z', 'America/New_York', 8, 20)).toBe(true); // 08:00
    expect(inside('2026-01-16T00:59:00Z', 'America/New_York', 8, 20)).toBe(true); // 19:59
    expect(inside('2026-01-16T00:59:59.999Z', 'America/New_York', 8, 20)).toBe(true); // 19:59:59.999
    expect(inside('2026-01-16T01:00:00Z', 'America/New_York', 8, 20)).toBe(false); // 20:00
  });
});

describe('localTimeAt: America/New_York daylight saving', () => {
  it('springs forward on 2026-03-08: 01:59 EST is followed by 03:00 EDT', () => {
    expect(wallClock('2026-03-08T06:59:00Z', 'America/New_York')).toEqual({
      hhmm: '01:59',
      offset: -300,
    });
    expect(wallClock('2026-03-08T07:00:00Z', 'America/New_York')).toEqual({
      hhmm: '03:00',
      offset: -240,
    });
  });

  it('moves the window one hour earlier in UTC after the change', () => {
    // Saturday 2026-03-07, EST: 08:00 local is 13:00Z.
    expect(inside('2026-03-07T12:59:00Z', 'America/New_York', 8, 20)).toBe(false);
    expect(inside('2026-03-07T13:00:00Z', 'America/New_York', 8, 20)).toBe(true);
    // Sunday 2026-03-08, EDT: 08:00 local is 12:00Z; 13:00Z now is 09:00.
    expect(inside('2026-03-08T11:59:00Z', 'America/New_York', 8, 20)).toBe(false);
    expect(inside('2026-03-08T12:00:00Z', 'America/New_York', 8, 20)).toBe(true);
    // The evening bound: 20:00 EDT is 00:00Z the next day.
    expect(inside('2026-03-08T23:59:59Z', 'America/New_York', 8, 20)).toBe(true);
    expect(inside('2026-03-09T00:00:00Z', 'America/New_York', 8, 20)).toBe(false);
  });

  it('never reports the skipped hour 02:00-02:59 on 2026-03-08', () => {
    for (let minute = 0; minute < 180; minute += 5) {
      const instant = at('2026-03-08T05:00:00Z') + minute * 60_000;
      expect(localTimeAt(instant, 'America/New_York').hour).not.toBe(2);
    }
  });

  it('falls back on 2026-11-01: 01:30 happens twice, once in EDT and once in EST', () => {
    expect(wallClock('2026-11-01T05:30:00Z', 'America/New_York')).toEqual({
      hhmm: '01:30',
      offset: -240,
    });
    expect(wallClock('2026-11-01T06:30:00Z', 'America/New_York')).toEqual({
      hhmm: '01:30',
      offset: -300,
    });
    expect(wallClock('2026-11-01T07:00:00Z', 'America/New_York')).toEqual({
      hhmm: '02:00',
      offset: -300,
    });
    // Both 01:30s are inside a [1, 2) window; 02:00 is not.
    expect(inside('2026-11-01T05:30:00Z', 'America/New_York', 1, 2)).toBe(true);
    expect(inside('2026-11-01T06:30:00Z', 'America/New_York', 1, 2)).toBe(true);
    expect(inside('2026-11-01T07:00:00Z', 'America/New_York', 1, 2)).toBe(false);
  });

  it('moves the window one hour later in UTC after falling back', () => {
    // Sunday 2026-11-01, EST: 08:00 local is 13:00Z, 20:00 local is 01:00Z on the 2nd.
    expect(inside('2026-11-01T12:00:00Z', 'America/New_York', 8, 20)).toBe(false); // 07:00
    expect(inside('2026-11-01T13:00:00Z', 'America/New_York', 8, 20)).toBe(true); // 08:00
    expect(inside('2026-11-02T00:59:00Z', 'America/New_York', 8, 20)).toBe(true); // 19:59
    expect(inside('2026-11-02T01:00:00Z', 'America/New_York', 8, 20)).toBe(false); // 20:00
  });
});

describe('localTimeAt: other zones', () => {
  it('Europe/London: GMT to BST on 2026-03-29 and back on 2026-10-25', () => {
    expect(wallClock('2026-03-29T00:59:00Z', 'Europe/London')).toEqual({
      hhmm: '00:59',
      offset: 0,
    });
    expect(wallClock('2026-03-29T01:00:00Z', 'Europe/London')).toEqual({
      hhmm: '02:00',
      offset: 60,
    });
    expect(wallClock('2026-10-25T00:59:00Z', 'Europe/London')).toEqual({
      hhmm: '01:59',
      offset: 60,
    });
    expect(wallClock('2026-10-25T01:00:00Z', 'Europe/London')).toEqual({
      hhmm: '01:00',
      offset: 0,
    });
    // A 09:00-21:00 window in summer opens at 08:00Z, in winter at 09:00Z.
    expect(inside('2026-07-01T07:59:00Z', 'Europe/London', 9, 21)).toBe(false);
    expect(inside('2026-07-01T08:00:00Z', 'Europe/London', 9, 21)).toBe(true);
    expect(inside('2026-12-01T08:59:00Z', 'Europe/London', 9, 21)).toBe(false);
    expect(inside('2026-12-01T09:00:00Z', 'Europe/London', 9, 21)).toBe(true);
  });

  it('Australia/Sydney: southern-hemisphere DST, summer in January', () => {
    // DST ends 2026-04-05 03:00 AEDT -> 02:00 AEST (16:00Z on the 4th).
    expect(wallClock('2026-04-04T15:59:00Z', 'Australia/Sydney')).toEqual({
      hhmm: '02:59',
      offset: 660,
    });
    expect(wallClock('2026-04-04T16:00:00Z', 'Australia/Sydney')).toEqual({
      hhmm: '02:00',
      offset: 600,
    });
    // DST starts 2026-10-04 02:00 AEST -> 03:00 AEDT (16:00Z on the 3rd).
    expect(wallClock('2026-10-03T15:59:00Z', 'Australia/Sydney')).toEqual({
      hhmm: '01:59',
      offset: 600,
    });
    expect(wallClock('2026-10-03T16:00:00Z', 'Australia/Sydney')).toEqual({
      hhmm: '03:00',
      offset: 660,
    });
    // 09:00 local: 22:00Z the day before in January (AEDT), 23:00Z in July (AEST).
    expect(inside('2026-01-15T21:59:00Z', 'Australia/Sydney', 9, 20)).toBe(false);
    expect(inside('2026-01-15T22:00:00Z', 'Australia/Sydney', 9, 20)).toBe(true);
    expect(inside('2026-07-15T22:59:00Z', 'Australia/Sydney', 9, 20)).toBe(false);
    expect(inside('2026-07-15T23:00:00Z', 'Australia/Sydney', 9, 20)).toBe(true);
  });

  it('Asia/Kolkata: a half-hour offset, UTC+05:30 all year', () => {
    expect(wallClock('2026-01-01T02:29:00Z', 'Asia/Kolkata')).toEqual({
      hhmm: '07:59',
      offset: 330,
    });
    expect(wallClock('2026-07-01T02:30:00Z', 'Asia/Kolkata')).toEqual({
      hhmm: '08:00',
      offset: 330,
    });
    expect(inside('2026-01-01T02:29:59Z', 'Asia/Kolkata', 8, 20)).toBe(false);
    expect(inside('2026-01-01T02:30:00Z', 'Asia/Kolkata', 8, 20)).toBe(true);
    expect(inside('2026-01-01T14:29:59Z', 'Asia/Kolkata', 8, 20)).toBe(true);
    expect(inside('2026-01-01T14:30:00Z', 'Asia/Kolkata', 8, 20)).toBe(false);
  });

  it('Asia/Kathmandu (UTC+05:45) and Australia/Lord_Howe (half-hour DST)', () => {
    expect(wallClock('2026-01-01T02:15:00Z', 'Asia/Kathmandu')).toEqual({
      hhmm: '08:00',
      offset: 345,
    });
    expect(localTimeAt(at('2026-01-15T00:00:00Z'), 'Australia/Lord_Howe').offsetMinutes).toBe(660);
    expect(localTimeAt(at('2026-07-15T00:00:00Z'), 'Australia/Lord_Howe').offsetMinutes).toBe(630);
  });

  it('reports midnight as hour 0, never 24, and rolls the date', () => {
    const local = localTimeAt(at('2026-03-03T05:00:00Z'), 'America/New_York');
    expect(local).toMatchObject({ year: 2026, month: 3, day: 3, hour: 0, minute: 0 });
    expect(formatLocalTime(local)).toBe('2026-03-03 00:00:00 UTC-05:00');
    const before = localTimeAt(at('2026-03-03T04:59:59Z'), 'America/New_York');
    expect(formatLocalTime(before)).toBe('2026-03-02 23:59:59 UTC-05:00');
  });

  it('crosses the date line: Pacific/Kiritimati is UTC+14, Pacific/Pago_Pago UTC-11', () => {
    expect(formatLocalTime(localTimeAt(at('2026-01-01T10:00:00Z'), 'Pacific/Kiritimati'))).toBe(
      '2026-01-02 00:00:00 UTC+14:00',
    );
    expect(formatLocalTime(localTimeAt(at('2026-01-01T10:00:00Z'), 'Pacific/Pago_Pago'))).toBe(
      '2025-12-31 23:00:00 UTC-11:00',
    );
  });
});

describe('time zone names', () => {
  it.each(['America/New_York', 'Europe/London', 'Asia/Kolkata', 'UTC', 'Etc/GMT+5'])(
    'accepts %s',
    (zone) => expect(isValidTimeZone(zone)).toBe(true),
  );

  it.each(['Foo/Bar', '', '  ', 'America/NewYork', '+05:30', '-05:00', 'UTC+5'])(
    'refuses %j',
    (zone) => expect(isValidTimeZone(zone)).toBe(false),
  );

  it('compares names case-insensitively but never folds aliases into each other', () => {
    expect(sameTimeZoneName('America/New_York', 'america/new_york')).toBe(true);
    expect(sameTimeZoneName('Asia/Kolkata', 'Asia/Calcutta')).toBe(false);
    expect(runtimeTreatsAsSameZone('America/New_York', 'America/Chicago')).toBe(false);
    expect(runtimeTreatsAsSameZone('Foo/Bar', 'Foo/Bar')).toBe(false);
  });

  it('formats offsets', () => {
    expect(formatOffset(-240)).toBe('UTC-04:00');
    expect(formatOffset(330)).toBe('UTC+05:30');
    expect(formatOffset(0)).toBe('UTC+00:00');
    expect(formatOffset(-570)).toBe('UTC-09:30');
  });
});

describe('properties', () => {
  // Instants from 2000 to 2035, whole seconds.
  const instant = fc
    .integer({
      min: Date.parse('2000-01-01T00:00:00Z') / 1000,
      max: Date.parse('2035-12-31T00:00:00Z') / 1000,
    })
    .map((seconds) => seconds * 1000);
  const hour = fc.integer({ min: 0, max: 23 });

  it('zones without daylight saving have one offset, and the window follows UTC arithmetic', () => {
    const zones: [string, number][] = [
      ['UTC', 0],
      ['Asia/Kolkata', 330],
      ['Asia/Tokyo', 540],
      ['Etc/GMT+5', -300],
    ];
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom(...zones),
        hour,
        hour,
        (epochMs, [zone, offset], start, end) => {
          const local = localTimeAt(epochMs, zone);
          expect(local.offsetMinutes).toBe(offset);
          const shifted = new Date(epochMs + offset * 60_000);
          expect(local.hour).toBe(shifted.getUTCHours());
          expect(local.minute).toBe(shifted.getUTCMinutes());
          expect(isWithinWindow(local, start, end)).toBe(
            isWithinWindow({ hour: shifted.getUTCHours() }, start, end),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the wall clock minus the offset is the instant again, in zones with DST', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe'];
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (epochMs, zone) => {
        const local = localTimeAt(epochMs, zone);
        const wall = Date.UTC(
          local.year,
          local.month - 1,
          local.day,
          local.hour,
          local.minute,
          local.second,
        );
        expect(wall - local.offsetMinutes * 60_000).toBe(epochMs);
        expect(local.hour).toBeGreaterThanOrEqual(0);
        expect(local.hour).toBeLessThan(24);
      }),
      { numRuns: 300 },
    );
  });

  it('New York is always at UTC-5 or UTC-4', () => {
    fc.assert(
      fc.property(instant, (epochMs) => {
        expect([-300, -240]).toContain(localTimeAt(epochMs, 'America/New_York').offsetMinutes);
      }),
      { numRuns: 300 },
    );
  });
});
