import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutBatches } from '../../src/apply/batches.js';
import { blockingReason, type ProgressView } from '../../src/apply/dependencies.js';
import type { PlannedWrite } from '../../src/apply/order.js';
import type { WrapUpCodeFields } from '../../src/cxone/types.js';
import type { PlannedChange, PlannedChangeOf } from '../../src/plan/types.js';

function codeBody(code: string, category: string, isDefault: boolean): WrapUpCodeFields {
  return { code, name: code, category, duration: 60, isActive: true, isDefault };
}

function codeChange(
  key: string,
  overrides: Partial<PlannedChangeOf<'wrapUpCode'>> = {},
): PlannedChangeOf<'wrapUpCode'> {
  return {
    kind: 'wrapUpCode',
    key,
    action: 'update',
    live: { id: key, version: 1 },
    body: codeBody(key, 'X', false),
    fields: [],
    ...overrides,
  };
}

function view(failed: readonly PlannedChange[]): ProgressView {
  return {
    progress: (change) => (failed.includes(change) ? 'failed' : 'succeeded'),
    releasedDefault: (change) => !failed.includes(change),
  };
}

describe('dependencies between writes', () => {
  it('skips a new default while the old default of its category is not released', () => {
    const oldDefault = codeChange('AA', {
      body: codeBody('AA', 'X', false),
      fields: [{ path: 'isDefault', oldValue: true, newValue: false }],
    });
    const newDefault = codeChange('BB', {
      body: codeBody('BB', 'X', true),
      fields: [{ path: 'isDefault', oldValue: false, newValue: true }],
    });
    const changes = [oldDefault, newDefault];
    const write: PlannedWrite = { change: newDefault, body: newDefault.body!, step: 'main' };
    expect(blockingReason(write, 'upsert', changes, view([oldDefault]))).toMatch(
      /default of category "X" is still held by wrap-up code AA/,
    );
    expect(blockingReason(write, 'upsert', changes, view([]))).toBeUndefined();
  });

  it('holds hard deletes of codes while another code change failed', () => {
    const failedUpdate = codeChange('AA');
    const hardDelete = codeChange('ZZ', { action: 'delete', deleteMode: 'delete' });
    delete hardDelete.body;
    const changes = [failedUpdate, hardDelete];
    const write: PlannedWrite = { change: hardDelete, step: 'main' };
    expect(blockingReason(write, 'delete', changes, view([failedUpdate]))).toMatch(
      /deletes of wrap-up codes wait until every other wrap-up code change succeeded, and wrap-up code AA did not/,
    );
    expect(blockingReason(write, 'delete', changes, view([]))).toBeUndefined();
  });

  it('holds rule deletes only in the campaign where a rule create or update failed', () => {
    const rule = (
      key: string,
      parentId: string,
      action: PlannedChange['action'],
    ): PlannedChange => ({
      kind: 'complianceRule',
      key,
      action,
      parentId,
      fields: [],
    });
    const failedCreate = rule('One/new', 'cmp-1', 'create');
    const deleteSame = rule('One/old', 'cmp-1', 'delete');
    const deleteOther = rule('Two/old', 'cmp-2', 'delete');
    const changes = [failedCreate, deleteSame, deleteOther];
    const failed = view([failedCreate]);
    expect(blockingReason({ change: deleteSame, step: 'main' }, 'delete', changes, failed)).toMatch(
      /rule deletes in a campaign wait/,
    );
    expect(
      blockingReason({ change: deleteOther, step: 'main' }, 'delete', changes, failed),
    ).toBeUndefined();
  });
});

describe('batches', () => {
  it('are cut from the writes sorted by key, whatever their order, at most the batch size', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[A-Z]{2,4}$/), { maxLength: 250 }),
        fc.integer({ min: 1, max: 100 }),
        (keys, size) => {
          const writes = keys.map((key) => ({ change: codeChange(key), step: 'main' as const }));
          const batches = cutBatches(writes, size);
          const again = cutBatches([...writes].reverse(), size);
          const keysOf = (b: PlannedWrite[][]) => b.map((batch) => batch.map((w) => w.change.key));
          expect(keysOf(again)).toEqual(keysOf(batches));
          expect(batches.every((batch) => batch.length >= 1 && batch.length <= size)).toBe(true);
          expect(keysOf(batches).flat()).toEqual([...keys].sort());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('never hold one key twice, so no batch is one the API refuses whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('AA', 'BB', 'CC', 'DD'), { maxLength: 60 }),
        fc.integer({ min: 1, max: 100 }),
        (keys, size) => {
          const writes = keys.map((key) => ({
            change: codeChange(key, { action: 'create' }),
            step: 'main' as const,
          }));
          const batches = cutBatches(writes, size);
          for (const batch of batches) {
            const batchKeys = batch.map((w) => w.change.key);
            expect(new Set(batchKeys).size).toBe(batchKeys.length);
            expect(batch.length).toBeLessThanOrEqual(size);
          }
          expect(batches.flat()).toHaveLength(writes.length);
        },
      ),
      { numRuns: 100 },
    );
    const twice = ['AA', 'BB', 'AA'].map((key) => ({
      change: codeChange(key, { action: 'create' }),
      step: 'main' as const,
    }));
    expect(cutBatches(twice, 100).map((b) => b.map((w) => w.change.key))).toEqual([
      ['AA'],
      ['AA', 'BB'],
    ]);
  });
});
