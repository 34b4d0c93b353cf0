import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/util/canonical.js';
import { validateTexts } from '../helpers/manifests.js';

interface Code {
  code: string;
  name: string;
  category: string;
  duration: number;
  isActive?: boolean;
  description?: string;
}

// Free text without `${`, which the loader would read as an environment reference.
const freeText = (maxLength: number, minLength = 0) =>
  fc.string({ minLength, maxLength }).filter((text) => !text.includes('${'));

const codeArbitrary: fc.Arbitrary<Code> = fc.record(
  {
    code: fc.stringMatching(/^[A-Z][A-Z0-9_]{2,8}$/),
    name: freeText(20, 1),
    category: fc.constantFrom('Resolution', 'Sales', 'Support'),
    duration: fc.integer({ min: 1, max: 7200 }),
    isActive: fc.boolean(),
    description: freeText(30),
  },
  { requiredKeys: ['code', 'name', 'category', 'duration'] },
);

/** YAML for `codes` in one of several styles: block or flow, keys in a given order, defaults explicit. */
function render(
  codes: readonly Code[],
  style: { flow: boolean; reverseKeys: boolean; explicitDefaults: boolean },
): string {
  const lines = codes.map((code) => {
    const entries: [string, unknown][] = Object.entries({
      ...(style.explicitDefaults ? { isActive: true, isDefault: false } : {}),
      ...code,
    });
    if (style.reverseKeys) entries.reverse();
    if (style.flow) {
      return `  - {${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}`;
    }
    return entries
      .map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${JSON.stringify(v)}`)
      .join('\n');
  });
  return `# generated\nwrapUpCodes:\n${lines.join('\n')}\n`;
}

describe('manifest digest', () => {
  it('ignores file splitting, file order, formatting, key order and explicit defaults', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(codeArbitrary, {
          selector: (code) => code.code,
          minLength: 1,
          maxLength: 12,
        }),
        fc.nat(),
        fc.boolean(),
        fc.boolean(),
        (codes, split, flow, reverseKeys) => {
          const one = validateTexts({
            'all.yaml': render(codes, { flow: false, reverseKeys: false, explicitDefaults: false }),
          });
          expect(one.ok).toBe(true);
          const cut = split % (codes.length + 1);
          const reversed = [...codes].reverse();
          const two = validateTexts({
            'z.yaml': render(reversed.slice(0, cut), { flow, reverseKeys, explicitDefaults: true }),
            'a/b.yml': render(reversed.slice(cut), {
              flow: !flow,
              reverseKeys,
              explicitDefaults: false,
            }),
          });
          expect(two.ok).toBe(true);
          expect(two.digest).toBe(one.digest);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('changes when any desired value changes', () => {
    const base = validateTexts({
      'a.yaml': render([{ code: 'RES_001', name: 'A', category: 'Resolution', duration: 300 }], {
        flow: false,
        reverseKeys: false,
        explicitDefaults: false,
      }),
    });
    const changed = validateTexts({
      'a.yaml': render([{ code: 'RES_001', name: 'A', category: 'Resolution', duration: 301 }], {
        flow: false,
        reverseKeys: false,
        explicitDefaults: false,
      }),
    });
    expect(changed.digest).not.toBe(base.digest);
    expect(base.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores the order of time-zone restrictions and DNC lists', () => {
    const rule = (zones: string[], lists: string[]) => `complianceRules:
  - campaign: C1
    name: Hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions: [${zones.map((zone) => `{timeZone: ${zone}, startHour: 8, endHour: 20}`).join(', ')}]
    dncLists: [${lists.join(', ')}]
    maxCallsPerDay: 1
    concurrencyLimit: 1
`;
    const a = validateTexts({ 'r.yaml': rule(['America/New_York', 'UTC'], ['B', 'A']) });
    const b = validateTexts({ 'r.yaml': rule(['UTC', 'America/New_York'], ['A', 'B']) });
    expect(a.ok).toBe(true);
    expect(a.digest).toBe(b.digest);
    expect(a.desired.complianceRules[0]!.value.geographicExclusions).toEqual([]);
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: undefined }] })).toBe(
      '{"a":[true,null,{"d":"x"}],"b":1}',
    );
  });
});

describe('normalisation', () => {
  it('applies wrap-up code defaults so omitted isActive equals true', () => {
    const result = validateTexts({
      'a.yaml':
        'wrapUpCodes:\n  - {code: AA, name: A, category: C, duration: 5, description: ""}\n',
    });
    expect(result.desired.wrapUpCodes[0]!.value).toEqual({
      code: 'AA',
      name: 'A',
      category: 'C',
      duration: 5,
      isActive: true,
      isDefault: false,
    });
  });

  it('gives rules without a campaign the default campaign', () => {
    const result = validateTexts(
      {
        'r.yaml':
          'complianceRules:\n  - {name: Hours, type: FREQUENCY_LIMIT, jurisdiction: X, timeZoneRestrictions: [{timeZone: UTC, startHour: 0, endHour: 23}], dncLists: [L], maxCallsPerDay: 2, concurrencyLimit: 10}\n',
      },
      { defaults: { defaultCampaign: 'campaign-42' } },
    );
    expect(result.ok).toBe(true);
    expect(result.desired.complianceRules[0]!.value.campaign).toBe('campaign-42');
  });
});
