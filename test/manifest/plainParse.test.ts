import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { JS_YAML_CORE_SCHEMA } from '../../src/manifest/coreSchema.js';
import { fastParse } from '../../src/manifest/fastParse.js';
import { loadManifestSources } from '../../src/manifest/load.js';
import { isPlainAscii, parsePlainYaml } from '../../src/manifest/plainParse.js';
import { fastPathEligible } from '../../src/manifest/prescan.js';
import { mutateText, mutatedYamlText } from '../helpers/yamlArbitraries.js';

const RUNS = Number(process.env.CXCTL_FUZZ_RUNS ?? 300);
const TIME_LIMIT = Number(process.env.CXCTL_FUZZ_MS ?? 10_000);

/** What the fast path read before the plain parse existed: js-yaml's documents, or its error. */
function jsYamlDocuments(text: string): unknown[] | 'error' {
  try {
    return jsYaml
      .loadAll(text, undefined, { schema: JS_YAML_CORE_SCHEMA })
      .filter((document) => document !== null && document !== undefined);
  } catch {
    return 'error';
  }
}

const env = { HOME: '/home/user' };

/** What the slow path (yaml, with positions) reads, interpolated. */
function slowDocuments(text: string): unknown[] {
  const loaded = loadManifestSources([{ file: 'm.yaml', bytes: new TextEncoder().encode(text) }], {
    env,
    parser: 'slow',
  });
  return loaded.files[0]!.documents;
}

const plainKey = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.constantFrom(
      'code',
      'name',
      'category',
      'duration',
      'isActive',
      'description',
      'a',
      'B2',
      'snake_case',
    ),
  },
  // Keys the plain parse must leave to js-yaml.
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'true',
      'null',
      'Null',
      'constructor',
      '"q"',
      'two words',
      'with-dash',
      '1',
    ),
  },
);

const plainValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('RES_001', 'Case Resolved', 'Category 7', 'x') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '300',
      '-5',
      '+12',
      '012',
      '0o17',
      '0x1A',
      '1e3',
      '-2.5',
      '.5',
      '1.',
      '.nan',
      '-.inf',
      'true',
      'False',
      'TRUE',
      'null',
      '~',
      'NULL',
      'yes',
      '1_000',
      '2026-03-03T01:30:00Z',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "'single'",
      "'it''s'",
      "''",
      "'a: b # c'",
      '"double"',
      '""',
      '"a: b # c"',
      '"it\'s"',
      'C# dev',
      'R & D',
      "Rock 'n roll",
      'say "hi"',
      'a:b',
      'https://example.com/x',
      '-x',
      'é ü',
      '${env:HOME}',
      'a, b] {c}',
    ),
  },
  // Values the plain parse must leave to js-yaml (or that are not YAML at all).
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '"esc \\t"',
      "'a' # c",
      'a #c',
      'a: b',
      'ends:',
      '- x',
      '-',
      '?x',
      ':x',
      '[1, 2]',
      '{a: 1}',
      '|',
      '>-',
      '&a x',
      '*a',
      '!t x',
      '%x',
      '@x',
      '`x',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

const spaces = fc.constantFrom('', '', '', ' ', '  ');

/** A mapping's entries at `indent`, scalars or a list of mappings (compact or indented). */
function entries(indent: number, depth: number): fc.Arbitrary<string[]> {
  const pad = ' '.repeat(indent);
  const scalarEntry = fc
    .tuple(plainKey, plainValue, spaces)
    .map(([key, value, trailing]) => [`${pad}${key}: ${value}${trailing}`]);
  const other = fc.constantFrom<string[]>([''], [`${pad}# comment`], ['# c']);
  const choices: fc.WeightedArbitrary<string[]>[] = [
    { weight: 4, arbitrary: scalarEntry },
    { weight: 1, arbitrary: other },
  ];
  if (depth < 2) {
    // A list of mappings or scalars, at the key's indentation or deeper.
    const list = fc
      .tuple(
        plainKey,
        fc.constantFrom(0, 2, 4),
        fc.array(
          fc.oneof(
            entries(0, depth + 1).map((lines) => ({ kind: 'map' as const, lines })),
            plainValue.map((value) => ({ kind: 'scalar' as const, value })),
          ),
          { maxLength: 3 },
        ),
      )
      .map(([key, offset, items]) => {
        const itemPad = ' '.repeat(indent + offset);
        const lines = [`${pad}${key}:`];
        for (const item of items) {
          if (item.kind === 'scalar') {
            lines.push(`${itemPad}- ${item.value}`);
            continue;
          }
          item.lines.forEach((line, index) => {
            lines.push(index === 0 ? `${itemPad}- ${line}` : `${itemPad}  ${line}`);
          });
        }
        return lines;
      });
    const nested = fc
      .tuple(plainKey, entries(indent + 2, depth + 1))
      .map(([key, lines]) => [`${pad}${key}:`, ...lines]);
    choices.push({ weight: 2, arbitrary: list }, { weight: 1, arbitrary: nested });
  }
  return fc
    .array(fc.oneof(...choices), { minLength: 1, maxLength: 4 })
    .map((groups) => groups.flat());
}

/** Manifest-like text mostly in the plain parse's shape, sometimes damaged. */
const plainishText: fc.Arbitrary<string> = fc
  .tuple(entries(0, 0), fc.boolean(), fc.boolean())
  .map(([lines, crlf, finalNewline]) => {
    const text = lines.join('\n') + (finalNewline ? '\n' : '');
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  })
  .chain((text) =>
    fc.nat(4).chain((mutations) => (mutations < 3 ? fc.constant(text) : mutateText(text))),
  );

describe('the plain parse', () => {
  it('reads what js-yaml reads, or leaves the text to js-yaml', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(plainishText, mutatedYamlText), (text) => {
        if (!fastPathEligible(text)) return;
        const plain = parsePlainYaml(text);
        if (plain === undefined) return;
        read++;
        const expected = jsYamlDocuments(text);
        expect(plain, JSON.stringify(text)).toEqual(expected);
        // The fast path (now reading with the plain parse) and the slow path (yaml) agree too.
        // (A failed ${env:...} reference sends the file to the slow path: nothing to compare.)
        const fast = fastParse(text, env);
        if (fast.ok) expect(fast.documents, JSON.stringify(text)).toEqual(slowDocuments(text));
      }),
      { numRuns: RUNS * 3, interruptAfterTimeLimit: TIME_LIMIT },
    );
    // The generator must reach the parser often enough for this test to mean something.
    expect(read).toBeGreaterThan(RUNS / 6);
  });

  it('reads plain ASCII text the prescan refuses as the slow path does (it runs before the prescan)', () => {
    // Values of any printable ASCII characters: the prescan refuses some of them out of caution
    // (`a[b`, `x{y`, `C]# dev`, ...), and those are what this property is about.
    const asciiValue = fc.oneof(
      fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,10}$/),
      // Dense in YAML's indicators, which is where the prescan is cautious.
      fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9 [\]{}|>#'"?&*!,:<%@-]{0,10}$/),
    );
    const text = fc
      .array(fc.tuple(plainKey, fc.oneof(plainValue, asciiValue, asciiValue)), {
        minLength: 1,
        maxLength: 6,
      })
      .map((pairs) => {
        const unique = new Map(pairs);
        return `list:\n${[...unique].map(([key, value]) => `  - ${key}: ${value}\n`).join('')}`;
      });
    let refusedByPrescan = 0;
    fc.assert(
      fc.property(text, (text) => {
        if (!isPlainAscii(text) || text.includes('$')) return;
        const plain = parsePlainYaml(text);
        if (plain === undefined) return;
        if (!fastPathEligible(text)) refusedByPrescan++;
        const fast = fastParse(text, env);
        expect(fast, JSON.stringify(text)).toEqual({ ok: true, documents: plain });
        expect(plain, JSON.stringify(text)).toEqual(slowDocuments(text));
      }),
      { numRuns: RUNS * 3, interruptAfterTimeLimit: TIME_LIMIT },
    );
    expect(refusedByPrescan).toBeGreaterThan(RUNS / 10);
  });

  it('refuses lines the prescan refuses for their length', () => {
    expect(parsePlainYaml(`a: ${'x'.repeat(997)}\n`)).toEqual([{ a: 'x'.repeat(997) }]);
    expect(parsePlainYaml(`a: ${'x'.repeat(998)}\n`)).toBeUndefined();
  });

  it('reads a list of wrap-up codes as js-yaml does', () => {
    const text = [
      '# yaml-language-server: $schema=x',
      'version: 1',
      'wrapUpCodes:',
      '  - code: RES_001',
      '    name: Case Resolved',
      '    duration: 300',
      '    isActive: false',
      "    description: 'It''s done'",
      '',
      '  - code: "SAL_2"',
      '    category: ~',
      'complianceRules:',
      '- name: x',
      '  dncLists:',
      '  - Internal DNC',
      '  - 12',
      'scope:',
      '  campaigns:',
      '    - a',
      '',
    ].join('\n');
    expect(parsePlainYaml(text)).toEqual(jsYamlDocuments(text));
    expect(parsePlainYaml(text.replace(/\n/g, '\r\n'))).toEqual(jsYamlDocuments(text));
  });

  it('leaves every other shape to js-yaml', () => {
    for (const text of [
      '',
      '# only a comment\n',
      '---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      '- a\n',
      '  a: 1\n',
      'a: 1\na: 2\n',
      'true: 1\n',
      'a: [1, 2]\n',
      'a: {b: 1}\n',
      'a: |\n  text\n',
      'a: 1 # comment\n',
      'a: "x\\ty"\n',
      'a: "x" # c\n',
      'a:\n  -\n    b: 1\n',
      'a:\n  - - x\n',
      'a: b: c\n',
      'a-b: 1\n',
      'a:\n    b: 1\n  c: 2\n',
      'a: 1\n  b: 2\n',
      'constructor: 1\n',
    ]) {
      expect(parsePlainYaml(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});
