import { describe, expect, it } from 'vitest';
import { clientRuleId, RULE_ID_NAMESPACE, uuidV5 } from '../../src/cxone/ruleIds.js';

describe('uuidV5', () => {
  it('matches the RFC 9562 name-based UUID of other implementations', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com')
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('not-a-uuid', 'x')).toThrow(RangeError);
  });
});

describe('clientRuleId', () => {
  it('is the UUIDv5 of the JSON array [campaignId, name] in the documented namespace', () => {
    expect(RULE_ID_NAMESPACE).toBe('53d368b6-3e4c-457e-8d0f-7f2d26f15afc');
    // Python: uuid.uuid5(ns, json.dumps([campaign, name], separators=(',', ':'), ensure_ascii=False))
    expect(clientRuleId('cmp-1', 'US-FCC calling hours')).toBe(
      'da38c6f3-cf6b-5d3d-8471-8379fb8b5992',
    );
    expect(clientRuleId('cmp-1', 'Été 2026 – règle')).toBe('00a6a177-9f88-5421-ae58-0c97525fea8c');
  });

  it('gives different rules different ids, even when their texts would run together', () => {
    const ids = new Set([
      clientRuleId('cmp-1', 'US hours'),
      clientRuleId('cmp-2', 'US hours'),
      clientRuleId('cmp-1', 'US hours 2'),
      clientRuleId('a', 'b c'),
      clientRuleId('a b', 'c'),
    ]);
    expect(ids.size).toBe(5);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
