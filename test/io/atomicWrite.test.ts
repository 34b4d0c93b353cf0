import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  writeFileAtomic,
  writeFailureReason,
  writeTextAtomically,
  writeTextAtomicallyAsync,
} from '../../src/io/atomicWrite.js';

describe('atomic writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxctl-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a file in both forms and leaves no temporary file', async () => {
    const path = join(dir, 'out.txt');
    writeFileSync(path, 'old\n');
    writeTextAtomically(path, 'sync\n');
    expect(readFileSync(path, 'utf8')).toBe('sync\n');
    await writeTextAtomicallyAsync(path, 'async\n');
    expect(readFileSync(path, 'utf8')).toBe('async\n');
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('names the file and the reason, and cleans up, when the target cannot be written', async () => {
    const missing = join(dir, 'nope', 'plan.json');
    expect(() => writeFileAtomic(missing, '{}', 'the plan file')).toThrow(
      `cannot write the plan file ${missing}: the directory does not exist`,
    );
    const directory = join(dir, 'taken');
    mkdirSync(directory);
    const failure = await writeTextAtomicallyAsync(directory, 'x').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(writeFailureReason(failure)).toBe('it is a directory');
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
