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

describe('did you mean, on schema property names', () => {
  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the closest plausible name, case-insensitively', () => {
    const names = ['code', 'name', 'category', 'duration', 'isActive', 'isDefault', 'description'];
    expect(closestMatch('durration', names)).toBe('duration');
    expect(closestMatch('IsActive', names)).toBe('isActive');
    expect(closestMatch('catgory', names)).toBe('category');
    expect(closestMatch('zzzzzzzz', names)).toBeUndefined();
  });
});

describe('closestMatch with a tolerance of its own', () => {
  it('takes only candidates within the given distance', () => {
    const maxDistance = (wanted: string) => Math.max(1, Math.floor(wanted.length / 3));
    expect(closestMatch('concurrancy', ['concurrency', 'rateLimit'], { maxDistance })).toBe(
      'concurrency',
    );
    // Two edits on a five-letter word: the default tolerance takes it, this one does not.
    expect(closestMatch('tenat', ['tenant'])).toBe('tenant');
    expect(closestMatch('tnat', ['tenant'], { maxDistance })).toBeUndefined();
  });
});
