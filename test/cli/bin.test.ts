import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtCli } from '../helpers/built.js';

const bin = builtCli();
const dir = mkdtempSync(join(tmpdir(), 'cxctl-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the cxctl bin', () => {
  it('exits quietly when the reader of its output goes away (cxctl ... | head)', async () => {
    const codes = Array.from(
      { length: 3000 },
      (_, i) => `  - { code: BAD_${i}, name: n, category: Sales, duration: 0 }`,
    );
    writeFileSync(join(dir, 'many.yaml'), `wrapUpCodes:\n${codes.join('\n')}\n`);
    const child = spawn(process.execPath, [bin, 'validate', 'many.yaml', '--format', 'json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code === 0 || code === 1).toBe(true);
  });
});
