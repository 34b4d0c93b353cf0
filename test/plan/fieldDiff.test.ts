import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/plan/canonical.js';
import { fieldDiff } from '../../src/plan/fieldDiff.js';

describe('fieldDiff with repeated member keys', () => {
  it('compares the array whole instead of losing a member', () => {
    const key = (g: { latitude: number; longitude: number }) => `${g.latitude},${g.longitude}`;
    const live = { geo: [{ latitude: 1, longitude: 2, radiusKm: 3 }] };
    const desired = {
      geo: [
        { latitude: 1, longitude: 2, radiusKm: 3 },
        { latitude: 1, longitude: 2, radiusKm: 9 },
      ],
    };
    expect(fieldDiff(live, desired, { geo: key })).toEqual([
      { path: 'geo', oldValue: live.geo, newValue: desired.geo },
    ]);
  });
});

describe('jsonEqual', () => {
  it('ignores member order and undefined members, and nothing else', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(
      true,
    );
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: [] }, { a: {} })).toBe(false);
    expect(jsonEqual({ a: null }, { a: 0 })).toBe(false);
    expect(jsonEqual('1', 1)).toBe(false);
  });
});
