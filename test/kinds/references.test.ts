import { describe, expect, it } from 'vitest';
import { ReferenceIndex } from '../../src/kinds/references.js';

const refs = new ReferenceIndex({
  categories: [
    { id: 'cat-1', name: 'Resolution' },
    { id: 'cat-2', name: 'Sales' },
  ],
  campaigns: [
    { id: 'cmp-1', name: 'Spring Renewals' },
    { id: 'cmp-2', name: 'Twin' },
    { id: 'cmp-3', name: 'Twin' },
    { id: 'cmp-4', name: 'cmp-1' },
  ],
  dncLists: [
    { id: 'dnc-1', name: 'Internal DNC', active: true },
    { id: 'dnc-2', name: 'Old', active: false },
  ],
});

describe('ReferenceIndex', () => {
  it('resolves by id first, then by unique name', () => {
    expect(refs.resolveCampaign('cmp-2')).toEqual({
      ok: true,
      value: { id: 'cmp-2', name: 'Twin' },
    });
    expect(refs.resolveCampaign('Spring Renewals')).toMatchObject({
      ok: true,
      value: { id: 'cmp-1' },
    });
    // An id wins over a campaign that happens to be named like it.
    expect(refs.resolveCampaign('cmp-1')).toMatchObject({ ok: true, value: { id: 'cmp-1' } });
    expect(refs.resolveDncList('Old')).toMatchObject({ ok: true, value: { active: false } });
  });

  it('reports shared names as ambiguous and unknown names with a suggestion', () => {
    expect(refs.resolveCampaign('Twin')).toMatchObject({
      ok: false,
      reason: 'ambiguous',
      candidates: [{ id: 'cmp-2' }, { id: 'cmp-3' }],
    });
    expect(refs.resolveCampaign('Spring Renewal')).toEqual({
      ok: false,
      reason: 'unknown',
      suggestion: 'Spring Renewals',
    });
    expect(refs.resolveDncList('Nothing like it at all')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('labels objects by name only when the name resolves back to them', () => {
    expect(refs.campaignLabel('cmp-1')).toBe('Spring Renewals');
    expect(refs.campaignLabel('cmp-2')).toBe('cmp-2');
    expect(refs.campaignLabel('cmp-4')).toBe('cmp-4');
    expect(refs.campaignLabel('cmp-99')).toBe('cmp-99');
    expect(refs.dncListLabel('dnc-1')).toBe('Internal DNC');
  });

  it('knows categories by exact name and suggests close ones', () => {
    expect(refs.hasCategory('Sales')).toBe(true);
    expect(refs.hasCategory('sales')).toBe(false);
    expect(refs.suggestCategory('sales')).toBe('Sales');
  });
});
