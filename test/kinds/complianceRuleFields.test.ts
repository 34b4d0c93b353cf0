import { describe, expect, it } from 'vitest';
import { cxctl, temporaryProjects } from '../helpers/project.js';

const project = temporaryProjects('cxctl-rule-fields-');

const rule = (body: string) => `complianceRules:
  - campaign: Spring Renewals
    name: US calling hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    dncLists: [Internal DNC]
    maxCallsPerDay: 3
    concurrencyLimit: 5
${body}`;

async function validate(body: string): Promise<string> {
  const root = project({ 'rules.yaml': rule(body) });
  const result = await cxctl(root, ['validate', 'rules.yaml']);
  expect(result.code).toBe(1);
  return result.stdout + result.stderr;
}

describe('compliance rule fields are checked at file:line:col', () => {
  it.each([
    [
      'a malformed HH:MM',
      `    timeZoneRestrictions:\n      - { timeZone: America/New_York, start: "9:00", end: "17:00" }\n`,
      /rules\.yaml:10:\d+: error: .*HH:MM/,
    ],
    [
      'an unknown day',
      `    timeZoneRestrictions:\n      - { timeZone: America/New_York, days: [sunday], start: "09:00", end: "17:00" }\n`,
      /rules\.yaml:10:\d+: error: .*(mon|sun)/,
    ],
    [
      'end before start',
      `    timeZoneRestrictions:\n      - { timeZone: America/New_York, start: "17:00", end: "09:00" }\n`,
      /rules\.yaml:10:\d+: error: end \(09:00\) must be after start \(17:00\)/,
    ],
    [
      'closed with a window',
      `    timeZoneRestrictions:\n      - { timeZone: America/New_York, days: [sun], closed: true, start: "09:00", end: "12:00" }\n`,
      /rules\.yaml:10:\d+: error: closed: true goes without a window/,
    ],
    [
      'an unknown state',
      `    timeZoneRestrictions:\n      - { timeZone: America/New_York, startHour: 8, endHour: 21 }\n    stateRules:\n      - { state: ZZ, maxCalls: 3 }\n`,
      /rules\.yaml:12:\d+: error: "ZZ" is not a US state code/,
    ],
    [
      'an unknown holiday country',
      `    timeZoneRestrictions:\n      - { timeZone: America/New_York, startHour: 8, endHour: 21 }\n    holidays: { country: XX }\n`,
      /rules\.yaml:11:\d+: error: the holiday library has no country "XX"/,
    ],
    [
      'an unknown subdivision',
      `    timeZoneRestrictions:\n      - { timeZone: America/New_York, startHour: 8, endHour: 21 }\n    holidays: { country: US, subdivision: FX }\n`,
      /rules\.yaml:11:\d+: error: the holiday library has no subdivision "FX" of US/,
    ],
    [
      'an unknown counting mode',
      `    timeZoneRestrictions:\n      - { timeZone: America/New_York, startHour: 8, endHour: 21 }\n    callCounting: weekly\n`,
      /rules\.yaml:11:\d+: error: .*calendar-day/,
    ],
  ])('refuses %s', async (_name, body, message) => {
    const stderr = await validate(body);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/internal error/);
  });

  it('accepts the full example', async () => {
    const root = project({
      'rules.yaml': rule(`    timeZoneRestrictions:
      - { timeZone: America/New_York, startHour: 8, endHour: 21 }
      - { timeZone: America/New_York, days: [sat], start: "09:00", end: "17:00" }
      - { timeZone: America/New_York, days: [sun], closed: true }
    holidays: { country: US, subdivision: FL }
    callCounting: rolling-24h
    minMinutesBetweenCalls: 60
    stateRules:
      - { state: FL, start: "08:00", end: "20:00", maxCalls: 3, per: rolling-24h }
`),
    });
    const result = await cxctl(root, ['validate', 'rules.yaml']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
