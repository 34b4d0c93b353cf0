/**
 * The calling-rule fields beyond windows per zone (weekday entries, closed days, holidays,
 * counting, spacing, state rules) travel to the v2 API and back: after apply the plan is empty,
 * and an export of the tenant plans to nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';

const projects: SimProject[] = [];
afterEach(async () => {
  for (const started of projects.splice(0)) await started.close();
});

const RULES = `complianceRules:
  - campaign: Spring Renewals
    name: US calling hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions:
      - { timeZone: America/New_York, days: [sun], closed: true }
      - { timeZone: America/New_York, startHour: 8, endHour: 21 }
      - { timeZone: America/New_York, days: [sat], start: "09:00", end: "17:00" }
    holidays: { country: US, subdivision: FL, dates: ["2026-12-24"] }
    maxCallsPerDay: 3
    callCounting: rolling-24h
    minMinutesBetweenCalls: 60
    stateRules:
      - { state: FL, start: "08:00", end: "20:00", maxCalls: 3, per: rolling-24h }
    dncLists: [Internal DNC]
    concurrencyLimit: 5
`;

describe('new compliance rule fields over the API', () => {
  it('apply, then plan shows no changes; export plans to nothing', async () => {
    const started = await startSimProject({ 'manifests/rules.yaml': RULES });
    projects.push(started);
    const apply = await started.run(['apply', '--auto-approve', '--no-color']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    const stored = started.sim.state().complianceRules[0];
    expect(stored).toMatchObject({
      callCounting: 'rolling-24h',
      minMinutesBetweenCalls: 60,
      holidays: { country: 'US', subdivision: 'FL', dates: ['2026-12-24'] },
      stateRules: [{ state: 'FL', start: '08:00', end: '20:00', maxCalls: 3, per: 'rolling-24h' }],
    });
    expect(stored?.timeZoneRestrictions).toHaveLength(3);
    const plan = await started.run(['plan', '--detailed-exitcode', '--no-color']);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);

    const exported = await started.run(['export', '--out', 'adopted']);
    expect(exported.code).toBe(0);
    const replan = await started.run(['plan', 'adopted', '--detailed-exitcode', '--no-color']);
    expect(replan.stdout).toContain('No changes.');
    expect(replan.code).toBe(0);
  });

  it('plans a change when only the Saturday window changes', async () => {
    const started = await startSimProject({ 'manifests/rules.yaml': RULES });
    projects.push(started);
    expect((await started.run(['apply', '--auto-approve'])).code).toBe(0);
    started.write({ 'manifests/rules.yaml': RULES.replace('end: "17:00"', 'end: "16:00"') });
    const plan = await started.run(['plan', '--detailed-exitcode', '--no-color']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('16:00');
  });
});
