import { describe, expect, it } from 'vitest';
import { MAX_MANIFEST_FILE_BYTES } from '../../src/manifest/limits.js';
import { loadManifestSources } from '../../src/manifest/load.js';
import { source, VALID_MANIFEST } from '../helpers/manifests.js';

function load(text: string, env: Record<string, string> = {}, parser: 'auto' | 'slow' = 'auto') {
  return loadManifestSources([source('m.yaml', text)], { env, parser });
}

describe('manifest loader', () => {
  it('reads plain block-style manifests on the fast path', () => {
    const result = load(VALID_MANIFEST);
    expect(result.files[0]!.path).toBe('fast');
    expect(result.diagnostics).toEqual([]);
    const document = result.files[0]!.documents[0] as { wrapUpCodes: unknown[] };
    expect(document.wrapUpCodes).toHaveLength(2);
    expect(load(VALID_MANIFEST, {}, 'slow').files[0]!.documents).toEqual(
      result.files[0]!.documents,
    );
  });

  it('keeps everyday punctuation in plain text on the fast path', () => {
    const text =
      'wrapUpCodes:\n  - name: R & D follow-up *urgent* !\n    description: It\'s "done" | ok > fine\n';
    const result = load(text);
    expect(result.files[0]!.path).toBe('fast');
    expect(result.files[0]!.documents).toEqual(load(text, {}, 'slow').files[0]!.documents);
  });

  it('expands anchors and aliases on the slow path', () => {
    const result = load(
      'zones: &zones\n  - { timeZone: UTC, startHour: 8, endHour: 20 }\nother: *zones\n',
    );
    expect(result.files[0]!.path).toBe('slow');
    expect(result.diagnostics).toEqual([]);
    const document = result.files[0]!.documents[0] as Record<string, unknown>;
    expect(document.other).toEqual(document.zones);
    expect(document.other).not.toBe(document.zones);
  });

  it('skips empty documents and counts the others', () => {
    const result = load('# only a comment\n---\n---\na: 1\n---\n~\n---\nb: 2\n');
    expect(result.files[0]!.documents).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('fails a billion-laughs document with a diagnostic and returns', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 20; i++) {
      const previous = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const result = load(levels.join('\n') + '\n');
    expect(result.files[0]!.failed).toBe(true);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['yaml.aliasLimit']);
  });

  it('reports absurd nesting once instead of running out of stack', () => {
    for (const text of [
      'x: ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n',
      '- '.repeat(20_000) + 'a\n',
    ]) {
      const result = load(text);
      expect(result.diagnostics.map((d) => d.code)).toEqual(['yaml.depth']);
    }
  });

  it('refuses files over the size cap without parsing them', () => {
    const bytes = new Uint8Array(MAX_MANIFEST_FILE_BYTES + 1).fill(0x20);
    const result = loadManifestSources([{ file: 'big.yaml', bytes }], { env: {} });
    expect(result.diagnostics).toMatchObject([
      { code: 'file.tooLarge', file: 'big.yaml', line: 1, column: 1 },
    ]);
    expect(result.diagnostics[0]!.message).toContain('over the 16.0 MiB limit');
  });

  it('drops a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a: 1\n')]);
    const result = loadManifestSources([{ file: 'bom.yaml', bytes }], { env: {} });
    expect(result.files[0]!.documents).toEqual([{ a: 1 }]);
  });

  it('reads YAML 1.2 core scalars alike on both paths', () => {
    const text =
      'a: 0o17\nb: 0x1F\nc: 012\nd: 1e3\ne: .inf\nf: -.inf\ng: yes\nh: 0b11\ni: 1_000\nj: +12\nk: True\nl: NULL\nm: "1"\nn: 1.\n';
    const fast = load(text);
    expect(fast.files[0]!.path).toBe('fast');
    expect(fast.files[0]!.documents[0]).toEqual({
      a: 15,
      b: 31,
      c: 12,
      d: 1000,
      e: Infinity,
      f: -Infinity,
      g: 'yes',
      h: '0b11',
      i: '1_000',
      j: 12,
      k: true,
      l: null,
      m: '1',
      n: 1,
    });
    expect(load(text, {}, 'slow').files[0]!.documents).toEqual(fast.files[0]!.documents);
  });
});

describe('${env:...} interpolation', () => {
  it('replaces references, applies defaults and keeps $${ as a literal', () => {
    const text = 'a: ${env:TEAM}\nb: "${env:MISSING:-fallback} x"\nc: cost $${env:TEAM}\n';
    for (const parser of ['auto', 'slow'] as const) {
      const result = load(text, { TEAM: 'Blue' }, parser);
      expect(result.diagnostics).toEqual([]);
      expect(result.files[0]!.documents[0]).toEqual({
        a: 'Blue',
        b: 'fallback x',
        c: 'cost ${env:TEAM}',
      });
    }
  });

  it('does not re-type interpolated values', () => {
    const result = load('duration: ${env:DURATION}\n', { DURATION: '300' });
    expect(result.files[0]!.documents[0]).toEqual({ duration: '300' });
  });

  it('reports an unset variable at its ${ on both paths', () => {
    const text =
      'name: "abc ${env:A} ${env:B}"\nplain: x ${env:C}\nblock: |\n  line\n  more ${env:D}\n';
    const expected = [
      { line: 1, column: 21, code: 'env.unset', name: 'B' },
      { line: 2, column: 10, code: 'env.unset', name: 'C' },
      { line: 5, column: 8, code: 'env.unset', name: 'D' },
    ];
    const fast = load(text, { A: 'a' });
    expect(
      fast.diagnostics.map(({ line, column, code, message }) => ({
        line,
        column,
        code,
        name: /variable (\w+)/.exec(message)?.[1],
      })),
    ).toEqual(expected);
    expect(load(text, { A: 'a' }, 'slow').diagnostics).toEqual(fast.diagnostics);
  });

  it('treats an empty variable as unset', () => {
    expect(load('a: ${env:EMPTY}\n', { EMPTY: '' }).diagnostics).toMatchObject([
      { code: 'env.unset', line: 1, column: 4 },
    ]);
  });
});
