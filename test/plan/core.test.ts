import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemblePlan, planDigest } from '../../src/plan/assemble.js';
import { canonicalJson } from '../../src/util/canonical.js';
import {
  diffKind,
  zeroCounts,
  type DesiredEntry,
  type LiveEntry,
  type PruneBehaviour,
} from '../../src/plan/compute.js';
import { fieldDiff } from '../../src/plan/fieldDiff.js';
import { unsafeDeletes } from '../../src/plan/safety.js';
import type { WrapUpCodeFields } from '../../src/cxone/types.js';
import type { PlannedChange, PruneMode } from '../../src/plan/types.js';

type Code = { code: string; name: string; duration: number; isActive: boolean };

/** These bodies hold only the fields the tests diff; the plan code never reads the others. */
function bodyOf(code: Code): WrapUpCodeFields {
  return { ...code } as WrapUpCodeFields;
}

const header = {
  target: { label: 'acme' },
  manifestDigest: 'm'.repeat(64),
  prune: false as PruneMode,
  cxctlVersion: '0.0.0',
  createdAt: '2026-01-01T00:00:00.000Z',
};

function desiredOf(code: Code): DesiredEntry<'wrapUpCode', Code> {
  return { key: code.code, comparable: { ...code }, body: bodyOf(code) };
}

function liveOf(code: Code, id: string, owned = true): LiveEntry<Code> {
  return { key: code.code, comparable: { ...code }, live: { id, version: 1 }, owned };
}

const deactivation: PruneBehaviour<'wrapUpCode', Code> = {
  deactivate: (entry) =>
    entry.comparable.isActive === false
      ? undefined
      : {
          body: bodyOf({ ...entry.comparable, isActive: false }),
          fields: [{ path: 'isActive', oldValue: true, newValue: false }],
        },
};

describe('canonical JSON', () => {
  it('ignores key order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      canonicalJson({ a: { d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
  });

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('fieldDiff', () => {
  it('matches keyed array members and reports nested fields with readable paths', () => {
    const live = {
      name: 'US hours',
      timeZoneRestrictions: [
        { timeZone: 'America/New_York', startHour: 8, endHour: 20 },
        { timeZone: 'America/Chicago', startHour: 8, endHour: 20 },
      ],
      dncLists: ['Internal DNC'],
      description: 'old',
    };
    const desired = {
      name: 'US hours',
      timeZoneRestrictions: [
        { timeZone: 'America/Denver', startHour: 9, endHour: 20 },
        { timeZone: 'America/New_York', startHour: 8, endHour: 21 },
      ],
      dncLists: ['Internal DNC', 'Litigator Scrub'],
    };
    expect(fieldDiff(live, desired, { timeZoneRestrictions: 'timeZone' })).toEqual([
      { path: 'description', oldValue: 'old' },
      {
        path: 'dncLists',
        oldValue: ['Internal DNC'],
        newValue: ['Internal DNC', 'Litigator Scrub'],
      },
      {
        path: 'timeZoneRestrictions[America/Chicago]',
        oldValue: { timeZone: 'America/Chicago', startHour: 8, endHour: 20 },
      },
      {
        path: 'timeZoneRestrictions[America/Denver]',
        newValue: { timeZone: 'America/Denver', startHour: 9, endHour: 20 },
      },
      { path: 'timeZoneRestrictions[America/New_York].endHour', oldValue: 20, newValue: 21 },
    ]);
  });

  it('accepts a function key for members without a natural property', () => {
    const key = (g: { latitude: number; longitude: number }) => `${g.latitude},${g.longitude}`;
    const changes = fieldDiff(
      { geo: [{ latitude: 1, longitude: 2, radiusKm: 3 }] },
      { geo: [{ latitude: 1, longitude: 2, radiusKm: 5 }] },
      { geo: key },
    );
    expect(changes).toEqual([{ path: 'geo[1,2].radiusKm', oldValue: 3, newValue: 5 }]);
  });
});

describe('diffKind', () => {
  const a: Code = { code: 'A', name: 'a', duration: 1, isActive: true };
  const b: Code = { code: 'B', name: 'b', duration: 2, isActive: true };
  const c: Code = { code: 'C', name: 'c', duration: 3, isActive: true };

  it('creates, updates, leaves equal objects alone and lists owned extras as unmanaged', () => {
    const result = diffKind({
      kind: 'wrapUpCode',
      desired: [desiredOf(a), desiredOf({ ...b, duration: 20 })],
      live: [liveOf(b, 'id-b'), liveOf(c, 'id-c'), liveOf({ ...a, code: 'X' }, 'id-x', false)],
      prune: false,
    });
    expect(result.changes.map((ch) => [ch.action, ch.key])).toEqual([
      ['create', 'A'],
      ['update', 'B'],
    ]);
    expect(result.changes[1]?.fields).toEqual([{ path: 'duration', oldValue: 2, newValue: 20 }]);
    expect(result.changes[1]?.live).toEqual({ id: 'id-b', version: 1 });
    expect(result.unmanaged).toEqual([{ kind: 'wrapUpCode', key: 'C', liveId: 'id-c' }]);
    expect(result.counts).toEqual({
      create: 1,
      update: 1,
      delete: 0,
      deactivate: 0,
      unchanged: 0,
      unmanaged: 1,
      retired: 0,
      managed: 2,
    });
  });

  it('prunes by deactivation, skips already inactive objects, and hard-deletes on request', () => {
    const live = [liveOf(c, 'id-c'), liveOf({ ...b, isActive: false }, 'id-b')];
    const soft = diffKind({
      kind: 'wrapUpCode',
      desired: [],
      live,
      prune: 'deactivate',
      pruneBehaviour: deactivation,
    });
    expect(soft.changes).toHaveLength(1);
    expect(soft.changes[0]).toMatchObject({ key: 'C', action: 'delete', deleteMode: 'deactivate' });
    expect(soft.changes[0]?.body).toMatchObject({ isActive: false });
    expect(soft.unmanaged.map((u) => u.key)).toEqual(['B']);
    const hard = diffKind({
      kind: 'wrapUpCode',
      desired: [],
      live,
      prune: 'delete',
      pruneBehaviour: deactivation,
    });
    expect(hard.changes.map((ch) => [ch.key, ch.deleteMode])).toEqual([
      ['C', 'delete'],
      ['B', 'delete'],
    ]);
  });

  it('never touches objects outside scope, even with prune', () => {
    const result = diffKind({
      kind: 'wrapUpCode',
      desired: [],
      live: [liveOf(c, 'id-c', false)],
      prune: 'delete',
    });
    expect(result.changes).toEqual([]);
    expect(result.counts.managed).toBe(0);
  });
});

describe('assemblePlan', () => {
  const live = [liveOf({ code: 'B', name: 'b', duration: 2, isActive: true }, 'id-b')];
  const desired = [
    desiredOf({ code: 'Z', name: 'z', duration: 1, isActive: true }),
    desiredOf({ code: 'B', name: 'b2', duration: 2, isActive: true }),
  ];

  it('sorts changes and gives the same digest whatever the input order', () => {
    const one = assemblePlan(header, {
      wrapUpCode: diffKind({ kind: 'wrapUpCode', desired, live, prune: false }),
    });
    const two = assemblePlan(
      { ...header, createdAt: '2030-01-01T00:00:00.000Z', manifestDigest: 'other' },
      {
        wrapUpCode: diffKind({
          kind: 'wrapUpCode',
          desired: [...desired].reverse(),
          live,
          prune: false,
        }),
      },
    );
    expect(one.changes.map((ch) => ch.key)).toEqual(['B', 'Z']);
    expect(one.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(two.digest).toBe(one.digest);
  });

  it('changes the digest when a live version or the target changes', () => {
    const base = assemblePlan(header, {
      wrapUpCode: diffKind({ kind: 'wrapUpCode', desired, live, prune: false }),
    });
    const moved = live.map((entry) => ({ ...entry, live: { ...entry.live, version: 2 } }));
    const bumped = assemblePlan(header, {
      wrapUpCode: diffKind({ kind: 'wrapUpCode', desired, live: moved, prune: false }),
    });
    expect(bumped.digest).not.toBe(base.digest);
    expect(planDigest({ label: 'other' }, base.changes)).not.toBe(base.digest);
  });
});

describe('delete threshold', () => {
  function countsWith(managed: number, deletes: number, deactivations = 0) {
    const counts = { ...zeroCounts(), delete: deletes, deactivate: deactivations, managed };
    return { countsByKind: { wrapUpCode: counts, complianceRule: zeroCounts() } };
  }

  it('counts deactivations with deletes', () => {
    expect(unsafeDeletes(countsWith(10, 1, 1))).toEqual([
      { kind: 'wrapUpCode', deletes: 2, managed: 10, percent: 20, maxPercent: 10 },
    ]);
  });

  it('allows exactly the threshold and refuses above it', () => {
    expect(unsafeDeletes(countsWith(10, 1))).toEqual([]);
    expect(unsafeDeletes(countsWith(10, 2))).toEqual([
      { kind: 'wrapUpCode', deletes: 2, managed: 10, percent: 20, maxPercent: 10 },
    ]);
    expect(unsafeDeletes(countsWith(10, 2), 20)).toEqual([]);
  });

  it('does not apply below ten managed objects', () => {
    expect(unsafeDeletes(countsWith(9, 9))).toEqual([]);
  });
});

/** Reference model: apply plan changes to a live map. */
function applyToModel(
  live: Map<string, Code>,
  changes: readonly PlannedChange[],
): Map<string, Code> {
  const next = new Map(live);
  for (const change of changes) {
    if (change.action === 'delete' && change.deleteMode === 'delete') next.delete(change.key);
    else next.set(change.key, change.body as Code);
  }
  return next;
}

describe('plan properties', () => {
  const codeArb = fc.record({
    code: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
    name: fc.constantFrom('x', 'y'),
    duration: fc.integer({ min: 1, max: 3 }),
    isActive: fc.boolean(),
  });
  const uniqueCodes = fc.uniqueArray(codeArb, { selector: (c) => c.code, maxLength: 6 });

  it('applying the plan to live yields the desired state for owned objects', () => {
    fc.assert(
      fc.property(
        uniqueCodes,
        uniqueCodes,
        fc.constantFrom<PruneMode>(false, 'deactivate', 'delete'),
        (desired, liveCodes, prune) => {
          const result = diffKind({
            kind: 'wrapUpCode',
            desired: desired.map(desiredOf),
            live: liveCodes.map((code) => liveOf(code, `id-${code.code}`)),
            prune,
            pruneBehaviour: deactivation,
          });
          const after = applyToModel(
            new Map<string, Code>(liveCodes.map((c) => [c.code, c])),
            result.changes,
          );
          for (const code of desired) expect(after.get(code.code)).toEqual(code);
          const desiredKeys = new Set<string>(desired.map((c) => c.code));
          for (const [key, code] of after) {
            if (desiredKeys.has(key)) continue;
            if (prune === 'delete') throw new Error(`${key} should have been deleted`);
            if (prune === 'deactivate') expect(code.isActive).toBe(false);
          }
          // A second plan against the new live state is empty.
          const again = diffKind({
            kind: 'wrapUpCode',
            desired: desired.map(desiredOf),
            live: [...after.values()].map((code) => liveOf(code, `id-${code.code}`)),
            prune,
            pruneBehaviour: deactivation,
          });
          expect(again.changes).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
