/**
 * Ctrl-C during `cxctl apply`: the built CLI, spawned against a simulator whose latency keeps each
 * write in flight long enough, gets SIGINT (or SIGTERM) once the simulator has seen its first
 * write. The writes in flight finish, none starts after, the report lists what was done and what
 * was not started, the audit log holds the finished writes, and the exit code is 130. A re-run
 * converges with no duplicates. A second Ctrl-C exits at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApplyHarness, codesManifest, seedCode } from './applyHarness.js';
import { builtCli } from '../helpers/built.js';

const BIN = builtCli();
const UPDATES = 12;
const CONCURRENCY = 2;
const code = (i: number): string => `U${String(i).padStart(3, '0')}`;

let h: ApplyHarness;
beforeAll(async () => {
  h = await ApplyHarness.start();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sim.configure({ latencyMs: 0 });
  h.reset({
    wrapUpCodes: Array.from({ length: UPDATES }, (_u, i) => seedCode(code(i), { duration: 60 })),
  });
});

/** Every U code goes from 60 to 61 seconds: one update (one write) each. */
function manifest(): string {
  return codesManifest(
    Array.from({ length: UPDATES }, (_u, i): [string, Record<string, number>] => [
      code(i),
      { duration: 61 },
    ]),
  );
}

interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function spawnApply(root: string): Spawned {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'apply',
      '--auto-approve',
      '--audit-log',
      'audit.jsonl',
      '--target',
      h.sim.url,
      '--rate-limit',
      '1000',
      '--concurrency',
      String(CONCURRENCY),
    ],
    {
      cwd: root,
      env: { ...process.env, ...h.env(), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Write requests the simulator has seen, read from its control API over HTTP. */
async function writesSeen(): Promise<number> {
  const response = await fetch(`${h.sim.url}/__sim/requests`);
  const log = (await response.json()) as { counts: Record<string, number> };
  let total = 0;
  for (const [route, n] of Object.entries(log.counts)) {
    if (/^(POST|PUT|DELETE) \/api\//.test(route)) total += n;
  }
  return total;
}

/** Poll (bounded in count and time) until `ready` holds. */
async function waitFor(ready: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (let poll = 0; poll < 2_000 && Date.now() < deadline; poll++) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function liveDurations(): number[] {
  return (h.sim.state().wrapUpCodes as { duration: number }[]).map((c) => c.duration);
}

describe('cxctl apply interrupted', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} lets the writes in flight finish, reports, audits and exits 130`, async () => {
      const root = h.project({ 'manifests/codes.yaml': manifest() });
      h.sim.configure({ latencyMs: 300 });
      const run = spawnApply(root);
      await waitFor(async () => (await writesSeen()) >= 1, 'the first write');
      run.child.kill(signal);
      // The simulator logs a write when it answers: writes still in flight come on top of these.
      const answeredAtSignal = await writesSeen();
      const exitCode = await run.exited;
      const stdout = run.stdout();
      expect(exitCode, stdout + run.stderr()).toBe(130);
      expect(run.stderr()).toContain(
        `${signal}: finishing the writes in flight; no new write starts.`,
      );

      // No new write started after the signal: at most the ones in flight then.
      const sent = await writesSeen();
      expect(sent).toBeGreaterThanOrEqual(1);
      expect(sent).toBeLessThanOrEqual(answeredAtSignal + CONCURRENCY);
      expect(sent).toBeLessThan(UPDATES);
      const done = liveDurations().filter((d) => d === 61).length;
      expect(done).toBe(sent);

      // The usual report: what was done, and every change not started.
      const summary =
        /^Apply interrupted: 0 created, (\d+) updated, 0 deleted; (\d+) not started\.$/m.exec(
          stdout,
        );
      expect(summary, stdout).not.toBeNull();
      expect(Number(summary![1])).toBe(done);
      expect(Number(summary![2])).toBe(UPDATES - done);
      const notStarted = stdout.match(
        /^ {2}- update wrap-up code U\d{3} skipped: not started: interrupted$/gm,
      );
      expect(notStarted).toHaveLength(UPDATES - done);

      // Audit records of the finished writes (and of the changes not started).
      const records = readFileSync(join(root, 'audit.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { outcome: string; status: number | null });
      expect(records.filter((r) => r.outcome === 'success')).toHaveLength(done);
      expect(records.filter((r) => r.outcome === 'success').every((r) => r.status === 200)).toBe(
        true,
      );
      expect(records.filter((r) => r.outcome === 'skipped')).toHaveLength(UPDATES - done);

      // A re-run converges, with no duplicates.
      h.sim.configure({ latencyMs: 0 });
      h.sim.clearRequests();
      const rerun = await h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      expect(h.writes()).toBe(UPDATES - done);
      const codes = h.sim.state().wrapUpCodes as { code: string; duration: number }[];
      expect(codes).toHaveLength(UPDATES);
      expect(new Set(codes.map((c) => c.code)).size).toBe(UPDATES);
      expect(codes.every((c) => c.duration === 61)).toBe(true);
      const again = await h.run(['plan', '--detailed-exitcode', ...h.targetArgs()], { cwd: root });
      expect(again.code).toBe(0);
    });
  }

  it('exits at once on a second Ctrl-C, before the writes in flight have answered', async () => {
    const root = h.project({ 'manifests/codes.yaml': manifest() });
    // Every write takes 1.5 s before the simulator applies it; reads are fast.
    h.sim.setFaults({ rules: [{ method: 'PUT', action: 'delay', delayMs: 1_500 }] });
    const run = spawnApply(root);
    await waitFor(async () => (await writesSeen()) >= 1, 'the first write');
    run.child.kill('SIGINT');
    const answeredAtSignal = await writesSeen();
    await waitFor(() => run.stderr().includes('SIGINT: finishing'), 'the first notice');
    run.child.kill('SIGINT');
    const exitCode = await run.exited;
    expect(exitCode).toBe(130);
    expect(run.stderr()).toContain('SIGINT again: exiting now.');
    // It did not wait for the writes in flight: no report, and none of them was audited.
    expect(run.stdout()).not.toContain('Apply interrupted');
    const written = readFileSync(join(root, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { outcome: string })
      .filter((record) => record.outcome === 'success');
    expect(written.length).toBeLessThanOrEqual(answeredAtSignal);
  });
});
