/**
 * Random damage to valid manifests, at the text level and the structure level, must only ever
 * produce diagnostics: never an exception, and every diagnostic points inside its file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ManifestResult } from '../../src/manifest/pipeline.js';
import { validateTexts, VALID_MANIFEST } from '../helpers/manifests.js';
import { mutateText } from '../helpers/yamlArbitraries.js';

function expectSaneDiagnostics(result: ManifestResult, text: string): void {
  const lines = text.split('\n').length;
  for (const diagnostic of result.diagnostics) {
    expect(diagnostic.file).toBe('m.yaml');
    expect(diagnostic.line).toBeGreaterThanOrEqual(1);
    expect(diagnostic.line).toBeLessThanOrEqual(lines);
    expect(diagnostic.column).toBeGreaterThanOrEqual(1);
    expect(diagnostic.message.length).toBeGreaterThan(0);
  }
}

const textDamage: fc.Arbitrary<string> = fc
  .array(fc.nat(), { minLength: 1, maxLength: 4 })
  .chain((steps) => {
    let arbitrary: fc.Arbitrary<string> = fc.constant(VALID_MANIFEST);
    for (let i = 0; i < steps.length; i++) arbitrary = arbitrary.chain(mutateText);
    return arbitrary;
  });

const base = {
  version: 1,
  wrapUpCodes: [
    { code: 'RES_001', name: 'Case Resolved', category: 'Resolution', duration: 300 },
    { code: 'RES_002', name: 'Other', category: 'Resolution', duration: 30, isDefault: true },
  ],
  complianceRules: [
    {
      campaign: 'Spring',
      name: 'Hours',
      type: 'TIME_RESTRICTION',
      jurisdiction: 'US-FCC',
      timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
      dncLists: ['Internal DNC'],
      maxCallsPerDay: 1,
      concurrencyLimit: 5,
      geographicExclusions: [{ latitude: 1, longitude: 2, radiusKm: 3 }],
    },
  ],
};

/** Paths of every value in `value`. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const result: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => result.push(...paths(item, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) result.push(...paths(item, [...prefix, key]));
  }
  return result;
}
const allPaths = paths(base).filter((path) => path.length > 0);

const structureDamage = fc
  .array(
    fc.tuple(
      fc.constantFrom(...allPaths),
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom(null, '', -1, 0, 7201, 1.5, 'X'.repeat(600), '__proto__', ['a'], {}),
      ),
      fc.boolean(),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) => {
    const document = structuredClone(base) as Record<string, unknown>;
    for (const [path, replacement, asKey] of edits) {
      let parent: unknown = document;
      for (const segment of path.slice(0, -1)) {
        if (typeof parent !== 'object' || parent === null) break;
        parent = (parent as Record<string, unknown>)[segment];
      }
      const last = path[path.length - 1]!;
      if (typeof parent !== 'object' || parent === null) continue;
      const record = parent as Record<string | number, unknown>;
      if (asKey && !Array.isArray(parent) && typeof replacement === 'string') {
        record[replacement.slice(0, 20) || 'empty'] = record[last];
        delete record[last];
      } else {
        record[last] = replacement;
      }
    }
    return stringify(document);
  });

describe('loader robustness', () => {
  it('never throws on text-level damage to a valid manifest', () => {
    fc.assert(
      fc.property(textDamage, (text) => {
        expectSaneDiagnostics(validateTexts({ 'm.yaml': text }, { env: { HOME: '/h' } }), text);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 10_000 },
    );
  });

  it('never throws on structure-level damage, and reports it', () => {
    fc.assert(
      fc.property(structureDamage, (text) => {
        const result = validateTexts({ 'm.yaml': text });
        expectSaneDiagnostics(result, text);
      }),
      { numRuns: 300, interruptAfterTimeLimit: 10_000 },
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = new TextDecoder().decode(bytes);
        validateTexts({ 'm.yaml': text });
      }),
      { numRuns: 200, interruptAfterTimeLimit: 5_000 },
    );
  });
});
