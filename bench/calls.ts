/**
 * `npm run bench -- calls`: `cxctl test --calls FILE` as a user runs it (the built CLI, spawned)
 * on a 100,000-row dialer export against the example manifests' rules: weekday windows, closed
 * Sundays, US holidays, a Florida state rule, rolling 24-hour counts, spacing, and a third of the
 * rows without a zone (taken from the number). Wall time includes start-up and writing the CSV.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cliEntryPath, packageRoot } from '../src/util/packageRoot.js';

const ROWS = 100_000;
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', ''];
const NUMBERS = ['+1212555', '+1305555', '+1312555', '+1310555'];

function callsCsv(rows: number): string {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const lines = ['rule,phone,at,timeZone,state,previousCalls,onDncLists'];
  for (let index = 0; index < rows; index++) {
    // Spread over a year in 7-minute steps: DST changes, weekends, holidays and window edges.
    const at = start + ((index * 7 * 60_000) % (365 * 86_400_000));
    const previous =
      index % 3 === 0
        ? [at - 50 * 60_000, at - 5 * 3_600_000, at - 23 * 3_600_000]
            .map((ms) => new Date(ms).toISOString())
            .join(';')
        : '';
    lines.push(
      [
        'Spring Renewals/US-FCC calling hours',
        `${NUMBERS[index % 4]}${String(index % 10_000).padStart(4, '0')}`,
        new Date(at).toISOString(),
        ZONES[index % ZONES.length],
        index % 5 === 0 ? 'FL' : '',
        previous,
        index % 50 === 0 ? 'Internal DNC' : '',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Print the table. */
export function run(): Promise<void> {
  const workdir = mkdtempSync(join(tmpdir(), 'cxctl-bench-calls-'));
  try {
    cpSync(join(packageRoot(), 'examples', 'manifests'), join(workdir, 'manifests'), {
      recursive: true,
    });
    writeFileSync(join(workdir, 'calls.csv'), callsCsv(ROWS));
    const args = [cliEntryPath(), 'test', 'manifests', '--calls', 'calls.csv'];
    const times: number[] = [];
    let summary = '';
    for (let attempt = 0; attempt < 4; attempt++) {
      const started = performance.now();
      const result = spawnSync(process.execPath, args, {
        cwd: workdir,
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        timeout: 120_000,
      });
      const elapsed = performance.now() - started;
      if (result.status !== 0) {
        throw new Error(`cxctl test --calls failed (${result.status}): ${result.stderr}`);
      }
      summary = result.stderr.trim();
      if (attempt > 0) times.push(elapsed); // the first run warms the file cache
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] as number;
    console.log(
      [
        '| work | rows | median (3 runs) | rate |',
        '|---|---|---|---|',
        `| cxctl test --calls (CSV in, CSV out, spawned) | ${ROWS} | ${(median / 1000).toFixed(2)} s | ${Math.round((ROWS / median) * 1000).toLocaleString('en-US')} rows/s |`,
        '',
        `summary: ${summary}`,
      ].join('\n'),
    );
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
  return Promise.resolve();
}
