/**
 * Writes V8's code cache beside the bundle (dist/bundle/cli.cjs.codecache, see
 * src/cli/loadBundle.ts) by running what users run most, as they run it: `cxctl plan` of 2,000
 * wrap-up codes and 40 compliance rules against a simulator on 127.0.0.1, large enough to start
 * reading live state before the parse, with creates and updates to render. The cache holds every
 * function the run compiled.
 *
 * Run by `npm run build` after the bundle (node dist/scripts/trainCodeCache.js). It is an
 * optimisation: when the run fails, the build says so and goes on without a cache.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeCacheFile } from '../src/cli/loadBundle.js';
import { DEFAULT_SEED, startSimulator, type SimulatorSeed } from '../src/simulator/index.js';

const CODES = 2_000;
const RULES = 40;

/** The manifest, and a live state that differs from it (missing and changed codes). */
function trainingInput(): { manifest: string; seed: SimulatorSeed } {
  const lines = ['version: 1', 'wrapUpCodes:'];
  const live: NonNullable<SimulatorSeed['wrapUpCodes']> = [];
  for (let i = 0; i < CODES; i++) {
    const code = `TRAIN_${String(i).padStart(5, '0')}`;
    lines.push(
      `  - code: ${code}`,
      `    name: Training code ${i}`,
      '    category: Sales',
      `    duration: ${30 + (i % 600)}`,
      `    description: Written by the build to warm the code cache (${i})`,
    );
    if (i % 10 === 0) continue; // missing: a create
    live.push({
      code,
      name: i % 10 === 1 ? `Old name ${i}` : `Training code ${i}`, // an update
      category: 'Sales',
      duration: 30 + (i % 600),
      description: `Written by the build to warm the code cache (${i})`,
    });
  }
  lines.push('complianceRules:');
  for (let i = 0; i < RULES; i++) {
    lines.push(
      '  - campaign: Spring Renewals',
      `    name: Training rule ${i}`,
      '    type: TIME_RESTRICTION',
      '    jurisdiction: US-FCC',
      '    timeZoneRestrictions:',
      '      - { timeZone: America/New_York, startHour: 8, endHour: 21 }',
      '    dncLists: [Internal DNC]',
      '    maxCallsPerDay: 3',
      '    concurrencyLimit: 5',
    );
  }
  return { manifest: `${lines.join('\n')}\n`, seed: { ...DEFAULT_SEED, wrapUpCodes: live } };
}

/** Run the training plan with the bundle in `bundleDir`; true when the cache was written. */
export async function trainCodeCache(bundleDir: string): Promise<boolean> {
  const bundles = ['cli.cjs'].map((name) => join(bundleDir, name));
  for (const bundle of bundles) rmSync(codeCacheFile(bundle), { force: true });
  const { manifest, seed } = trainingInput();
  const directory = mkdtempSync(join(tmpdir(), 'cxctl-train-'));
  const sim = await startSimulator({ seed, latencyMs: 0 });
  try {
    writeFileSync(join(directory, 'training.yaml'), manifest);
    const args = ['plan', 'training.yaml', '--target', sim.url, '--concurrency', '8'];
    const exit = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [join(bundleDir, 'main.js'), ...args, '--no-color'], {
        cwd: directory,
        env: {
          ...process.env,
          CXCTL_CODE_CACHE: 'write',
          CXONE_CLIENT_ID: sim.clientId,
          CXONE_CLIENT_SECRET: sim.clientSecret,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('error', reject);
      child.on('close', resolve);
    });
    const written = bundles.filter((bundle) => existsSync(codeCacheFile(bundle)));
    if (exit !== 0 || written.length !== bundles.length) {
      console.warn(
        `code cache: the training plan exited ${exit ?? 'by signal'} and wrote ${written.length} of ${bundles.length} caches; cxctl runs without them (only slower)`,
      );
      return false;
    }
    const bytes = written.reduce(
      (total, bundle) => total + statSync(codeCacheFile(bundle)).size,
      0,
    );
    console.log(`code cache: ${written.length} files, ${(bytes / 1024).toFixed(0)} KiB`);
    return true;
  } finally {
    await sim.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
  await trainCodeCache(join(root, 'dist', 'bundle'));
}
