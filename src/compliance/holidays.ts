/**
 * Holidays from the `date-holidays` library (a maintained, offline table of public holidays per
 * country and subdivision), and the US state codes it knows. Only holidays of type `public` count
 * (not bank, school, optional or observance days); a holiday blocks its whole local date, also one
 * that the library says starts in the afternoon (the stricter reading). docs/compliance.md.
 */
import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';

/** One holiday on one local date. */
export interface HolidayHit {
  /** `YYYY-MM-DD` */
  date: string;
  name: string;
}

/** The holiday types that block calls. */
export const COUNTED_HOLIDAY_TYPES: readonly string[] = ['public'];

let holidaysClass: typeof Holidays | undefined;
let catalogue: Holidays | undefined;

/**
 * The library's class, loaded on first use: its tables are large, and most commands (and most
 * rules) never need them. Loaded from node_modules, not bundled, for the same reason.
 */
function holidaysLibrary(): typeof Holidays {
  if (holidaysClass === undefined) {
    const required: unknown = createRequire(import.meta.url)('date-holidays');
    if (typeof required !== 'function') throw new Error('date-holidays did not load');
    holidaysClass = required as typeof Holidays;
  }
  return holidaysClass;
}

function library(): Holidays {
  const Library = holidaysLibrary();
  catalogue ??= new Library();
  return catalogue;
}

// The library builds its country and subdivision lists (with names) on every call: keep them.
let countries: ReadonlySet<string> | undefined;
const subdivisions = new Map<string, Readonly<Record<string, string>>>();

/** True when the library knows the country (ISO 3166-1 alpha-2, upper case). */
export function isKnownCountry(country: string): boolean {
  countries ??= new Set(Object.keys(library().getCountries('en')));
  return countries.has(country);
}

/** The subdivision codes of a country (without the country prefix), e.g. FL for US. */
export function subdivisionsOf(country: string): Readonly<Record<string, string>> {
  if (!isKnownCountry(country)) return {};
  let known = subdivisions.get(country);
  if (known === undefined) {
    known = library().getStates(country, 'en') ?? {};
    subdivisions.set(country, known);
  }
  return known;
}

/** True when `state` is a US state, district or territory code the library knows (e.g. FL, DC). */
export function isUsStateCode(state: string): boolean {
  return Object.hasOwn(subdivisionsOf('US'), state);
}

// One table per country, subdivision and year: building one costs far more than looking one up.
const byCalendarYear = new Map<string, Map<string, string>>();
const MAX_CACHED = 2_000;

/** Public holidays of a country (and subdivision) in `year`: local date -> holiday name. */
function holidaysIn(country: string, subdivision: string | undefined, year: number) {
  const key = `${country}|${subdivision ?? ''}|${year}`;
  let table = byCalendarYear.get(key);
  if (table !== undefined) return table;
  table = new Map<string, string>();
  const Library = holidaysLibrary();
  const calendar =
    subdivision === undefined
      ? new Library(country, { languages: ['en'] })
      : new Library(country, subdivision, { languages: ['en'] });
  for (const holiday of calendar.getHolidays(year, 'en') || []) {
    if (!COUNTED_HOLIDAY_TYPES.includes(holiday.type)) continue;
    const date = holiday.date.slice(0, 10);
    if (!table.has(date)) table.set(date, holiday.name);
  }
  if (byCalendarYear.size < MAX_CACHED) byCalendarYear.set(key, table);
  return table;
}

/**
 * The public holiday on local date `date` (`YYYY-MM-DD`) in the country and subdivision, if any.
 * Undefined for an unknown country (the manifest check reports that).
 */
export function publicHolidayOn(
  country: string,
  subdivision: string | undefined,
  date: string,
): HolidayHit | undefined {
  if (!isKnownCountry(country)) return undefined;
  const year = Number(date.slice(0, 4));
  const name = holidaysIn(country, subdivision, year).get(date);
  return name === undefined ? undefined : { date, name };
}
