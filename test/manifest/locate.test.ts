import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../src/manifest/fastParse.js';
import { Locator } from '../../src/manifest/locate.js';
import { documentRanges, sequenceItems } from '../../src/manifest/slice.js';
import type { PathSegment } from '../../src/manifest/types.js';

/** One list item in one of several block styles, with optional comments. */
const itemText = fc
  .tuple(
    fc.stringMatching(/^[A-Z][A-Z0-9_]{1,6}$/),
    fc.integer({ min: -5, max: 9000 }),
    fc.constantFrom(
      'plain name',
      '"quoted: name"',
      "'single'",
      'x #comment',
      '|\n      block\n      text',
    ),
    fc.constantFrom('block', 'flow', 'commented', 'nested'),
  )
  .map(([code, duration, name, style]) => {
    switch (style) {
      case 'flow':
        return `  - {code: ${code}, duration: ${duration}, name: "n"}\n`;
      case 'commented':
        return `  # about ${code}\n  - code: ${code}\n\n    # duration next\n    duration: ${duration}\n    name: ${name}\n`;
      case 'nested':
        return `  - code: ${code}\n    zones:\n      - { timeZone: UTC, startHour: 1, endHour: ${duration} }\n      - timeZone: X\n        startHour: 2\n`;
      default:
        return `  - code: ${code}\n    duration: ${duration}\n    name: ${name}\n`;
    }
  });

const fileText = fc
  .tuple(
    fc.array(fc.array(itemText, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([documents, compact, crlf]) => {
    const text = documents
      .map(
        (items, i) =>
          `version: 1\n${i % 2 === 0 ? '' : 'scope:\n  campaigns: [A]\n'}wrapUpCodes:\n${items
            .join('')
            .replace(/^ {2}/gm, compact ? '' : '  ')}other: 1\n`,
      )
      .join('---\n# next\n');
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

/** Every path into a value, plus a missing property below each mapping. */
function pathsOf(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const result: PathSegment[][] = [prefix];
  if (Array.isArray(value))
    value.forEach((item, i) => result.push(...pathsOf(item, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) {
    result.push([...prefix, 'missing']);
    for (const [key, item] of Object.entries(value))
      result.push(...pathsOf(item, [...prefix, key]));
  }
  return result;
}

describe('locating list items by slice', () => {
  it('gives the same positions as a whole-file parse', () => {
    fc.assert(
      fc.property(fileText, (text) => {
        const parsed = fastParse(text, {});
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const whole = new Locator(Number.POSITIVE_INFINITY);
        whole.addText('f.yaml', text, parsed.documents);
        let slicedCount = 0;
        parsed.documents.forEach((document, index) => {
          for (const path of pathsOf(document)) {
            for (const target of ['value', 'key'] as const) {
              // A fresh locator each time: one that has parsed the whole file reuses that parse.
              const sliced = new Locator(0);
              sliced.addText('f.yaml', text, parsed.documents);
              const location = { file: 'f.yaml', document: index, path, target };
              expect(sliced.locate(location), JSON.stringify(location)).toEqual(
                whole.locate(location),
              );
              slicedCount += sliced.stats.sliced;
            }
          }
        });
        expect(slicedCount).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('finds documents and list items by indentation', () => {
    const text = '# c\n---\na: 1\nlist:\n- x\n-\n  y: 1\n# c\n- z\nb: 2\n...\n---\n~\n';
    expect(documentRanges(text)).toEqual([{ start: 8, end: 45 }]);
    expect(sequenceItems(text, { start: 8, end: 45 }, 'list')).toEqual({
      starts: [19, 23, 36],
      end: 40,
    });
    expect(sequenceItems(text, { start: 8, end: 45 }, 'a')).toBeUndefined();
  });

  it('falls back to a whole-file parse when the slice does not match the values', () => {
    const text = 'list:\n  - a: 1\n  - b: 2\n';
    const locator = new Locator(0);
    locator.addText('f.yaml', text, [{ list: [{ a: 1 }, { b: 3 }] }]);
    expect(locator.locate({ file: 'f.yaml', document: 0, path: ['list', 1, 'b'] })).toEqual({
      line: 3,
      column: 8,
    });
    expect(locator.stats).toEqual({ sliced: 0, fileParses: 1 });
  });
});

describe('item lines for plan sources', () => {
  it('match the lines a whole-file parse gives, without parsing fast-path files', () => {
    fc.assert(
      fc.property(fileText, (text) => {
        const fast = fastParse(text, {});
        fc.pre(fast.ok);
        if (!fast.ok) return;
        const quick = new Locator(0);
        quick.addText('m.yaml', text, fast.documents);
        const reference = new Locator(Number.MAX_SAFE_INTEGER);
        reference.addText('m.yaml', text, fast.documents);
        fast.documents.forEach((document, index) => {
          const items = (document as { wrapUpCodes?: unknown[] }).wrapUpCodes ?? [];
          items.forEach((_item, item) => {
            const at = { file: 'm.yaml', document: index, path: ['wrapUpCodes', item] };
            expect(quick.itemLine(at)).toBe(reference.locate(at).line);
          });
        });
        expect(quick.stats.fileParses).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
