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
});
