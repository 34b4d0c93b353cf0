import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultManifestPaths,
  readManifestFiles,
  referencedFileReader,
} from '../../src/io/manifestFiles.js';

const roots: string[] = [];
function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'cxctl-files-'));
  roots.push(root);
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), 'a: 1\n');
  }
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('manifest file discovery', () => {
  it('walks directories recursively, sorted, skipping hidden entries, node_modules and cxctl.yaml', () => {
    const root = tree([
      'b.yml',
      'a/z.yaml',
      'a/B.yaml',
      'notes.txt',
      '.git/x.yaml',
      'node_modules/p/q.yaml',
      'cxctl.yaml',
    ]);
    const found = readManifestFiles(['.'], root);
    expect(found.diagnostics).toEqual([]);
    expect(found.sources.map((s) => s.file)).toEqual(['a/B.yaml', 'a/z.yaml', 'b.yml']);
  });

  it('reads each file once however it is named, and explicit files whatever their name', () => {
    const root = tree(['m/a.yaml', 'm/cxctl.yaml', 'other.txt']);
    symlinkSync(join(root, 'm'), join(root, 'link'));
    const found = readManifestFiles(['m', 'm/a.yaml', 'link', 'other.txt', 'm/cxctl.yaml'], root);
    expect(found.sources.map((s) => s.file)).toEqual(['m/a.yaml', 'm/cxctl.yaml', 'other.txt']);
  });

  it('reports missing paths and directories without manifests', () => {
    const root = tree(['empty/readme.txt']);
    const found = readManifestFiles(['missing.yaml', 'empty'], root);
    expect(found.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['file.notFound', 'missing.yaml'],
      ['file.noManifests', 'empty'],
    ]);
  });

  it('defaults to manifests/ when it exists', () => {
    expect(defaultManifestPaths(tree(['manifests/a.yaml']))).toEqual(['manifests']);
    expect(defaultManifestPaths(tree(['a.yaml']))).toEqual(['.']);
  });
});

describe('files named by manifests', () => {
  it('are read relative to the manifest that names them', () => {
    const root = tree(['manifests/crm/statuses.csv']);
    const read = referencedFileReader(root);
    const found = read('manifests/crm.yaml', './crm/statuses.csv');
    expect(found).toMatchObject({ ok: true, file: 'manifests/crm/statuses.csv' });
    expect(read('manifests/crm.yaml', 'missing.csv')).toEqual({
      ok: false,
      file: 'manifests/missing.csv',
      message: 'the file does not exist',
    });
  });
});
