import { describe, expect, it } from 'vitest';
import { planDigest } from '../../src/plan/assemble.js';
import { codesYaml, planTexts, stateOf } from '../helpers/planning.js';

const RES_001 = {
  code: 'RES_001',
  name: 'Case Resolved',
  category: 'Resolution',
  duration: 300,
  isDefault: true,
};
const rule = (fields: Record<string, unknown> = {}) => ({
  campaign: 'Spring Renewals',
  name: 'US hours',
  type: 'TIME_RESTRICTION',
  jurisdiction: 'US-FCC',
  timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
  dncLists: ['Internal DNC'],
  maxCallsPerDay: 1,
  concurrencyLimit: 5,
  ...fields,
});
/** A rule as the API stores it: in a campaign by id, DNC lists by id. */
const liveRule = (campaignId: string, fields: Record<string, unknown> = {}) => {
  const { campaign: _campaign, dncLists, ...rest } = rule({ dncLists: ['dnc-1'], ...fields });
  return { ...rest, dncListIds: dncLists, campaignId } as never;
};
const rulesYaml = (rules: Record<string, unknown>[], extra = '') =>
  `version: 1\ncomplianceRules:\n${rules.map((r) => `  - ${JSON.stringify(r)}\n`).join('')}${extra}`;

describe('buildPlan: wrap-up codes', () => {
  it('creates, updates in place, leaves equal codes alone and lists owned extras', () => {
    const state = stateOf({
      wrapUpCodes: [
        { ...RES_001, duration: 120, description: '' },
        { code: 'SAME', name: 'Same', category: 'Sales', duration: 60 },
        { code: 'EXTRA', name: 'Extra', category: 'Sales', duration: 60 },
      ],
    });
    const { plan, ok } = planTexts(
      {
        'm.yaml': codesYaml([
          RES_001,
          { code: 'SAME', name: 'Same', category: 'Sales', duration: 60, description: '' },
          { code: 'NEW_1', name: 'New', category: 'Service', duration: 30 },
        ]),
      },
      state,
    );
    expect(ok).toBe(true);
    expect(plan.changes.map((c) => [c.action, c.key])).toEqual([
      ['create', 'NEW_1'],
      ['update', 'RES_001'],
    ]);
    const update = plan.changes[1]!;
    expect(update.fields).toEqual([{ path: 'duration', oldValue: 120, newValue: 300 }]);
    expect(update.live).toEqual({ id: state.wrapUpCodes[0]!.id, version: 1 });
    expect(update.source).toEqual({ file: 'm.yaml', line: 3 });
    expect(plan.changes[0]!.body).toEqual({
      code: 'NEW_1',
      name: 'New',
      category: 'Service',
      duration: 30,
      isActive: true,
      isDefault: false,
    });
    expect(plan.unmanaged).toEqual([
      { kind: 'wrapUpCode', key: 'EXTRA', liveId: state.wrapUpCodes[2]!.id },
    ]);
    expect(plan.counts).toMatchObject({
      create: 1,
      update: 1,
      unchanged: 1,
      unmanaged: 1,
      managed: 3,
    });
  });

  it('names an unknown category at its line, with a suggestion', () => {
    const { ok, positioned } = planTexts(
      {
        'm.yaml':
          'version: 1\nwrapUpCodes:\n  - code: A1\n    name: A\n    category: Resolutoin\n    duration: 5\n',
      },
      stateOf(),
    );
    expect(ok).toBe(false);
    expect(positioned).toEqual([
      expect.objectContaining({
        code: 'reference.categoryUnknown',
        file: 'm.yaml',
        line: 5,
        column: 15,
        hint: 'did you mean "Resolution"?',
      }),
    ]);
  });

  it('prunes by deactivation (clearing the default), or deletes with --prune=delete', () => {
    const state = stateOf({
      wrapUpCodes: [
        { code: 'OLD_DEF', name: 'Old', category: 'Sales', duration: 60, isDefault: true },
        { code: 'OFF', name: 'Off', category: 'Sales', duration: 60, isActive: false },
        { code: 'ON', name: 'On', category: 'Sales', duration: 60 },
      ],
    });
    const soft = planTexts({ 'm.yaml': codesYaml([RES_001]) }, state, { prune: 'deactivate' });
    const deletes = soft.plan.changes.filter((c) => c.action === 'delete');
    expect(deletes.map((c) => [c.key, c.deleteMode])).toEqual([
      ['OLD_DEF', 'deactivate'],
      ['ON', 'deactivate'],
    ]);
    expect(deletes[0]!.body).toMatchObject({ isActive: false, isDefault: false, code: 'OLD_DEF' });
    expect(deletes[0]!.fields).toEqual([
      { path: 'isActive', oldValue: true, newValue: false },
      { path: 'isDefault', oldValue: true, newValue: false },
    ]);
    // Already inactive and not a default: retired, neither changed nor listed.
    expect(soft.plan.unmanaged).toEqual([]);
    expect(soft.plan.countsByKind.wrapUpCode).toMatchObject({
      deactivate: 2,
      delete: 0,
      retired: 1,
    });
    const plain = planTexts({ 'm.yaml': codesYaml([RES_001]) }, state);
    expect(plain.plan.unmanaged.map((u) => u.key)).toEqual(['OLD_DEF', 'ON']);
    expect(plain.plan.countsByKind.wrapUpCode).toMatchObject({ unmanaged: 2, retired: 1 });
    const hard = planTexts({ 'm.yaml': codesYaml([RES_001]) }, state, { prune: 'delete' });
    expect(
      hard.plan.changes.filter((c) => c.action === 'delete').map((c) => [c.key, c.deleteMode]),
    ).toEqual([
      ['OFF', 'delete'],
      ['OLD_DEF', 'delete'],
      ['ON', 'delete'],
    ]);
    expect(hard.plan.changes.find((c) => c.key === 'ON')!.body).toBeUndefined();
    expect(hard.plan.countsByKind.wrapUpCode).toMatchObject({ delete: 3, retired: 0, managed: 3 });
  });

  it('refuses a desired default when the live default of its category stays, naming both', () => {
    const state = stateOf({
      wrapUpCodes: [
        { code: 'OLD_DEF', name: 'Old', category: 'Resolution', duration: 60, isDefault: true },
      ],
    });
    const files = { 'm.yaml': codesYaml([RES_001]) };
    const refused = planTexts(files, state);
    expect(refused.ok).toBe(false);
    expect(refused.positioned[0]).toMatchObject({
      code: 'wrapUpCode.liveDefaultConflict',
      line: 3,
    });
    expect(refused.positioned[0]!.message).toContain('RES_001');
    expect(refused.positioned[0]!.message).toContain('OLD_DEF');
    // Pruning deactivates (and so clears) the old default first: no conflict.
    expect(planTexts(files, state, { prune: 'deactivate' }).ok).toBe(true);
    // Declaring the old default as a non-default is the other way out.
    expect(
      planTexts(
        {
          'm.yaml': codesYaml([
            RES_001,
            { code: 'OLD_DEF', name: 'Old', category: 'Resolution', duration: 60 },
          ]),
        },
        state,
      ).ok,
    ).toBe(true);
  });

  it('owns only codes in scope: others are neither unmanaged nor changeable', () => {
    const state = stateOf({
      wrapUpCodes: [
        { code: 'SF_ONE', name: 'One', category: 'Sales', duration: 60 },
        { code: 'SF_OLD', name: 'Old', category: 'Sales', duration: 60 },
        { code: 'HAND_MADE', name: 'Hand', category: 'Sales', duration: 60 },
        { code: 'SF_SERVICE', name: 'Svc', category: 'Service', duration: 60 },
      ],
    });
    const scope = 'scope:\n  wrapUpCodes: { codePrefix: SF_, categories: [Sales] }\n';
    const { plan, ok } = planTexts(
      {
        'm.yaml':
          codesYaml([{ code: 'SF_ONE', name: 'One', category: 'Sales', duration: 60 }]) + scope,
      },
      state,
      { prune: 'deactivate' },
    );
    expect(ok).toBe(true);
    expect(plan.changes.map((c) => [c.action, c.key])).toEqual([['delete', 'SF_OLD']]);
    expect(plan.counts.managed).toBe(2);

    const outside = planTexts(
      {
        'm.yaml':
          codesYaml([{ code: 'OTHER', name: 'x', category: 'Sales', duration: 60 }]) + scope,
      },
      state,
    );
    expect(outside.positioned.map((d) => d.code)).toEqual(['scope.outside']);
    const movedIn = planTexts(
      {
        'm.yaml':
          codesYaml([{ code: 'SF_SERVICE', name: 'Svc', category: 'Sales', duration: 60 }]) + scope,
      },
      state,
    );
    expect(movedIn.positioned.map((d) => d.code)).toEqual(['scope.liveOutside']);
  });

  it('reports an unknown category in scope with a suggestion', () => {
    const { positioned } = planTexts(
      { 'm.yaml': 'version: 1\nscope:\n  wrapUpCodes:\n    categories: [Sails]\n' },
      stateOf(),
    );
    expect(positioned).toEqual([
      expect.objectContaining({
        code: 'scope.unknownCategory',
        line: 4,
        hint: 'did you mean "Sales"?',
      }),
    ]);
  });
});

describe('buildPlan: compliance rules', () => {
  it('resolves campaign and DNC list names to ids for the body, and compares by names', () => {
    const state = stateOf();
    const { plan, ok } = planTexts(
      { 'r.yaml': rulesYaml([rule({ dncLists: ['dnc-3', 'Internal DNC'] })]) },
      state,
    );
    expect(ok).toBe(true);
    const create = plan.changes[0]!;
    expect(create).toMatchObject({
      kind: 'complianceRule',
      key: 'Spring Renewals/US hours',
      action: 'create',
      parentId: 'cmp-1',
      labels: { campaign: 'Spring Renewals' },
      source: { file: 'r.yaml', line: 3 },
    });
    expect(create.body).toMatchObject({ dncListIds: ['dnc-1', 'dnc-3'], geographicExclusions: [] });
    expect(create.fields.find((f) => f.path === 'dncLists')).toEqual({
      path: 'dncLists',
      newValue: ['Internal DNC', 'Litigator Scrub'],
    });
  });

  it('matches time-zone restrictions by zone and exclusions by position on the globe', () => {
    const state = stateOf({
      complianceRules: [
        liveRule('cmp-1', {
          timeZoneRestrictions: [
            { timeZone: 'America/Chicago', startHour: 8, endHour: 20 },
            { timeZone: 'America/New_York', startHour: 8, endHour: 20 },
          ],
          geographicExclusions: [{ latitude: 27.95, longitude: -82.45, radiusKm: 80 }],
        }),
      ],
    });
    const { plan } = planTexts(
      {
        'r.yaml': rulesYaml([
          rule({
            timeZoneRestrictions: [
              { timeZone: 'America/New_York', startHour: 8, endHour: 21 },
              { timeZone: 'America/Chicago', startHour: 8, endHour: 20 },
            ],
            geographicExclusions: [{ latitude: 27.95, longitude: -82.45, radiusKm: 50 }],
          }),
        ]),
      },
      state,
    );
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]!.fields).toEqual([
      { path: 'geographicExclusions[27.95,-82.45].radiusKm', oldValue: 80, newValue: 50 },
      { path: 'timeZoneRestrictions[America/New_York].endHour', oldValue: 20, newValue: 21 },
    ]);
    expect(plan.changes[0]!.live).toEqual({ id: state.complianceRules[0]!.id, version: 1 });
  });

  it('names unknown campaigns and DNC lists at their lines with suggestions', () => {
    const text =
      'version: 1\ncomplianceRules:\n' +
      '  - campaign: Spring Renewal\n    name: US hours\n    type: TIME_RESTRICTION\n    jurisdiction: US-FCC\n' +
      '    timeZoneRestrictions: [{ timeZone: America/New_York, startHour: 8, endHour: 20 }]\n' +
      '    dncLists: [Internal DNC, Litigator Scrubb]\n    maxCallsPerDay: 1\n    concurrencyLimit: 5\n' +
      '  - campaign: Winback 2026\n    name: UK hours\n    type: TIME_RESTRICTION\n    jurisdiction: UK\n' +
      '    timeZoneRestrictions: [{ timeZone: Europe/London, startHour: 9, endHour: 20 }]\n' +
      '    dncLists:\n      - Internal DNC\n      - Litigator Scrubb\n    maxCallsPerDay: 1\n    concurrencyLimit: 5\n';
    const { positioned, ok } = planTexts({ 'r.yaml': text }, stateOf());
    expect(ok).toBe(false);
    expect(positioned.map((d) => [d.code, d.line, d.hint])).toEqual([
      ['reference.campaignUnknown', 3, 'did you mean "Spring Renewals"?'],
      ['reference.dncListUnknown', 18, 'did you mean "Litigator Scrub"?'],
    ]);
  });

  it('asks for the id when two DNC lists share a name, and accepts the id', () => {
    // The simulator refuses such a seed, a real tenant may not: build the state by hand.
    const state = stateOf();
    state.dncLists.push(
      { id: 'dnc-a', name: 'Shared', active: true },
      { id: 'dnc-b', name: 'Shared', active: true },
    );
    const ambiguous = planTexts({ 'r.yaml': rulesYaml([rule({ dncLists: ['Shared'] })]) }, state);
    expect(ambiguous.positioned[0]).toMatchObject({
      code: 'reference.dncListAmbiguous',
      hint: 'name the DNC list by its id instead',
    });
    expect(ambiguous.positioned[0]!.message).toContain('dnc-a, dnc-b');
    const byId = planTexts({ 'r.yaml': rulesYaml([rule({ dncLists: ['dnc-b'] })]) }, state);
    expect(byId.ok).toBe(true);
    expect(byId.plan.changes[0]!.body).toMatchObject({ dncListIds: ['dnc-b'] });
    // Shared names cannot identify a list, so plans show the id.
    expect(byId.plan.changes[0]!.fields.find((f) => f.path === 'dncLists')?.newValue).toEqual([
      'dnc-b',
    ]);
  });

  it('refuses to write a rule naming an inactive DNC list, but only warns while it is unchanged', () => {
    const files = { 'r.yaml': rulesYaml([rule({ dncLists: ['Legacy Suppression 2019'] })]) };
    const create = planTexts(files, stateOf());
    expect(create.ok).toBe(false);
    expect(create.positioned[0]).toMatchObject({
      code: 'reference.dncListInactive',
      severity: 'error',
    });
    const unchanged = planTexts(
      files,
      stateOf({
        complianceRules: [liveRule('cmp-1', { dncLists: ['dnc-4'] })],
      }),
    );
    expect(unchanged.ok).toBe(true);
    expect(unchanged.plan.changes).toEqual([]);
    expect(unchanged.positioned[0]).toMatchObject({
      code: 'reference.dncListInactive',
      severity: 'warning',
    });
  });

  it('takes the default campaign for rules that name none, and says where it came from', () => {
    const { campaign: _campaign, ...withoutCampaign } = rule();
    const files = { 'r.yaml': rulesYaml([withoutCampaign]) };
    const ok = planTexts(files, stateOf(), { defaults: { defaultCampaign: 'cmp-2' } });
    expect(ok.plan.changes[0]).toMatchObject({ key: 'Winback 2026/US hours', parentId: 'cmp-2' });
    const unknown = planTexts(files, stateOf(), { defaults: { defaultCampaign: 'cmp-99' } });
    expect(unknown.positioned[0]!.message).toContain('CXONE_CAMPAIGN_ID');
    expect(unknown.positioned[0]!.line).toBe(3);
  });

  it('owns the rules of the campaigns the manifests mention, or exactly those scope names', () => {
    const state = stateOf({
      complianceRules: [
        liveRule('cmp-1', { name: 'Hand made' }),
        liveRule('cmp-2', { name: 'Elsewhere' }),
      ],
    });
    const mentioned = planTexts({ 'r.yaml': rulesYaml([rule()]) }, state, { prune: 'deactivate' });
    expect(mentioned.plan.changes.map((c) => [c.action, c.key])).toEqual([
      ['delete', 'Spring Renewals/Hand made'],
      ['create', 'Spring Renewals/US hours'],
    ]);
    expect(mentioned.plan.changes[0]).toMatchObject({ deleteMode: 'delete', parentId: 'cmp-1' });
    const scoped = planTexts(
      { 'r.yaml': rulesYaml([rule()], 'scope:\n  campaigns: [Spring Renewals, cmp-2]\n') },
      state,
    );
    expect(scoped.plan.unmanaged.map((u) => u.key)).toEqual([
      'Spring Renewals/Hand made',
      'Winback 2026/Elsewhere',
    ]);
    const outside = planTexts(
      { 'r.yaml': rulesYaml([rule()], 'scope:\n  campaigns: [Winback 2026]\n') },
      state,
    );
    expect(outside.positioned.map((d) => d.code)).toEqual(['scope.outside']);
  });

  it('catches two rules that name one campaign by name and by id', () => {
    const { positioned } = planTexts(
      { 'r.yaml': rulesYaml([rule(), rule({ campaign: 'cmp-1' })]) },
      stateOf(),
    );
    expect(positioned.map((d) => [d.code, d.line])).toEqual([['complianceRule.duplicate', 4]]);
    expect(positioned[0]!.message).toContain('r.yaml:3:');
  });
});

describe('plan digest', () => {
  it('leaves out where objects are declared', () => {
    const state = stateOf();
    const one = planTexts({ 'a.yaml': codesYaml([RES_001]) }, state).plan;
    const two = planTexts({ 'b.yaml': `# moved\n\n${codesYaml([RES_001])}` }, state).plan;
    expect(two.changes[0]!.source).toEqual({ file: 'b.yaml', line: 5 });
    expect(two.digest).toBe(one.digest);
    expect(planDigest(one.target, one.changes)).toBe(one.digest);
  });
});
