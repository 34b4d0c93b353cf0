/**
 * The worker-thread live reader only exists in the build (its script is a file of the bundle), so
 * these tests spawn the bin as a user runs it (`npm test` builds first) against a simulator in
 * this process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEED, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { makeCodes } from '../cxone/harness.js';
import { builtCli, builtFile } from '../helpers/built.js';

const cli = builtCli();
// The worker script sits beside the bin in the bundle.
builtFile('dist/bundle/liveWorker.js');

let sim: RunningSimulator;
let root: string;
beforeAll(async () => {
  sim = await startSimulator({
    seed: {
      ...DEFAULT_SEED,
      wrapUpCodes: [
        { code: 'RES_001', name: 'Resolved', category: 'Resolution', duration: 120 },
        { code: 'HAND', name: 'By hand', category: 'Sales', duration: 5 },
      ],
      complianceRules: [
        {
          campaignId: 'cmp-1',
          name: 'US hours',
          type: 'TIME_RESTRICTION',
          jurisdiction: 'US-FCC',
          timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
          dncListIds: ['dnc-1'],
          maxCallsPerDay: 1,
          concurrencyLimit: 5,
        },
      ],
    },
  });
  root = mkdtempSync(join(tmpdir(), 'cxctl-worker-'));
  writeFileSync(
    join(root, 'm.yaml'),
    `version: 1
wrapUpCodes:
  - { code: RES_001, name: Resolved, category: Resolution, duration: 300 }
complianceRules:
  - campaign: Spring Renewals
    name: US hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions: [{ timeZone: America/New_York, startHour: 8, endHour: 21 }]
    dncLists: [Internal DNC]
    maxCallsPerDay: 1
    concurrencyLimit: 5
`,
  );
});
afterAll(async () => {
  await sim.stop();
  rmSync(root, { recursive: true, force: true });
});

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('live state read in a worker thread (built CLI)', () => {
  const env = () => ({ CXONE_CLIENT_ID: sim.clientId, CXONE_CLIENT_SECRET: sim.clientSecret });

  it('gives the same plan as reading in the main thread', async () => {
    const args = ['plan', 'm.yaml', '--target', sim.url, '--format', 'json', '--detailed-exitcode'];
    const inWorker = await run(args, { ...env(), CXCTL_LIVE_READER: 'worker' });
    const inThread = await run(args, { ...env(), CXCTL_LIVE_READER: 'thread' });
    expect(inWorker.stderr).toBe('');
    expect(inWorker.code).toBe(2);
    expect(inThread.code).toBe(2);
    const workerPlan = JSON.parse(inWorker.stdout) as {
      digest: string;
      changes: unknown[];
      unmanaged: unknown[];
    };
    const threadPlan = JSON.parse(inThread.stdout) as typeof workerPlan;
    expect(workerPlan.digest).toBe(threadPlan.digest);
    expect(workerPlan.changes).toHaveLength(2);
    expect(workerPlan.unmanaged).toMatchObject([{ kind: 'wrapUpCode', key: 'HAND' }]);
    const writes = Object.keys(sim.requests().counts).filter(
      (route) => !route.startsWith('GET ') && !route.includes('token'),
    );
    expect(writes).toEqual([]);
  });

  it('passes on a large tenant’s codes page by page, to the same plan', async () => {
    const saved = sim.state();
    sim.setState({ ...saved, wrapUpCodes: makeCodes(1_234) }); // 3 pages of 500
    try {
      const args = ['plan', 'm.yaml', '--target', sim.url, '--format', 'json'];
      const inWorker = await run(args, { ...env(), CXCTL_LIVE_READER: 'worker' });
      const inThread = await run(args, { ...env(), CXCTL_LIVE_READER: 'thread' });
      expect(inWorker.stderr).toBe('');
      type PlanJson = { digest: string; unmanaged: { key: string }[] };
      const workerPlan = JSON.parse(inWorker.stdout) as PlanJson;
      const threadPlan = JSON.parse(inThread.stdout) as PlanJson;
      expect(workerPlan.unmanaged.map((object) => object.key)).toEqual(
        makeCodes(1_234).map((code) => code.code),
      );
      expect(workerPlan.digest).toBe(threadPlan.digest);
    } finally {
      sim.setState(saved);
    }
  });

  it('stops the worker the executable started early when the plan reads in the main thread', async () => {
    // m.yaml is small, so the plan reads live state itself after validating; the worker started
    // ahead of time for `plan` must then send nothing (one token, one list of each kind).
    const args = ['plan', 'm.yaml', '--target', sim.url, '--format', 'json', '--detailed-exitcode'];
    sim.clearRequests();
    const result = await run(args, env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    const counts = sim.requests().counts;
    expect(counts['POST /oauth/token']).toBe(1);
    expect(counts['GET /api/v2/contact-center/interaction-config/wrap-up-codes']).toBe(1);
    const inWorker = await run(args, { ...env(), CXCTL_LIVE_READER: 'worker' });
    expect((JSON.parse(result.stdout) as { digest: string }).digest).toBe(
      (JSON.parse(inWorker.stdout) as { digest: string }).digest,
    );
  });

  it('exits on a usage error although a worker was started for the plan', async () => {
    sim.clearRequests();
    const result = await run(['plan', 'm.yaml', '--bogus-flag'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown argument.*bogus-flag/);
    expect(sim.requests().counts).toEqual({});
  });

  it('reports the worker’s failures as the main thread would, without secrets', async () => {
    const result = await run(['plan', 'm.yaml', '--target', sim.url], {
      CXONE_CLIENT_ID: sim.clientId,
      CXONE_CLIENT_SECRET: 'wrong-secret-value',
      CXCTL_LIVE_READER: 'worker',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*(credential|client|401|authenticat)/im);
    expect(result.stderr).not.toContain('wrong-secret-value');
    expect(result.stderr).not.toContain('    at ');
  });
});
