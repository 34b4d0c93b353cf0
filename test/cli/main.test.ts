import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureIO } from '../helpers/capture.js';

describe('cxctl command line', () => {
  it('rejects an unknown command with exit 1 and no stack trace', async () => {
    const io = captureIO();
    const code = await runCli(['no-such-command'], io);
    expect(code).toBe(1);
    expect(io.stderr.text).toContain('unknown command "no-such-command"');
    expect(io.stderr.text).not.toMatch(/\n\s+at /);
  });

  it('asks for a command when none is given', async () => {
    const io = captureIO();
    expect(await runCli([], io)).toBe(1);
    expect(io.stderr.text).toContain('Name a command');
  });

  it('prints its version', async () => {
    const io = captureIO();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.stdout.text.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
