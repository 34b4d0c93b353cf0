import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultManifestPaths,
  readManifestFiles,
  referencedFileReader,
  repositoryRoot,
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

  it('reports manifests behind dangling links or link loops instead of skipping them', () => {
    const root = tree(['m/a.yaml']);
    symlinkSync(join(root, 'm', 'gone.yaml'), join(root, 'm', 'dangling.yaml'));
    symlinkSync(join(root, 'm', 'l2.yaml'), join(root, 'm', 'l1.yaml'));
    symlinkSync(join(root, 'm', 'l1.yaml'), join(root, 'm', 'l2.yaml'));
    symlinkSync(join(root, 'm', 'nowhere'), join(root, 'm', 'notes')); // not a manifest name
    symlinkSync(join(root, 'm'), join(root, 'm', 'self')); // a directory cycle ends quietly
    const found = readManifestFiles(['m'], root);
    expect(found.sources.map((s) => s.file)).toEqual(['m/a.yaml']);
    expect(found.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
      [
        'file.unreadable',
        'm/dangling.yaml',
        'm/dangling.yaml cannot be read: it is a symbolic link to something that does not exist',
      ],
      ['file.unreadable', 'm/l1.yaml', 'm/l1.yaml cannot be read: it is a loop of symbolic links'],
      ['file.unreadable', 'm/l2.yaml', 'm/l2.yaml cannot be read: it is a loop of symbolic links'],
    ]);
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

  it('must stay inside the repository: no absolute path, no .. escape, no symbolic link out', () => {
    const root = tree(['repo/cxctl.yaml', 'repo/manifests/crm.csv', 'secret.csv']);
    const repo = join(root, 'repo');
    symlinkSync(join(root, 'secret.csv'), join(repo, 'manifests', 'out.csv'));
    symlinkSync(join(repo, 'manifests', 'crm.csv'), join(repo, 'manifests', 'in.csv'));
    const read = referencedFileReader(repo);
    expect(read('manifests/a.yaml', '/etc/passwd')).toEqual({
      ok: false,
      file: '/etc/passwd',
      message:
        'the path is absolute; name the file relative to the manifest, inside the repository',
    });
    expect(read('manifests/a.yaml', '../../secret.csv')).toEqual({
      ok: false,
      file: '../secret.csv',
      message: 'the path leads outside the repository (.)',
    });
    expect(read('manifests/a.yaml', 'out.csv')).toEqual({
      ok: false,
      file: 'manifests/out.csv',
      message: 'the path leads outside the repository (.) through a symbolic link',
    });
    expect(read('manifests/a.yaml', 'in.csv')).toMatchObject({
      ok: true,
      file: 'manifests/in.csv',
    });
    expect(read('manifests/a.yaml', '../manifests/crm.csv')).toMatchObject({ ok: true });
  });

  it('must be regular files', () => {
    const root = tree(['manifests/a.yaml']);
    execFileSync('mkfifo', [join(root, 'manifests', 'fifo.csv')]);
    symlinkSync('/dev/zero', join(root, 'manifests', 'zero.csv'));
    const read = referencedFileReader(root);
    expect(read('manifests/a.yaml', 'fifo.csv')).toEqual({
      ok: false,
      file: 'manifests/fifo.csv',
      message: 'it is a named pipe (FIFO), not a regular file',
    });
    // A link to a device leaves the repository before it is found not to be a file.
    expect(read('manifests/a.yaml', 'zero.csv')).toMatchObject({ ok: false });
  });
});

describe('the repository root', () => {
  it('is the working directory with cxctl.yaml, or holding every manifest path', () => {
    const root = tree(['cxctl.yaml', 'elsewhere/m/a.yaml', 'elsewhere/n/b.yaml']);
    expect(repositoryRoot(['manifests'], root)).toBe(root);
    const bare = join(root, 'elsewhere');
    expect(repositoryRoot(['m', 'n/b.yaml'], bare)).toBe(bare);
    expect(repositoryRoot([join(bare, 'm'), join(bare, 'n', 'b.yaml')], join(bare, 'm'))).toBe(
      bare,
    );
  });
});

describe('manifests that are not regular files', () => {
  it('are reported by name, and the other files are still read', () => {
    const root = tree(['manifests/a.yaml']);
    execFileSync('mkfifo', [join(root, 'manifests', 'pipe.yaml')]);
    symlinkSync('/dev/zero', join(root, 'manifests', 'zero.yaml'));
    const found = readManifestFiles(['manifests'], root);
    expect(found.sources.map((source) => source.file)).toEqual(['manifests/a.yaml']);
    expect(found.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([
      [
        'file.unreadable',
        'manifests/pipe.yaml',
        'manifests/pipe.yaml cannot be read: it is a named pipe (FIFO), not a regular file',
      ],
      [
        'file.unreadable',
        'manifests/zero.yaml',
        'manifests/zero.yaml cannot be read: it is a character device, not a regular file',
      ],
    ]);
  });
});
