/**
 * The broken-manifest corpus: every folder under test/fixtures/broken/ holds manifests with one
 * kind of mistake and an expected.json listing every diagnostic (message, file, line, column). Each
 * is loaded through the real file discovery (files that manifests name, such as CRM status lists,
 * too), on both parse paths, which must agree exactly.
 *
 * CXCTL_UPDATE_FIXTURES=1 rewrites expected.json from the current output (review the diff!).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { readManifestFiles, referencedFileReader } from '../../src/io/manifestFiles.js';
import { buildDesiredState } from '../../src/manifest/pipeline.js';

const corpus = join(import.meta.dirname, '..', 'fixtures', 'broken');
const update = process.env.CXCTL_UPDATE_FIXTURES === '1';

interface Expected {
  env?: Record<string, string>;
  defaults?: { defaultCampaign?: string };
  diagnostics: Diagnostic[];
}

function run(directory: string, expected: Expected, parser: 'auto' | 'slow'): Diagnostic[] {
  const read = readManifestFiles(['.'], directory);
  const result = buildDesiredState(read.sources, {
    env: expected.env ?? {},
    defaults: expected.defaults ?? {},
    parser,
    readReferencedFile: referencedFileReader(directory),
  });
  return [...read.diagnostics, ...result.diagnostics];
}

describe('broken-manifest fixtures', () => {
  const names = readdirSync(corpus).sort();
  it('has a numbered corpus', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
    for (const name of names) expect(name).toMatch(/^\d{3}-[a-z0-9-]+$/);
  });
  for (const name of names) {
    it(name, () => {
      const directory = join(corpus, name);
      const expectedPath = join(directory, 'expected.json');
      let expected: Expected;
      try {
        expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected;
      } catch {
        expected = JSON.parse(readFileSync(join(directory, 'meta.json'), 'utf8')) as Expected;
      }
      const fast = run(directory, expected, 'auto');
      const slow = run(directory, expected, 'slow');
      expect(fast).toEqual(slow);
      if (update) {
        writeFileSync(
          expectedPath,
          JSON.stringify({ ...expected, diagnostics: fast }, null, 2) + '\n',
        );
        rmSync(join(directory, 'meta.json'), { force: true });
        return;
      }
      expect(fast.length).toBeGreaterThan(0);
      expect(fast).toEqual(expected.diagnostics);
    });
  }
});
