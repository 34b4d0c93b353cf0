import type { CliIO, CliStream } from '../../src/cli/context.js';

/** A stream that remembers everything written to it. */
export class CapturedStream implements CliStream {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** CLI edges for an in-process run: captured stdout/stderr, a fixed env and working directory. */
export function captureIO(
  options: { env?: Record<string, string | undefined>; cwd?: string; tty?: boolean } = {},
): CliIO & { stdout: CapturedStream; stderr: CapturedStream } {
  return {
    stdout: new CapturedStream(options.tty ?? false),
    stderr: new CapturedStream(options.tty ?? false),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  };
}
