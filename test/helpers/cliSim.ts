/**
 * CLI tests against the real simulator: a simulator on 127.0.0.1 with an ephemeral port, a temporary
 * project directory, and `runCli` in-process with the target and credentials in the environment.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import {
  DEFAULT_SEED,
  startSimulator,
  type RunningSimulator,
  type SimulatorSeed,
} from '../../src/simulator/index.js';
import { captureIO } from './capture.js';

/** What one CLI run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A project directory and a simulator to run cxctl against. */
export interface SimProject {
  sim: RunningSimulator;
  root: string;
  /** Run `cxctl ARGS --target <sim>` in the project with the simulator's credentials. */
  run(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  /** Write (or overwrite) project files. */
  write(files: Record<string, string>): void;
  /** Requests that could change the tenant (anything but GET and the token), since the last clear. */
  writes(): string[];
  close(): Promise<void>;
}

/** Start a simulator (default seed unless given) and a project holding `files`. */
export async function startSimProject(
  files: Record<string, string> = {},
  seed?: SimulatorSeed,
): Promise<SimProject> {
  // The default tenant's categories, campaigns and DNC lists, plus what the test adds.
  const sim = await startSimulator(seed ? { seed: { ...DEFAULT_SEED, ...seed } } : {});
  const root = mkdtempSync(join(tmpdir(), 'cxctl-cli-'));
  const write = (more: Record<string, string>) => {
    for (const [path, text] of Object.entries(more)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  };
  write(files);
  return {
    sim,
    root,
    write,
    async run(args, env = {}) {
      const io = captureIO({
        cwd: root,
        env: {
          CXONE_CLIENT_ID: sim.clientId,
          CXONE_CLIENT_SECRET: sim.clientSecret,
          ...env,
        },
      });
      const code = await runCli([...args, '--target', sim.url], io);
      return { code, stdout: io.stdout.text, stderr: io.stderr.text };
    },
    writes() {
      return Object.entries(sim.requests().counts)
        .filter(([route]) => !route.startsWith('GET ') && !route.includes('/token'))
        .map(([route]) => route);
    },
    async close() {
      await sim.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
