import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceDocument } from '../../scripts/referenceSections.js';
import { packageRoot } from '../../src/util/packageRoot.js';

describe('docs/manifest-reference.md', () => {
  it('is what the schemas say (regenerate with npm run generate:reference)', () => {
    const committed = readFileSync(join(packageRoot(), 'docs', 'manifest-reference.md'), 'utf8');
    expect(committed).toBe(referenceDocument());
  });

  it('documents every constraint of the wrap-up code', () => {
    const doc = referenceDocument();
    expect(doc).toContain('| `duration` | integer | yes | 1..7200 |');
    expect(doc).toContain('| `concurrencyLimit` | integer | yes | 1..10 |');
    expect(doc).toContain('| `timeZoneRestrictions[].startHour` | integer |  | 0..23 |');
  });
});
