/**
 * Holidays of a country and of a state (date-holidays), zones from phone numbers
 * (libphonenumber-geo-carrier), and the strictest-zone reading, each checked against facts
 * computed independently with luxon.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { evaluateCall } from '../../src/compliance/evaluate.js';
import { zonesOfPhone } from '../../src/compliance/phoneZones.js';
import type { EvaluatedRule } from '../../src/compliance/types.js';

const rule: EvaluatedRule = {
  campaign: 'Spring Renewals',
  name: 'US calling hours',
  timeZoneRestrictions: [
    { timeZone: 'America/New_York', start: '08:00', end: '21:00' },
    { timeZone: 'America/Los_Angeles', start: '08:00', end: '21:00' },
    { timeZone: 'America/Chicago', start: '08:00', end: '21:00' },
  ],
  dncLists: ['Internal DNC'],
  maxCallsPerDay: 3,
  holidays: { country: 'US' },
};

/** Noon local time on a date in a zone, as an RFC 3339 instant (luxon, not the code under test). */
function noon(date: string, zone: string): string {
  return DateTime.fromISO(`${date}T12:00:00`, { zone }).toUTC().toISO() ?? '';
}

describe('holidays', () => {
  it.each([
    ['2026-07-03', 'Independence Day (substitute day)'],
    ['2026-11-26', 'Thanksgiving Day'],
    ['2026-12-25', 'Christmas Day'],
  ])('blocks %s, a US public holiday, naming it', (date, name) => {
    const evaluation = evaluateCall(rule, {
      at: noon(date, 'America/New_York'),
      timeZone: 'America/New_York',
    });
    expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'holiday' });
    expect(evaluation.detail).toContain(`${date} is ${name}, one of the public holidays of US`);
  });

  it('uses the callee local date: 20:30 on 2026-12-24 in Los Angeles is already the 25th in UTC', () => {
    const at = DateTime.fromISO('2026-12-24T20:30:00', { zone: 'America/Los_Angeles' }).toUTC();
    expect(at.toISODate()).toBe('2026-12-25');
    const evaluation = evaluateCall(rule, {
      at: at.toISO() ?? '',
      timeZone: 'America/Los_Angeles',
    });
    expect(evaluation.verdict).toBe('allowed');
  });

  it('counts public holidays only, not observances (Valentine day)', () => {
    const evaluation = evaluateCall(rule, {
      at: noon('2026-02-14', 'America/New_York'),
      timeZone: 'America/New_York',
    });
    expect(evaluation.verdict).toBe('allowed');
  });

  it('adds a state holiday with subdivision: Susan B. Anthony Day in Florida, not federally', () => {
    const call = { at: noon('2026-02-15', 'America/New_York'), timeZone: 'America/New_York' };
    expect(evaluateCall(rule, call).verdict).toBe('allowed');
    const florida = { ...rule, holidays: { country: 'US', subdivision: 'FL' } };
    const evaluation = evaluateCall(florida, call);
    expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'holiday' });
    expect(evaluation.detail).toContain('public holidays of US-FL');
  });

  it('blocks listed dates', () => {
    const listed = { ...rule, holidays: { dates: ['2026-12-24'] } };
    const evaluation = evaluateCall(listed, {
      at: noon('2026-12-24', 'America/Chicago'),
      timeZone: 'America/Chicago',
    });
    expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'holiday' });
    expect(evaluation.detail).toContain('2026-12-24 is a holiday the rule lists');
  });
});

describe('zones from the phone number', () => {
  it('maps area codes to their zones', () => {
    expect(zonesOfPhone('+12125550199')).toMatchObject({ ok: true, zones: ['America/New_York'] });
    expect(zonesOfPhone('+13105550100')).toMatchObject({
      ok: true,
      zones: ['America/Los_Angeles'],
    });
    expect(zonesOfPhone('12')).toMatchObject({ ok: false });
  });

  it('judges the call in the number zone when the call names none', () => {
    // 07:30 in Los Angeles is 10:30 in New York: allowed there, blocked in the number's zone.
    const at =
      DateTime.fromISO('2026-06-10T07:30:00', { zone: 'America/Los_Angeles' }).toUTC().toISO() ??
      '';
    expect(evaluateCall(rule, { phone: '+12125550199', at }).verdict).toBe('allowed');
    const evaluation = evaluateCall(rule, { phone: '+13105550100', at });
    expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'time-window' });
    expect(evaluation.detail).toContain('America/Los_Angeles (a zone of +13105550100)');
  });

  it('allows only what every candidate zone allows (+1 without a known area code has dozens)', () => {
    const zones = zonesOfPhone('+15555550100');
    expect(zones.ok && zones.zones.length).toBeGreaterThan(1);
    const evaluation = evaluateCall(rule, {
      phone: '+15555550100',
      at: noon('2026-06-10', 'America/New_York'),
    });
    expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'time-window' });
  });

  it('blocks a number with no candidate zone (fail closed)', () => {
    const evaluation = evaluateCall(rule, {
      phone: 'not a number',
      at: noon('2026-06-10', 'America/New_York'),
    });
    expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'time-window' });
    expect(evaluation.detail).toContain('no time zone is known for the callee');
  });
});

describe('counting across midnight', () => {
  const counted = { ...rule, holidays: undefined, maxCallsPerDay: 1 };
  const zone = 'America/New_York';
  const last = DateTime.fromISO('2026-03-03T23:30:00', { zone });
  const next = last.plus({ hours: 9 }); // 08:30 the next local day
  const call = {
    at: next.toUTC().toISO() ?? '',
    timeZone: zone,
    previousCalls: [last.toUTC().toISO() ?? ''],
  };

  it('calendar-day: a new local day starts a new count', () => {
    expect(evaluateCall(counted, call).verdict).toBe('allowed');
  });

  it('rolling-24h: the call 9 hours earlier still counts', () => {
    const evaluation = evaluateCall({ ...counted, callCounting: 'rolling-24h' }, call);
    expect(evaluation).toMatchObject({ verdict: 'blocked', reason: 'frequency' });
    expect(evaluation.detail).toContain('1 call already made in the last 24 hours');
  });

  it('refuses a previous call that is not before the attempt', () => {
    const evaluation = evaluateCall(counted, { ...call, previousCalls: [call.at] });
    expect(evaluation.verdict).toBe('invalid');
  });
});
