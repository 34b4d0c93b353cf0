/**
 * Strict RFC 3339 instants (`2026-03-03T01:30:00Z`, `2026-03-02T20:30:00-05:00`).
 *
 * `Date.parse` is not used: it accepts many other shapes (dates without a time, times without an
 * offset, which it then reads in the machine's own zone) and would make a verdict depend on where
 * cxctl runs.
 */

/** The instant as milliseconds since the epoch, or why the text is not an RFC 3339 instant. */
export type InstantResult = { ok: true; epochMs: number } | { ok: false; message: string };

// RFC 3339 section 5.6; "t"/"z" in lower case and a space for "T" are allowed by its notes.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, by arithmetic (H. Hinnant's
 * days_from_civil): exact for every four-digit year, and without a Date object per instant, since
 * exports parse several instants per row.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Parse an RFC 3339 date-time with a mandatory offset into an instant. */
export function parseInstant(text: string): InstantResult {
  const match = RFC3339.exec(text);
  if (match === null) {
    return {
      ok: false,
      message: `"${text}" is not an RFC 3339 instant (expected e.g. 2026-03-03T01:30:00Z or 2026-03-02T20:30:00-05:00)`,
    };
  }
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const invalid = (what: string): InstantResult => ({
    ok: false,
    message: `"${text}" is not a valid instant: ${what}`,
  });
  if (month < 1 || month > 12) return invalid(`month ${mo} is not 01..12`);
  if (day < 1 || day > daysInMonth(year, month)) {
    return invalid(`day ${d} does not exist in ${y}-${mo}`);
  }
  if (hour > 23) return invalid(`hour ${h} is not 00..23`);
  if (minute > 59) return invalid(`minute ${mi} is not 00..59`);
  if (second === 60) {
    return invalid('leap second 60 is not supported; use 59');
  }
  if (second > 59) return invalid(`second ${s} is not 00..59`);
  let offsetMinutes = 0;
  if (zulu === undefined) {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59)
      return invalid(`offset ${sign}${oh}:${om} is out of range`);
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // Milliseconds; finer digits are dropped (truncation keeps 19:59:59.9999 before 20:00).
  const millis = fraction === undefined ? 0 : Number(fraction.slice(1, 4).padEnd(3, '0'));
  const wallClockMs =
    daysSinceEpoch(year, month, day) * 86_400_000 +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    millis;
  return { ok: true, epochMs: wallClockMs - offsetMinutes * 60_000 };
}
