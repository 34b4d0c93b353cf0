import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputFile } from '../../src/io/readInputFile.js';
import { temporaryProjects } from '../helpers/project.js';

const project = temporaryProjects('cxctl-read-');

function fifoIn(root: string, name: string): string {
  const path = join(root, name);
  execFileSync('mkfifo', [path]);
  return path;
}

describe('readInputFile', () => {
  it('reads a regular file, also through a symbolic link', () => {
    const root = project({ 'a.yaml': 'version: 1\n' });
    symlinkSync(join(root, 'a.yaml'), join(root, 'link.yaml'));
    for (const name of ['a.yaml', 'link.yaml']) {
      const read = readInputFile(join(root, name), 1024);
      expect(read.ok && read.bytes.toString('utf8')).toBe('version: 1\n');
    }
  });

  it('refuses a FIFO without waiting for a writer', () => {
    const root = project({});
    const read = readInputFile(fifoIn(root, 'pipe.yaml'), 1024);
    expect(read).toEqual({
      ok: false,
      reason: 'notRegular',
      message: 'it is a named pipe (FIFO), not a regular file',
    });
  });

  it('refuses devices, which report no size and never end', () => {
    for (const device of ['/dev/zero', '/dev/urandom']) {
      const read = readInputFile(device, 1024);
      expect(read).toEqual({
        ok: false,
        reason: 'notRegular',
        message: 'it is a character device, not a regular file',
      });
    }
  });

  it('refuses a directory and a missing file', () => {
    const root = project({});
    mkdirSync(join(root, 'dir.yaml'));
    expect(readInputFile(join(root, 'dir.yaml'), 1024)).toMatchObject({
      ok: false,
      reason: 'notRegular',
      message: 'it is a directory, not a file',
    });
    expect(readInputFile(join(root, 'missing.yaml'), 1024)).toMatchObject({
      ok: false,
      reason: 'missing',
    });
  });

  it('reads files whose reported size is 0 up to the cap, and refuses one byte more', () => {
    // /proc files report size 0 whatever they hold: only the bounded read loop can cap them.
    if (existsSync('/proc/self/status')) {
      const whole = readInputFile('/proc/self/status', 1024 * 1024);
      expect(whole.ok && whole.bytes.toString('utf8')).toContain('Name:');
      expect(readInputFile('/proc/self/status', 16)).toEqual({
        ok: false,
        reason: 'tooLarge',
        message: 'the file is larger than the 0.0 MiB limit',
      });
    }
    const root = project({ 'exact.yaml': 'x'.repeat(100), 'over.yaml': 'x'.repeat(101) });
    expect(readInputFile(join(root, 'exact.yaml'), 100).ok).toBe(true);
    expect(readInputFile(join(root, 'over.yaml'), 100)).toMatchObject({
      ok: false,
      reason: 'tooLarge',
    });
  });
});
