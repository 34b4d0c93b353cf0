/**
 * A `cxctl apply` process killed with SIGKILL in the middle of its writes, then run again: no
 * duplicates, and the tenant converges on the manifests. Also for a saved plan applied again
 * after the kill. Spawns the built CLI (`npm test` builds it first) against an in-test simulator
 * whose latency makes the apply last long enough for the kill to land mid-way.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApplyHarness, codesManifest, seedCode } from './applyHarness.js';
import { builtCli } from '../helpers/built.js';

const BIN = builtCli();
const UPDATES = 60;
const CREATES = 150;

let h: ApplyHarness;
beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`build first (npm run build): ${BIN} is missing`);
  h = await ApplyHarness.start();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sim.configure({ latencyMs: 0 });
  h.reset({
    wrapUpCodes: [
      seedCode('DA', { isDefault: true, category: 'Resolution' }),
      seedCode('DB', { isDefault: true, category: 'Sales' }),
      ...Array.from({ length: UPDATES }, (_u, i) =>
        seedCode(`U${String(i).padStart(3, '0')}`, { duration: 60 }),
      ),
    ],
  });
});

/** Manifests: swap the two defaults across categories, update every U code, create N codes. */
function manifest(): string {
  return codesManifest([
    ['DA', { isDefault: true, category: 'Sales' }],
    ['DB', { isDefault: true, category: 'Resolution' }],
    ...Array.from({ length: UPDATES }, (_u, i): [string, Record<string, number>] => [
      `U${String(i).padStart(3, '0')}`,
      { duration: 61 },
    ]),
    ...Array.from({ length: CREATES }, (_u, i): [string] => [`N${String(i).padStart(3, '0')}`]),
  ]);
}

/** Start the built CLI, wait until the simulator has seen `writes` writes, then SIGKILL it. */
async function killMidway(argv: string[], cwd: string, writes: number): Promise<number> {
  const child = spawn(process.execPath, [BIN, ...argv], {
    cwd,
    env: { ...process.env, ...h.env(), NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (h.writes() < writes && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill('SIGKILL');
  await exited;
  expect(child.signalCode).toBe('SIGKILL');
  return h.writes();
}

function expectConverged(): void {
  const codes = h.sim.state().wrapUpCodes as {
    code: string;
    category: string;
    isDefault: boolean;
    duration: number;
  }[];
  expect(codes).toHaveLength(2 + UPDATES + CREATES);
  expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
  const byCode = new Map(codes.map((c) => [c.code, c]));
  expect(byCode.get('DA')).toMatchObject({ category: 'Sales', isDefault: true });
  expect(byCode.get('DB')).toMatchObject({ category: 'Resolution', isDefault: true });
  expect(codes.filter((c) => c.code.startsWith('U')).every((c) => c.duration === 61)).toBe(true);
}

describe('cxctl apply killed mid-way', () => {
  it('re-run converges with no duplicates', async () => {
    const root = h.project({ 'manifests/codes.yaml': manifest() });
    h.sim.configure({ latencyMs: 25 });
    const sent = await killMidway(
      [
        'apply',
        '--auto-approve',
        '--target',
        h.sim.url,
        '--rate-limit',
        '1000',
        '--concurrency',
        '2',
      ],
      root,
      8,
    );
    expect(sent).toBeGreaterThanOrEqual(8);
    // Killed before the end: something is still to do.
    expect(sent).toBeLessThan(4 + UPDATES + 2);
    h.sim.configure({ latencyMs: 0 });
    const rerun = await h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expectConverged();
    h.sim.clearRequests();
    const again = await h.run(['apply', '--auto-approve', ...h.targetArgs()], { cwd: root });
    expect(again.stdout).toContain('No changes. Nothing was applied.');
    expect(h.writes()).toBe(0);
  });

  it('re-running the same saved plan after the kill converges instead of being refused', async () => {
    const root = h.project({ 'manifests/codes.yaml': manifest() });
    const planned = await h.run(['plan', '--out', 'plan.json', ...h.targetArgs()], { cwd: root });
    expect(planned.code).toBe(0);
    h.sim.clearRequests();
    h.sim.configure({ latencyMs: 25 });
    const sent = await killMidway(
      [
        'apply',
        '--plan',
        'plan.json',
        '--auto-approve',
        '--target',
        h.sim.url,
        '--rate-limit',
        '1000',
        '--concurrency',
        '2',
      ],
      root,
      40,
    );
    // Killed after the releases of the default swap and before its claims.
    expect(sent).toBeLessThan(4 + UPDATES + 2);
    h.sim.configure({ latencyMs: 0 });
    const rerun = await h.run(
      ['apply', '--plan', 'plan.json', '--auto-approve', ...h.targetArgs()],
      {
        cwd: root,
      },
    );
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/already applied/);
    expectConverged();
    const again = await h.run(['plan', '--detailed-exitcode', ...h.targetArgs()], { cwd: root });
    expect(again.code).toBe(0);
  });
});
