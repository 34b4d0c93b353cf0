import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifestSources } from '../../src/manifest/load.js';
import { blockScalarText, mutatedYamlText } from '../helpers/yamlArbitraries.js';

const env = { HOME: '/home/user' };
const RUNS = Number(process.env.CXCTL_FUZZ_RUNS ?? 300);

function load(text: string, parser: 'auto' | 'slow') {
  return loadManifestSources([{ file: 'm.yaml', bytes: new TextEncoder().encode(text) }], {
    env,
    parser,
  });
}

describe('fast and slow parse paths', () => {
  it('give the same values and diagnostics for random manifest-like text', () => {
    fc.assert(
      fc.property(mutatedYamlText, (text) => {
        const auto = load(text, 'auto');
        const slow = load(text, 'slow');
        expect(auto.files[0]!.documents, `${auto.files[0]!.path} ${JSON.stringify(text)}`).toEqual(
          slow.files[0]!.documents,
        );
        expect(auto.diagnostics).toEqual(slow.diagnostics);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: Number(process.env.CXCTL_FUZZ_MS ?? 10_000) },
    );
  });

  it('agree on block scalars, however they are indented', () => {
    fc.assert(
      fc.property(blockScalarText, (text) => {
        const auto = load(text, 'auto');
        const slow = load(text, 'slow');
        expect(auto.files[0]!.documents, `${auto.files[0]!.path} ${JSON.stringify(text)}`).toEqual(
          slow.files[0]!.documents,
        );
        expect(auto.diagnostics).toEqual(slow.diagnostics);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: Number(process.env.CXCTL_FUZZ_MS ?? 10_000) },
    );
  });

  it.each([
    ['a plain reference', 'version: 1\nname: ${env:HOME}/x\n'],
    ['a reference written with an escape', 'version: 1\nname: "\\x24{env:HOME}"\n'],
    ['a reference spelled with a unicode escape', 'version: 1\nname: "\\u0024{env:HOME}"\n'],
    ['an unset reference', 'version: 1\nname: ${env:CXCTL_NOT_SET}\n'],
    ['a forbidden key', 'version: 1\nitems:\n  - constructor: 1\n'],
    ['a forbidden key written with an escape', 'version: 1\n"\\x5f_proto__": 1\n'],
  ])('agree on %s', (_label, text) => {
    const auto = load(text, 'auto');
    const slow = load(text, 'slow');
    expect(auto.files[0]!.documents).toEqual(slow.files[0]!.documents);
    expect(auto.diagnostics).toEqual(slow.diagnostics);
  });

  it('resolves references and refuses forbidden keys on the fast path too', () => {
    const resolved = load('version: 1\nname: "\\x24{env:HOME}"\n', 'auto');
    expect(resolved.files[0]!.documents).toEqual([{ version: 1, name: '/home/user' }]);
    const refused = load('version: 1\nitems:\n  - prototype: 1\n', 'auto');
    expect(refused.diagnostics.map((d) => d.message).join('\n')).toMatch(/prototype/);
  });
});
