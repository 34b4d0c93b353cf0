/**
 * The one rule for the fast path (src/manifest/pipeline.ts, prescan.ts): its verdict on a manifest
 * set is always the position-keeping parser's. Random trees to depth 3, written in block and flow
 * style, with list entries left empty, indentless lists and dedents right after them, are read on
 * both paths: the diagnostics and the desired state must be the same, and a file the fast path
 * answers for must hold exactly the values yaml reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifestSources } from '../../src/manifest/load.js';
import { buildDesiredState } from '../../src/manifest/pipeline.js';

const RUNS = Number(process.env.CXCTL_FUZZ_RUNS ?? 300);
const TIME_LIMIT_MS = Number(process.env.CXCTL_FUZZ_MS ?? 10_000);

/** A value as a tree; `empty` is a list entry or a mapping value written as nothing. */
type Tree =
  | { kind: 'scalar'; text: string }
  | { kind: 'empty' }
  | { kind: 'list'; items: Tree[]; flow: boolean; indentless: boolean }
  | { kind: 'map'; entries: [string, Tree][]; flow: boolean };

const scalar = fc.constantFrom(
  'RES_001',
  'US hours',
  'Spring Renewals',
  'Internal DNC',
  'America/Chicago',
  '25',
  '8',
  '0',
  'true',
  'null',
  '"quoted: text"',
  "'single'",
  'TIME_RESTRICTION',
);
const key = fc.constantFrom(
  'code',
  'name',
  'campaign',
  'startHour',
  'duration',
  'dncLists',
  'timeZoneRestrictions',
  'a',
);

const tree: fc.Memo<Tree> = fc.memo((depth) => {
  const leaf = fc.oneof(
    scalar.map((text): Tree => ({ kind: 'scalar', text })),
    fc.constant<Tree>({ kind: 'empty' }),
  );
  if (depth <= 1) return leaf;
  const child = tree(depth - 1);
  return fc.oneof(
    { weight: 1, arbitrary: leaf },
    {
      weight: 2,
      arbitrary: fc
        .record({
          items: fc.array(child, { minLength: 1, maxLength: 3 }),
          flow: fc.boolean(),
          indentless: fc.boolean(),
        })
        .map((list): Tree => ({ kind: 'list', ...list })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          entries: fc.uniqueArray(fc.tuple(key, child), {
            minLength: 1,
            maxLength: 3,
            selector: ([name]) => name,
          }),
          flow: fc.boolean(),
        })
        .map((map): Tree => ({ kind: 'map', ...map })),
    },
  );
});

/** The tree on one line, in flow style (empty values become `~`, which flow style needs). */
function flowText(node: Tree): string {
  switch (node.kind) {
    case 'scalar':
      return node.text;
    case 'empty':
      return '~';
    case 'list':
      return `[${node.items.map(flowText).join(', ')}]`;
    case 'map':
      return `{ ${node.entries.map(([name, value]) => `${name}: ${flowText(value)}`).join(', ')} }`;
  }
}

/** Whether a node is written on the line of its key or list indicator. */
function inline(node: Tree): boolean {
  return node.kind === 'scalar' || node.kind === 'empty' || node.flow;
}

/** The lines of a block list or mapping whose entries start at column `indent`. */
function blockLines(node: Tree, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (node.kind === 'list') {
    return node.items.flatMap((item) => {
      if (item.kind === 'empty') return [`${pad}-`];
      if (inline(item)) return [`${pad}- ${flowText(item)}`];
      // A nested block collection starts on the next line, two columns in.
      return [`${pad}-`, ...blockLines(item, indent + 2)].filter((line, index) =>
        index === 0 ? true : line.length > 0,
      );
    });
  }
  if (node.kind === 'map') {
    return node.entries.flatMap(([name, value]) => {
      if (value.kind === 'empty') return [`${pad}${name}:`];
      if (inline(value)) return [`${pad}${name}: ${flowText(value)}`];
      const childIndent = value.kind === 'list' && value.indentless ? indent : indent + 2;
      return [`${pad}${name}:`, ...blockLines(value, childIndent)];
    });
  }
  return [`${pad}${flowText(node)}`];
}

/** A manifest-like file: the tree under a list key, so that the kinds' checks run on it. */
const manifestText = fc
  .record({
    listKey: fc.constantFrom('wrapUpCodes', 'complianceRules', 'other'),
    items: fc.array(tree(3), { minLength: 1, maxLength: 3 }),
    indentless: fc.boolean(),
    trailer: fc.boolean(),
  })
  .map(({ listKey, items, indentless, trailer }) => {
    const list: Tree = { kind: 'list', items, flow: false, indentless };
    const lines = ['version: 1', `${listKey}:`, ...blockLines(list, indentless ? 0 : 2)];
    if (trailer) lines.push('scope:', '  campaigns: [Spring Renewals]');
    return `${lines.join('\n')}\n`;
  });

const sources = (text: string) => [{ file: 'm.yaml', bytes: new TextEncoder().encode(text) }];

describe('the fast path answers only with the positioned parser’s verdict', () => {
  it('gives the same diagnostics and desired state for trees with empty entries and dedents', () => {
    fc.assert(
      fc.property(manifestText, (text) => {
        const auto = buildDesiredState(sources(text), { env: {}, parser: 'auto' });
        const slow = buildDesiredState(sources(text), { env: {}, parser: 'slow' });
        expect(auto.diagnostics, text).toEqual(slow.diagnostics);
        expect(auto.desired, text).toEqual(slow.desired);
        expect(auto.digest, text).toBe(slow.digest);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });

  it('reads the same values as yaml wherever the fast path answers', () => {
    fc.assert(
      fc.property(manifestText, (text) => {
        const auto = loadManifestSources(sources(text), { env: {}, parser: 'auto' });
        const slow = loadManifestSources(sources(text), { env: {}, parser: 'slow' });
        expect(auto.files[0]!.documents, `${auto.files[0]!.path}\n${text}`).toEqual(
          slow.files[0]!.documents,
        );
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });

  it('sends an empty list entry before a dedent to the positioned parser', () => {
    const text = 'version: 1\nwrapUpCodes:\n  - code: A\n    a:\n      -\n  - code: B\n';
    const auto = loadManifestSources(sources(text), { env: {}, parser: 'auto' });
    expect(auto.files[0]!.path).toBe('slow');
    expect(auto.files[0]!.documents).toEqual([
      { version: 1, wrapUpCodes: [{ code: 'A', a: [null] }, { code: 'B' }] },
    ]);
  });

  it('reports a problem found on the fast path from the positioned parser’s run', () => {
    // Valid YAML on both paths, one schema error: the run is read again with positions.
    const text =
      'version: 1\nwrapUpCodes:\n  - { code: AA_1, name: A, category: C, duration: 0 }\n';
    const result = buildDesiredState(sources(text), { env: {} });
    expect(result.files.map((file) => file.path)).toEqual(['slow']);
    expect(result.diagnostics).toMatchObject([{ code: 'schema.range', line: 3 }]);
  });
});
