import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GENERATED_VALIDATOR_PATH,
  generateValidatorSource,
} from '../../scripts/generateSchemaValidator.js';

const root = join(import.meta.dirname, '..', '..');

describe('generated schema validator', () => {
  it('matches the schema files (run npm run generate:validator after editing schemas/)', async () => {
    const fresh = await generateValidatorSource(root);
    expect(readFileSync(join(root, GENERATED_VALIDATOR_PATH), 'utf8')).toBe(fresh);
  });

  it('every schema file has an $id, and a title and description on every property', () => {
    const missing: string[] = [];
    const visit = (schema: unknown, where: string): void => {
      if (typeof schema !== 'object' || schema === null) return;
      const record = schema as Record<string, unknown>;
      const properties = record.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [name, property] of Object.entries(properties ?? {})) {
        if (typeof property.title !== 'string' || typeof property.description !== 'string') {
          missing.push(`${where}.${name}`);
        }
        visit(property, `${where}.${name}`);
      }
      if (record.items) visit(record.items, `${where}[]`);
    };
    for (const name of [
      'manifest',
      'wrap-up-code',
      'compliance-rule',
      'crm-mapping',
      'compliance-test',
    ]) {
      const schema = JSON.parse(
        readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8'),
      ) as Record<string, unknown>;
      expect(schema.$id).toBe(`https://cxctl.dev/schemas/${name}.schema.json`);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(typeof schema.title).toBe('string');
      visit(schema, name);
    }
    expect(missing).toEqual([]);
  });
});
