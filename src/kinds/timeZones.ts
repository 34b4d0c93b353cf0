/**
 * IANA time zone names, as the JavaScript runtime knows them: the canonical names of
 * `Intl.supportedValuesOf('timeZone')`, plus aliases the runtime accepts (`UTC`, `Etc/GMT+5`,
 * `US/Eastern`, ...). Offsets such as `+05:00` are not IANA zones and are refused.
 */
import { closestMatch } from '../util/suggest.js';

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

let canonical: Set<string> | undefined;
let byLowerCase: Map<string, string> | undefined;

function canonicalZones(): Set<string> {
  canonical ??= new Set(Intl.supportedValuesOf('timeZone'));
  return canonical;
}

/** The verdict on a time zone name, with a suggestion when it looks misspelt. */
export type TimeZoneCheck = { ok: true } | { ok: false; suggestion?: string };

/** Is `name` an IANA time zone the runtime knows, written with its exact spelling? */
export function checkTimeZone(name: string): TimeZoneCheck {
  const zones = canonicalZones();
  if (zones.has(name)) return { ok: true };
  byLowerCase ??= new Map([...zones].map((zone) => [zone.toLowerCase(), zone]));
  const sameButCase = byLowerCase.get(name.toLowerCase());
  if (sameButCase !== undefined) return { ok: false, suggestion: sameButCase };
  if (ZONE_NAME.test(name) && acceptedByRuntime(name)) return { ok: true };
  const suggestion = closestMatch(name, zones);
  return suggestion === undefined ? { ok: false } : { ok: false, suggestion };
}

function acceptedByRuntime(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
