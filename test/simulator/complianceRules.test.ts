import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ComplianceRule, Page } from '../../src/cxone/types.js';
import { PATHS, ruleBody, startHarness, type Harness } from './harness.js';

describe('simulator: campaign compliance rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.stop();
  });
  beforeEach(() => {
    h.sim.reset();
  });

  const create = (body: unknown, campaign = 'cmp-1') =>
    h.send('POST', PATHS.rules(campaign), { body });
  const fieldsOf = (json: unknown) =>
    (json as { details: { field: string }[] }).details.map((d) => d.field);

  it('lists the seeded campaigns and DNC lists sorted by name', async () => {
    const campaigns = (await h.send('GET', PATHS.campaigns)).json as { items: unknown[] };
    expect(campaigns.items).toEqual([
      { id: 'cmp-5', name: 'Appointment Reminders' },
      { id: 'cmp-3', name: 'Collections Early Stage' },
      { id: 'cmp-4', name: 'Service Follow-up' },
      { id: 'cmp-1', name: 'Spring Renewals' },
      { id: 'cmp-2', name: 'Winback 2026' },
    ]);
    const lists = (await h.send('GET', PATHS.dncLists)).json as { items: unknown[] };
    expect(lists.items).toEqual([
      { id: 'dnc-1', name: 'Internal DNC', active: true },
      { id: 'dnc-4', name: 'Legacy Suppression 2019', active: false },
      { id: 'dnc-3', name: 'Litigator Scrub', active: true },
      { id: 'dnc-2', name: 'National DNC Registry', active: true },
    ]);
  });

  it('creates a rule: 201 with id, version 1, ETag, Location and defaults', async () => {
    const response = await create(ruleBody('US-FCC calling hours'));
    expect(response.status).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.headers.location).toBe('/api/v2/campaigns/cmp-1/rules/rule-000001');
    expect(response.json).toEqual({
      id: 'rule-000001',
      version: 1,
      campaignId: 'cmp-1',
      ...ruleBody('US-FCC calling hours'),
      geographicExclusions: [],
    });
    const fetched = await h.send('GET', PATHS.rule('cmp-1', 'rule-000001'));
    expect(fetched.json).toEqual(response.json);
  });

  it('accepts every rule type and the limits exactly', async () => {
    const bodies = [
      ruleBody('abc', { type: 'DNC_COMPLIANCE', concurrencyLimit: 1 }),
      ruleBody('def', {
        type: 'FREQUENCY_LIMIT',
        concurrencyLimit: 10,
        timeZoneRestrictions: [
          { timeZone: 'Europe/London', startHour: 0, endHour: 23 },
          { timeZone: 'UTC', startHour: 9, endHour: 10 },
        ],
        dncListIds: ['dnc-1', 'dnc-2', 'dnc-3'],
        geographicExclusions: [
          { latitude: -90, longitude: -180, radiusKm: 0.001 },
          { latitude: 90, longitude: 180, radiusKm: 20000 },
        ],
      }),
    ];
    for (const body of bodies) expect((await create(body)).status).toBe(201);
  });

  it.each([
    ['type not in the enum', { type: 'CALL_BLOCKING' }, ['/type']],
    ['name shorter than 3', { name: 'ab' }, ['/name']],
    ['jurisdiction empty', { jurisdiction: '' }, ['/jurisdiction']],
    ['jurisdiction missing', { jurisdiction: undefined }, ['/jurisdiction']],
    ['concurrencyLimit 11', { concurrencyLimit: 11 }, ['/concurrencyLimit']],
    ['concurrencyLimit 0', { concurrencyLimit: 0 }, ['/concurrencyLimit']],
    ['maxCallsPerDay 0', { maxCallsPerDay: 0 }, ['/maxCallsPerDay']],
    ['maxCallsPerDay 1.5', { maxCallsPerDay: 1.5 }, ['/maxCallsPerDay']],
    ['empty time-zone matrix', { timeZoneRestrictions: [] }, ['/timeZoneRestrictions']],
    [
      'an unknown time zone',
      { timeZoneRestrictions: [{ timeZone: 'Mars/Olympus_Mons', startHour: 8, endHour: 20 }] },
      ['/timeZoneRestrictions/0/timeZone'],
    ],
    [
      'a UTC offset instead of a zone',
      { timeZoneRestrictions: [{ timeZone: '+05:00', startHour: 8, endHour: 20 }] },
      ['/timeZoneRestrictions/0/timeZone'],
    ],
    [
      'hour 24',
      { timeZoneRestrictions: [{ timeZone: 'America/Chicago', startHour: 8, endHour: 24 }] },
      ['/timeZoneRestrictions/0/endHour'],
    ],
    [
      'hour -1',
      { timeZoneRestrictions: [{ timeZone: 'America/Chicago', startHour: -1, endHour: 20 }] },
      ['/timeZoneRestrictions/0/startHour'],
    ],
    [
      'start after end',
      { timeZoneRestrictions: [{ timeZone: 'America/Chicago', startHour: 20, endHour: 8 }] },
      ['/timeZoneRestrictions/0/endHour'],
    ],
    [
      'a zone twice',
      {
        timeZoneRestrictions: [
          { timeZone: 'America/Chicago', startHour: 8, endHour: 20 },
          { timeZone: 'America/Chicago', startHour: 9, endHour: 21 },
        ],
      },
      ['/timeZoneRestrictions/1/timeZone'],
    ],
    ['no DNC list', { dncListIds: [] }, ['/dncListIds']],
    ['an unknown DNC list', { dncListIds: ['dnc-1', 'dnc-99'] }, ['/dncListIds/1']],
    ['an inactive DNC list', { dncListIds: ['dnc-4'] }, ['/dncListIds/0']],
    ['a DNC list by name', { dncListIds: ['Internal DNC'] }, ['/dncListIds/0']],
    [
      'latitude out of range',
      { geographicExclusions: [{ latitude: 90.5, longitude: 0, radiusKm: 1 }] },
      ['/geographicExclusions/0/latitude'],
    ],
    [
      'longitude out of range',
      { geographicExclusions: [{ latitude: 0, longitude: -180.1, radiusKm: 1 }] },
      ['/geographicExclusions/0/longitude'],
    ],
    [
      'radius 0',
      { geographicExclusions: [{ latitude: 0, longitude: 0, radiusKm: 0 }] },
      ['/geographicExclusions/0/radiusKm'],
    ],
    ['an unknown field', { priority: 1 }, ['/priority']],
    ['campaignId of another campaign', { campaignId: 'cmp-2' }, ['/campaignId']],
    ['a malformed id', { id: 'has space' }, ['/id']],
  ])('refuses %s with 422 and the field', async (_label, overrides, fields) => {
    const response = await create(ruleBody('Valid name', overrides));
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fieldsOf(response.json)).toEqual(fields);
    expect(h.sim.state().complianceRules).toEqual([]);
  });

  it('reports every problem of a body at once', async () => {
    const response = await create({ name: 'x', type: 'NOPE' });
    expect(fieldsOf(response.json)).toEqual([
      '/name',
      '/type',
      '/jurisdiction',
      '/timeZoneRestrictions',
      '/dncListIds',
      '/maxCallsPerDay',
      '/concurrencyLimit',
    ]);
  });

  it('answers 409 RULE_NAME_EXISTS for a taken name in the same campaign only', async () => {
    expect((await create(ruleBody('Same name'))).status).toBe(201);
    const duplicate = await create(ruleBody('Same name', { type: 'DNC_COMPLIANCE' }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.json).toMatchObject({ code: 'RULE_NAME_EXISTS' });
    expect((await create(ruleBody('Same name'), 'cmp-2')).status).toBe(201);
  });

  it('uses a client-chosen UUID, and answers 409 RULE_ID_EXISTS when it is taken', async () => {
    const id = '0f8fad5b-d9cb-569f-a165-70867728950e';
    const chosen = await create(ruleBody('Chosen id', { id }));
    expect(chosen.status).toBe(201);
    expect(chosen.json).toMatchObject({ id, name: 'Chosen id' });
    expect(chosen.headers.location).toBe(`${PATHS.rules('cmp-1')}/${id}`);
    // The same id again, in the same campaign or another, under another name: the rule exists.
    for (const [name, campaign] of [
      ['Chosen id', 'cmp-1'],
      ['Other name', 'cmp-1'],
      ['Other name', 'cmp-2'],
    ] as const) {
      const taken = await create(ruleBody(name, { id: id.toUpperCase() }), campaign);
      expect(taken.status).toBe(409);
      expect(taken.json).toMatchObject({ code: 'RULE_ID_EXISTS' });
    }
    expect(h.sim.state().complianceRules.map((r) => r.id)).toEqual([id]);
  });

  it('stores a client-chosen UUID in lower case', async () => {
    const response = await create(
      ruleBody('Upper case id', { id: 'ABCDEF01-2345-5678-9ABC-DEF012345678' }),
    );
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ id: 'abcdef01-2345-5678-9abc-def012345678' });
  });

  it.each([
    ['a slug', 'us-fcc-hours'],
    ['a UUID without dashes', '0f8fad5bd9cb569fa16570867728950e'],
    ['a UUID in braces', '{0f8fad5b-d9cb-569f-a165-70867728950e}'],
    ['a number', 42],
    ['an empty string', ''],
  ])('refuses %s as a client-chosen id with 422 and creates nothing', async (_label, id) => {
    const response = await create(ruleBody('Bad id', { id }));
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({
      details: [
        {
          field: '/id',
          message:
            'must be a UUID (8-4-4-4-12 hexadecimal digits), or absent for a server-chosen id',
        },
      ],
    });
    expect(h.sim.state().complianceRules).toEqual([]);
  });

  it('refuses the old field name dncLists, naming dncListIds', async () => {
    const { dncListIds, ...rest } = ruleBody('Old shape');
    const response = await create({ ...rest, dncLists: dncListIds });
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({
      details: [
        { field: '/dncLists', message: 'unknown field: renamed to "dncListIds"' },
        { field: '/dncListIds', message: 'is required' },
      ],
    });
    expect(h.sim.state().complianceRules).toEqual([]);
  });

  it('answers 404 CAMPAIGN_NOT_FOUND for every route of an unknown campaign', async () => {
    for (const [method, path] of [
      ['GET', PATHS.rules('cmp-404')],
      ['POST', PATHS.rules('cmp-404')],
      ['GET', PATHS.rule('cmp-404', 'rule-000001')],
      ['DELETE', PATHS.rule('cmp-404', 'rule-000001')],
    ] as const) {
      const response = await h.send(
        method,
        path,
        method === 'POST' ? { body: ruleBody('abc') } : {},
      );
      expect(response.status).toBe(404);
      expect(response.json).toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
    }
  });

  it('does not serve a rule under another campaign', async () => {
    await create(ruleBody('Rule of one'));
    const response = await h.send('GET', PATHS.rule('cmp-2', 'rule-000001'));
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ code: 'NOT_FOUND' });
  });

  it("lists a campaign's rules with paging", async () => {
    for (const name of ['One', 'Two', 'Three']) await create(ruleBody(`Rule ${name}`));
    await create(ruleBody('Elsewhere'), 'cmp-2');
    const first = (await h.send('GET', `${PATHS.rules('cmp-1')}?pageSize=2`))
      .json as Page<ComplianceRule>;
    expect(first.totalCount).toBe(3);
    expect(first.items.map((r) => r.name)).toEqual(['Rule One', 'Rule Two']);
    const second = (await h.send('GET', `${PATHS.rules('cmp-1')}?page=2&pageSize=2`))
      .json as Page<ComplianceRule>;
    expect(second.items.map((r) => r.name)).toEqual(['Rule Three']);
    const bad = await h.send('GET', `${PATHS.rules('cmp-1')}?pageSize=1000`);
    expect(bad.status).toBe(400);
  });

  it('PUT replaces a rule, bumps the version, honours If-Match and name uniqueness', async () => {
    await create(ruleBody('First rule'));
    await create(ruleBody('Second rule'));
    const updated = await h.send('PUT', PATHS.rule('cmp-1', 'rule-000001'), {
      body: ruleBody('First rule', { concurrencyLimit: 2, id: 'rule-000001', version: 1 }),
      headers: { 'if-match': '"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.headers.etag).toBe('"2"');
    expect(updated.json).toMatchObject({ version: 2, concurrencyLimit: 2 });
    const stale = await h.send('PUT', PATHS.rule('cmp-1', 'rule-000001'), {
      body: ruleBody('First rule'),
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.json).toMatchObject({ code: 'VERSION_MISMATCH', details: { currentVersion: 2 } });
    const renamedOntoTaken = await h.send('PUT', PATHS.rule('cmp-1', 'rule-000001'), {
      body: ruleBody('Second rule'),
    });
    expect(renamedOntoTaken.status).toBe(409);
    expect(renamedOntoTaken.json).toMatchObject({ code: 'RULE_NAME_EXISTS' });
    const otherId = await h.send('PUT', PATHS.rule('cmp-1', 'rule-000001'), {
      body: ruleBody('First rule', { id: 'rule-000002' }),
    });
    expect(otherId.status).toBe(422);
    expect(fieldsOf(otherId.json)).toEqual(['/id']);
    const invalid = await h.send('PUT', PATHS.rule('cmp-1', 'rule-000001'), {
      body: ruleBody('First rule', { concurrencyLimit: 50 }),
    });
    expect(invalid.status).toBe(422);
    expect(h.sim.state().complianceRules[0]).toMatchObject({ version: 2, concurrencyLimit: 2 });
  });

  it('DELETE answers 204, then 404; a stale If-Match is 412', async () => {
    await create(ruleBody('To delete'));
    const stale = await h.send('DELETE', PATHS.rule('cmp-1', 'rule-000001'), {
      headers: { 'if-match': '"5"' },
    });
    expect(stale.status).toBe(412);
    const deleted = await h.send('DELETE', PATHS.rule('cmp-1', 'rule-000001'), {
      headers: { 'if-match': '"1"' },
    });
    expect(deleted.status).toBe(204);
    expect((await h.send('GET', PATHS.rule('cmp-1', 'rule-000001'))).status).toBe(404);
    expect((await h.send('DELETE', PATHS.rule('cmp-1', 'rule-000001'))).status).toBe(404);
  });
});
