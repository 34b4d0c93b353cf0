import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATHS, codeBody, ruleBody, startHarness, type Harness } from './harness.js';

describe('simulator: end to end over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.stop();
  });

  it('serves the default seed, creates codes and rules, and counts requests', async () => {
    const categories = await h.send('GET', PATHS.categories);
    expect(categories.status).toBe(200);
    expect((categories.json as { items: { name: string }[] }).items.map((c) => c.name)).toEqual([
      'Billing',
      'Callback',
      'Compliance',
      'Escalation',
      'Resolution',
      'Retention',
      'Sales',
      'Service',
    ]);
    const created = await h.send('POST', PATHS.codes, { body: [codeBody('RES_001')] });
    expect(created.json).toEqual({ ids: ['wuc-000001'], errors: [] });
    const rule = await h.send('POST', PATHS.rules('cmp-1'), { body: ruleBody('US-FCC hours') });
    expect(rule.status).toBe(201);
    expect(rule.json).toMatchObject({ id: 'rule-000001', version: 1, campaignId: 'cmp-1' });
    expect(h.sim.requests().counts).toMatchObject({
      'POST /oauth2/token': 1,
      'POST /api/v2/contact-center/interaction-config/wrap-up-codes': 1,
      'POST /api/v2/campaigns/{campaignId}/rules': 1,
    });
  });
});
