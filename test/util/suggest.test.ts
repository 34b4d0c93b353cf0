import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../src/util/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['duration', 'duraton', 1],
    ['same', 'same', 0],
  ])('%j -> %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestMatch', () => {
  it('suggests the nearest candidate, ignoring case, earliest on ties', () => {
    expect(closestMatch('RES_01', ['RES_001', 'RES_002'])).toBe('RES_001');
    expect(closestMatch('us-fcc calling hours', ['US-FCC calling hours'])).toBe(
      'US-FCC calling hours',
    );
  });

  it('suggests nothing when every candidate is far off', () => {
    expect(closestMatch('Quiet hours', ['US-FCC calling hours'])).toBeUndefined();
    expect(closestMatch('x', [])).toBeUndefined();
  });
});
