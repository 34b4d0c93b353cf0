import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { assemblePlan } from '../../src/plan/assemble.js';
import { diffKind } from '../../src/plan/compute.js';
import { packageRoot } from '../../src/util/packageRoot.js';

describe('schemas/plan.schema.json', () => {
  const schema = JSON.parse(
    readFileSync(join(packageRoot(), 'schemas', 'plan.schema.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);

  it('describes a real plan, including prunes and unmanaged objects', () => {
    const fields = {
      code: 'A',
      name: 'a',
      category: 'X',
      duration: 1,
      isActive: true,
      isDefault: false,
    };
    const plan = assemblePlan(
      {
        target: { label: 'acme', apiBase: 'https://acme.api.cxone.com' },
        manifestDigest: 'f'.repeat(64),
        prune: 'deactivate',
        cxctlVersion: '0.1.0',
        createdAt: new Date(0).toISOString(),
      },
      {
        wrapUpCode: diffKind({
          kind: 'wrapUpCode',
          desired: [
            { key: 'A', comparable: fields, body: fields, source: { file: 'm.yaml', line: 2 } },
          ],
          live: [
            {
              key: 'A',
              comparable: { ...fields, duration: 2 },
              live: { id: '1', version: 4 },
              owned: true,
            },
            {
              key: 'B',
              comparable: { ...fields, code: 'B' },
              live: { id: '2', version: 1 },
              owned: true,
            },
          ],
          prune: 'delete',
        }),
      },
    );
    const valid = validate(JSON.parse(JSON.stringify(plan)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a tampered plan', () => {
    expect(validate({ formatVersion: 2 })).toBe(false);
  });
});
