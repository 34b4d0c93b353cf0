import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/compliance/instant.js';

function epoch(text: string): number {
  const result = parseInstant(text);
  if (!result.ok) throw new Error(result.message);
  return result.epochMs;
}

function failure(text: string): string {
  const result = parseInstant(text);
  if (result.ok) throw new Error(`${text} parsed to ${result.epochMs}`);
  return result.message;
}

describe('parseInstant', () => {
  it('reads UTC and numeric offsets to the same instant', () => {
    const utc = Date.UTC(2026, 2, 3, 1, 30, 0);
    expect(epoch('2026-03-03T01:30:00Z')).toBe(utc);
    expect(epoch('2026-03-02T20:30:00-05:00')).toBe(utc);
    expect(epoch('2026-03-03T07:00:00+05:30')).toBe(utc);
    expect(epoch('2026-03-03T01:30:00-00:00')).toBe(utc);
  });

  it('accepts lower-case t and z and a space separator (RFC 3339 section 5.6 notes)', () => {
    const utc = Date.UTC(2026, 2, 3, 1, 30, 0);
    expect(epoch('2026-03-03t01:30:00z')).toBe(utc);
    expect(epoch('2026-03-03 01:30:00Z')).toBe(utc);
  });

  it('keeps milliseconds and truncates finer fractions', () => {
    expect(epoch('2026-03-03T01:30:00.5Z')).toBe(Date.UTC(2026, 2, 3, 1, 30, 0, 500));
    expect(epoch('2026-03-03T19:59:59.9999999Z')).toBe(Date.UTC(2026, 2, 3, 19, 59, 59, 999));
  });

  it('handles leap years and years below 100 without the Date.UTC 1900 shift', () => {
    expect(epoch('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
    expect(epoch('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
    expect(new Date(epoch('0050-01-01T00:00:00Z')).getUTCFullYear()).toBe(50);
  });

  it.each([
    ['2026-03-03', 'not an RFC 3339 instant'],
    ['2026-03-03T01:30:00', 'not an RFC 3339 instant'],
    ['2026-03-03T01:30Z', 'not an RFC 3339 instant'],
    ['2026-3-3T01:30:00Z', 'not an RFC 3339 instant'],
    ['2026-03-03T01:30:00+0500', 'not an RFC 3339 instant'],
    ['tomorrow', 'not an RFC 3339 instant'],
    [' 2026-03-03T01:30:00Z', 'not an RFC 3339 instant'],
    ['2026-13-01T00:00:00Z', 'month 13'],
    ['2026-00-01T00:00:00Z', 'month 00'],
    ['2026-02-29T00:00:00Z', 'day 29 does not exist in 2026-02'],
    ['1900-02-29T00:00:00Z', 'day 29 does not exist'],
    ['2026-04-31T00:00:00Z', 'day 31 does not exist'],
    ['2026-03-03T24:00:00Z', 'hour 24'],
    ['2026-03-03T23:60:00Z', 'minute 60'],
    ['2026-12-31T23:59:60Z', 'leap second'],
    ['2026-03-03T01:30:61Z', 'second 61'],
    ['2026-03-03T01:30:00+24:00', 'offset +24:00'],
  ])('refuses %j (%s)', (text, expected) => {
    expect(failure(text)).toContain(expected);
  });
});

describe('parseInstant arithmetic', () => {
  it('gives the instant the Date object gives, for every four-digit year', () => {
    const pad = (value: number, width: number) => String(value).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00.000Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        (date, offset) => {
          const wall = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}`;
          const sign = offset < 0 ? '-' : '+';
          const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
          expect(parseInstant(`${wall}${zone}`)).toEqual({
            ok: true,
            epochMs: date.getTime() - offset * 60_000,
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
