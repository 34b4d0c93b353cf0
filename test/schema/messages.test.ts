import { describe, expect, it } from 'vitest';
import { describeValue, pointerToPath } from '../../src/schema/messages.js';

describe('schema messages', () => {
  it('turns JSON pointers into paths', () => {
    expect(pointerToPath('')).toEqual([]);
    expect(pointerToPath('/wrapUpCodes/3/duration')).toEqual(['wrapUpCodes', 3, 'duration']);
    expect(pointerToPath('/a~1b/c~0d/01')).toEqual(['a/b', 'c~d', '01']);
  });

  it('describes values in YAML words', () => {
    expect(describeValue(null)).toBe('an empty value');
    expect(describeValue('x'.repeat(100))).toBe(JSON.stringify('x'.repeat(57) + '...'));
    expect(describeValue(Number.NaN)).toBe('.nan');
    expect(describeValue(-Infinity)).toBe('-.inf');
    expect(describeValue([1])).toBe('a list');
    expect(describeValue({})).toBe('a mapping');
  });
});
