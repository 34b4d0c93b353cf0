import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeIdempotencyKey, batchIdempotencyKey } from '../../src/apply/idempotency.js';
import { executionStages } from '../../src/apply/order.js';
import { diffKind, type PruneBehaviour } from '../../src/plan/compute.js';
import type { WrapUpCodeFields } from '../../src/cxone/types.js';
import type { PlannedBody, PlannedChange, PruneMode } from '../../src/plan/types.js';

interface Code {
  code: string;
  category: string;
  isDefault: boolean;
  isActive: boolean;
}

/** The full body of a code: the fields these tests leave out do not take part in ordering. */
function full(code: Code): WrapUpCodeFields {
  return { name: code.code, duration: 60, ...code };
}

/** Pruning deactivates and also gives up the default: an inactive code cannot be the default. */
const deactivate: PruneBehaviour<'wrapUpCode', Code> = {
  deactivate: (entry) =>
    entry.comparable.isActive === false && entry.comparable.isDefault !== true
      ? undefined
      : {
          body: full({ ...entry.comparable, isActive: false, isDefault: false }),
          fields: [
            { path: 'isActive', oldValue: entry.comparable.isActive, newValue: false },
          ].concat(
            entry.comparable.isDefault === true
              ? [{ path: 'isDefault', oldValue: true, newValue: false }]
              : [],
          ),
        },
};

/** A server model that enforces "at most one default per category" on every write. */
class DefaultRuleServer {
  readonly codes = new Map<string, Code>();
  constructor(initial: readonly Code[]) {
    for (const code of initial) this.codes.set(code.code, { ...code });
  }
  write(change: PlannedChange, body: PlannedBody | undefined): void {
    if (change.action === 'delete' && change.deleteMode === 'delete') {
      this.codes.delete(change.key);
      return;
    }
    if (body === undefined || !('isDefault' in body))
      throw new Error(`no code body: ${change.key}`);
    const next: Code = {
      code: body.code,
      category: body.category,
      isDefault: body.isDefault,
      isActive: body.isActive,
    };
    if (next.isDefault) {
      for (const other of this.codes.values()) {
        if (other.code !== next.code && other.isDefault && other.category === next.category) {
          throw new Error(`DEFAULT_CONFLICT: ${next.code} vs ${other.code} in ${next.category}`);
        }
      }
    }
    this.codes.set(change.key, { ...next });
  }
}

/** Codes with unique keys and at most one default per category. */
const codeSet = fc
  .uniqueArray(
    fc.record({
      code: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
      category: fc.constantFrom('X', 'Y'),
      isDefault: fc.boolean(),
      isActive: fc.boolean(),
    }),
    { selector: (c) => c.code, maxLength: 5 },
  )
  .map((codes) => {
    const taken = new Set<string>();
    return codes.map((c) => {
      if (!c.isDefault) return c;
      if (taken.has(c.category)) return { ...c, isDefault: false };
      taken.add(c.category);
      return c;
    });
  });

describe('execution stages', () => {
  it('moves a default between two codes of one category: clear first, then set', () => {
    const live = [
      { code: 'A', category: 'X', isDefault: true, isActive: true },
      { code: 'B', category: 'X', isDefault: false, isActive: true },
    ];
    const desired = [
      { code: 'A', category: 'X', isDefault: false, isActive: true },
      { code: 'B', category: 'X', isDefault: true, isActive: true },
    ];
    const { changes } = diffKind({
      kind: 'wrapUpCode',
      desired: desired.map((c) => ({ key: c.code, comparable: c, body: full(c) })),
      live: live.map((c) => ({
        key: c.code,
        comparable: c,
        live: { id: c.code, version: 1 },
        owned: true,
      })),
      prune: false,
    });
    const stages = executionStages({ changes });
    expect(stages.map((s) => [s.name, s.writes.map((w) => w.change.key)])).toEqual([
      ['release', ['A']],
      ['upsert', ['B']],
    ]);
  });

  it('swaps defaults between categories in two steps', () => {
    const live = [
      { code: 'A', category: 'X', isDefault: true, isActive: true },
      { code: 'B', category: 'Y', isDefault: true, isActive: true },
    ];
    const desired = [
      { code: 'A', category: 'Y', isDefault: true, isActive: true },
      { code: 'B', category: 'X', isDefault: true, isActive: true },
    ];
    const { changes } = diffKind({
      kind: 'wrapUpCode',
      desired: desired.map((c) => ({ key: c.code, comparable: c, body: full(c) })),
      live: live.map((c) => ({
        key: c.code,
        comparable: c,
        live: { id: c.code, version: 1 },
        owned: true,
      })),
      prune: false,
    });
    const stages = executionStages({ changes });
    expect(stages.map((s) => [s.name, s.writes.map((w) => `${w.change.key}:${w.step}`)])).toEqual([
      ['release', ['A:release', 'B:release']],
      ['claim', ['A:claim', 'B:claim']],
    ]);
    expect(stages[0]?.writes[0]?.body).toMatchObject({ category: 'Y', isDefault: false });
  });

  it('never breaks the one-default rule, whatever the order inside a stage', () => {
    fc.assert(
      fc.property(
        codeSet,
        codeSet,
        fc.constantFrom<PruneMode>(false, 'deactivate', 'delete'),
        fc.integer(),
        (live, desired, prune, shuffleSeed) => {
          // Codes left live outside the manifests keep their default unless pruned; a desired
          // default clashing with such a code is a plan-time error, not an ordering problem.
          const desiredKeys = new Set(desired.map((c) => c.code));
          const kept = live.filter(
            (c) => !desiredKeys.has(c.code) && prune === false && c.isDefault,
          );
          fc.pre(!kept.some((k) => desired.some((d) => d.isDefault && d.category === k.category)));
          const { changes } = diffKind({
            kind: 'wrapUpCode',
            desired: desired.map((c) => ({ key: c.code, comparable: c, body: full(c) })),
            live: live.map((c) => ({
              key: c.code,
              comparable: c,
              live: { id: c.code, version: 1 },
              owned: true,
            })),
            prune,
            pruneBehaviour: deactivate,
          });
          const server = new DefaultRuleServer(live);
          let seed = shuffleSeed;
          for (const stage of executionStages({ changes })) {
            const writes = [...stage.writes].sort(() =>
              (seed = (seed * 1103515245 + 12345) | 0) & 1 ? 1 : -1,
            );
            for (const write of writes) server.write(write.change, write.body);
          }
          for (const code of desired) expect(server.codes.get(code.code)).toEqual(code);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('idempotency keys', () => {
  const change: PlannedChange = {
    kind: 'wrapUpCode',
    key: 'RES_001',
    action: 'create',
    fields: [],
  };

  it('are stable for the same plan and change, and differ by digest, step and change', () => {
    const key = changeIdempotencyKey('d1', change);
    expect(key).toMatch(/^cxctl-[0-9a-f]{48}$/);
    expect(changeIdempotencyKey('d1', change)).toBe(key);
    expect(changeIdempotencyKey('d2', change)).not.toBe(key);
    expect(changeIdempotencyKey('d1', change, 'claim')).not.toBe(key);
    expect(changeIdempotencyKey('d1', { ...change, key: 'RES_002' })).not.toBe(key);
  });

  it('do not depend on the order of keys in a batch', () => {
    expect(batchIdempotencyKey('d', 'wrapUpCode', ['B', 'A'])).toBe(
      batchIdempotencyKey('d', 'wrapUpCode', ['A', 'B']),
    );
  });
});
