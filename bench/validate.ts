/**
 * `npm run bench validate`: how long `cxctl validate` takes on 10,000 and 100,000 wrap-up codes.
 *
 * For each size it generates one manifest file and measures, each in a fresh process:
 * - the floor: js-yaml's raw parse of the same file, and yaml's parse for comparison;
 * - the validation pipeline in-process (file reading, parsing, schema, semantic checks, digest),
 *   on the fast path, with the slow path forced, and with one error near the end of the file (the
 *   cost of turning a path into a line and column);
 * - the real CLI, `node dist/bundle/main.js validate FILE` (the bin), against `node -e 0`, so the figure
 *   beyond Node's start-up includes loading cxctl's modules.
 * CPU is user + system time. Nothing is asserted: this prints a table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliEntryPath } from '../src/util/packageRoot.js';

const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, 'validateWorker.js');
const cli = cliEntryPath();

/** A manifest with `count` wrap-up codes; `brokenAt` (index) gets a duration out of range. */
export function generateCodes(count: number, brokenAt?: number): string {
  const parts = [
    '# yaml-language-server: $schema=../schemas/manifest.schema.json\nversion: 1\nwrapUpCodes:\n',
  ];
  for (let i = 0; i < count; i++) {
    const code = `C${String(i).padStart(7, '0')}`;
    const duration = i === brokenAt ? 7201 : 1 + (i % 7200);
    parts.push(
      `  - code: ${code}\n    name: Generated code ${i}\n    category: Category ${i % 20}\n    duration: ${duration}\n    description: Synthetic wrap-up code number ${i}\n`,
    );
  }
  return parts.join('');
}

interface Measurement {
  cpuMs: number;
  wallMs: number;
  rssMiB: number;
  detail: string;
}

function measureWorker(scenario: string, file: string): Measurement {
  const result = spawnSync(process.execPath, [worker, scenario, file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${scenario} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Measurement;
}

// Prints the whole process's CPU time and peak RSS at exit, start-up included.
const REPORT_AT_EXIT =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nBENCH "+JSON.stringify({cpuMs:(u.userCPUTime+u.systemCPUTime)/1000,rssMiB:u.maxRSS/1024})+"\\n")})';

function measureProcess(args: string[]): Measurement {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', REPORT_AT_EXIT, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const wallMs = performance.now() - start;
  const line = result.stderr.split('\n').find((text) => text.startsWith('BENCH '));
  if (!line) throw new Error(`no measurement from ${args.join(' ')}: ${result.stderr}`);
  const { cpuMs, rssMiB } = JSON.parse(line.slice(6)) as { cpuMs: number; rssMiB: number };
  return { cpuMs, wallMs, rssMiB, detail: `exit ${result.status}` };
}

/** Median by CPU of `runs` measurements. */
function median(runs: number, measure: () => Measurement): Measurement {
  const all = Array.from({ length: runs }, measure).sort((a, b) => a.cpuMs - b.cpuMs);
  return all[Math.floor(all.length / 2)]!;
}

function row(size: number, what: string, m: Measurement): string {
  return `| ${size.toLocaleString('en-US')} | ${what} | ${m.cpuMs.toFixed(0)} | ${m.wallMs.toFixed(0)} | ${m.rssMiB.toFixed(0)} | ${m.detail} |`;
}

export async function run(): Promise<void> {
  const sizes = (process.env.CXCTL_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
  const directory = mkdtempSync(join(tmpdir(), 'cxctl-bench-validate-'));
  try {
    console.log('| codes | measurement | CPU ms | wall ms | peak RSS MiB | notes |');
    console.log('|---:|---|---:|---:|---:|---|');
    const nodeStart = median(5, () => measureProcess(['-e', '0']));
    console.log(row(0, 'node -e 0 (start-up)', nodeStart));
    for (const size of sizes) {
      const file = join(directory, `codes-${size}.yaml`);
      const broken = join(directory, `codes-${size}-broken.yaml`);
      writeFileSync(file, generateCodes(size));
      writeFileSync(broken, generateCodes(size, size - 2));
      const runs = size > 50_000 ? 1 : 3;
      for (const scenario of [
        'js-yaml load',
        'yaml parse',
        'validate (auto)',
        'validate (slow path forced)',
      ]) {
        console.log(
          row(
            size,
            `in-process: ${scenario}`,
            median(runs, () => measureWorker(scenario, file)),
          ),
        );
      }
      console.log(
        row(
          size,
          'in-process: validate, 1 error near the end (a position is needed)',
          median(runs, () => measureWorker('validate (auto)', broken)),
        ),
      );
      const spawned = median(runs, () =>
        measureProcess([cli, 'validate', file, '--format', 'json']),
      );
      console.log(row(size, 'cxctl validate (spawned)', spawned));
      console.log(
        row(size, 'cxctl validate beyond node start-up', {
          cpuMs: spawned.cpuMs - nodeStart.cpuMs,
          wallMs: spawned.wallMs - nodeStart.wallMs,
          rssMiB: spawned.rssMiB,
          detail: 'spawned minus node -e 0',
        }),
      );
      await Promise.resolve();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
