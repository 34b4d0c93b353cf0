/**
 * The shape of src/'s import graph: no module reaches itself through its imports (static,
 * type-only, re-exports and `import()` all count), and nothing outside src/cli/ imports from it
 * (the command line sits on top; the core never depends on it).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, importSpecifiers } from './importGraph.js';

const root = join(import.meta.dirname, '..', '..');
const graph = importGraph(root, 'src');

describe('the import graph of src/', () => {
  it('reads every kind of import', () => {
    const text = `import a from './a.js';
import type { B } from "./b.js";
import {
  c,
  type D,
} from './c.js';
export * from './e.js';
export { f } from './f.js';
export type { G } from './g.js';
import './h.js';
const i = await import('./i.js');
import x from 'node:fs';`;
    expect(importSpecifiers(text)).toEqual([
      './a.js',
      './b.js',
      './c.js',
      './e.js',
      './f.js',
      './g.js',
      './h.js',
      './i.js',
    ]);
  });

  it('finds a cycle, also through type-only and dynamic imports', () => {
    const cyclic = new Map([
      ['a.ts', new Set(['b.ts'])],
      ['b.ts', new Set(['c.ts'])],
      ['c.ts', new Set(['a.ts'])],
      ['d.ts', new Set(['d.ts'])],
      ['e.ts', new Set(['a.ts'])],
    ]);
    expect(importCycles(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });

  it('covers the whole of src/', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/cli/main.ts')?.has('src/cli/commands.ts')).toBe(true);
  });

  it('has no import cycles', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('has no imports of src/cli/ from outside it', () => {
    const upward = [...graph]
      .filter(([file]) => !file.startsWith('src/cli/'))
      .flatMap(([file, targets]) =>
        [...targets]
          .filter((target) => target.startsWith('src/cli/'))
          .map((t) => `${file} -> ${t}`),
      );
    expect(upward).toEqual([]);
  });
});
