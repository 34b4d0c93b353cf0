/**
 * `npm run bench -- plan`: `cxctl plan` as a user runs it (the built CLI, spawned), against the
 * embedded simulator with 20 ms of latency per response, on no-op plans (live already equals the
 * manifests, seeded straight into the simulator's state):
 * - 1,000 / 10,000 / 100,000 wrap-up codes in one file, at concurrency 8 and 4 with a rate limit
 *   high enough that latency, not the limiter, decides; 10,000 also at the default 10 requests/s;
 * - 1,000 compliance rules over 50 campaigns.
 *
 * For each run it prints wall time, CPU time (user + system of the child), peak RSS, the requests
 * per route from the simulator's log, and the floor: Node's start-up (`node -e 0`) + one round trip
 * for the token + one for the first page (categories, campaigns and DNC lists go out with it) +
 * ceil(remaining pages / concurrency) round trips (+ the rules' round trips, which can only start
 * once the campaign list is known) + js-yaml's parse of the same file, each part measured right
 * before the scenario's runs. Nothing is asserted.
 * `CXCTL_BENCH_PLAN_SIZES=1000,10000` limits the sizes; `CXCTL_BENCH_RUNS` sets runs per row.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliEntryPath } from '../src/util/packageRoot.js';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorSeed,
} from '../src/simulator/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = cliEntryPath();
const LATENCY_MS = 20;
const PAGE_SIZE = 500;
const CATEGORIES = 20;
const CAMPAIGNS = 50;
const RULES = 1_000;

// Reports the whole child's CPU time and peak RSS at exit, start-up included.
const REPORT_AT_EXIT =
  'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nBENCH "+JSON.stringify({cpuMs:(u.userCPUTime+u.systemCPUTime)/1000,rssMiB:u.maxRSS/1024})+"\\n")})';

interface Measurement {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
  exit: number | null;
}

/** Run node with `args` (asynchronously: the simulator in this process must keep answering). */
function measure(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measurement> {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', REPORT_AT_EXIT, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const wallMs = performance.now() - start;
      const line = stderr.split('\n').find((text) => text.startsWith('BENCH '));
      if (!line) return reject(new Error(`no measurement from ${args.join(' ')}: ${stderr}`));
      if (status !== 0 && status !== 2) {
        return reject(new Error(`node ${args.join(' ')} exited ${status}: ${stderr}`));
      }
      const { cpuMs, rssMiB } = JSON.parse(line.slice(6)) as { cpuMs: number; rssMiB: number };
      resolvePromise({ wallMs, cpuMs, rssMiB, exit: status });
    });
  });
}

async function median(runs: number, take: () => Promise<Measurement>): Promise<Measurement> {
  const all: Measurement[] = [];
  for (let run = 0; run < runs; run++) all.push(await take());
  all.sort((a, b) => a.wallMs - b.wallMs);
  return all[Math.floor(all.length / 2)]!;
}

const code = (i: number) => `C${String(i).padStart(7, '0')}`;

/** A manifest of `count` codes, and the same codes as simulator state. */
function codesFixture(count: number): { yaml: string; state: object[] } {
  const parts = ['version: 1\nwrapUpCodes:\n'];
  const state: object[] = [];
  for (let i = 0; i < count; i++) {
    const fields = {
      code: code(i),
      name: `Generated code ${i}`,
      category: `Category ${i % CATEGORIES}`,
      duration: 1 + (i % 7200),
      description: `Synthetic wrap-up code number ${i}`,
    };
    parts.push(
      `  - code: ${fields.code}\n    name: ${fields.name}\n    category: ${fields.category}\n    duration: ${fields.duration}\n    description: ${fields.description}\n`,
    );
    state.push({ ...fields, isActive: true, isDefault: false });
  }
  return { yaml: parts.join(''), state };
}

/** 1,000 rules, 20 in each of 50 campaigns, as a manifest and as simulator state. */
function rulesFixture(): { yaml: string; state: object[] } {
  const parts = ['version: 1\ncomplianceRules:\n'];
  const state: object[] = [];
  for (let i = 0; i < RULES; i++) {
    const campaign = `Campaign ${String(i % CAMPAIGNS).padStart(2, '0')}`;
    const name = `Rule ${i}`;
    parts.push(
      `  - campaign: ${campaign}\n    name: ${name}\n    type: TIME_RESTRICTION\n    jurisdiction: US-FCC\n` +
        `    timeZoneRestrictions:\n      - { timeZone: America/New_York, startHour: 8, endHour: 21 }\n      - { timeZone: America/Chicago, startHour: 8, endHour: 21 }\n` +
        `    dncLists: [Internal DNC]\n    maxCallsPerDay: 3\n    concurrencyLimit: 5\n`,
    );
    state.push({
      campaignId: campaign,
      name,
      type: 'TIME_RESTRICTION',
      jurisdiction: 'US-FCC',
      timeZoneRestrictions: [
        { timeZone: 'America/New_York', startHour: 8, endHour: 21 },
        { timeZone: 'America/Chicago', startHour: 8, endHour: 21 },
      ],
      dncListIds: ['Internal DNC'],
      maxCallsPerDay: 3,
      concurrencyLimit: 5,
    });
  }
  return { yaml: parts.join(''), state };
}

function baseState(): {
  categories: object[];
  campaigns: object[];
  dncLists: object[];
} {
  return {
    categories: Array.from({ length: CATEGORIES }, (_u, i) => ({ name: `Category ${i}` })),
    campaigns: Array.from({ length: CAMPAIGNS }, (_u, i) => ({
      name: `Campaign ${String(i).padStart(2, '0')}`,
    })),
    dncLists: [{ name: 'Internal DNC', active: true }],
  };
}

/**
 * js-yaml's load of the file in a fresh process, as the CLI meets it (cold), median of 3: the
 * parse the floor allows for.
 */
async function jsYamlParseMs(file: string): Promise<number> {
  const script = `import jsYaml from 'js-yaml'; import { readFileSync } from 'node:fs';
const text = readFileSync(${JSON.stringify(file)}, 'utf8'); const start = performance.now();
jsYaml.load(text); console.log(performance.now() - start);`;
  const times: number[] = [];
  for (let run = 0; run < 3; run++) {
    times.push(
      await new Promise<number>((resolvePromise, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
          cwd: join(here, '..', '..'),
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('error', reject);
        child.on('close', () => resolvePromise(Number(out.trim())));
      }),
    );
  }
  return times.sort((a, b) => a - b)[1]!;
}

/** One authenticated round trip to the simulator (a category list), median of 5. */
async function roundTripMs(sim: RunningSimulator): Promise<number> {
  const token = (await (
    await fetch(sim.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${sim.clientId}&client_secret=${sim.clientSecret}`,
    })
  ).json()) as { access_token: string };
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    await (
      await fetch(`${sim.url}/api/v2/contact-center/interaction-config/categories`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      })
    ).text();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2]!;
}

interface Scenario {
  label: string;
  file: string;
  pages: number;
  /** Round trips the rules need after the campaign list is known (0 for codes). */
  ruleRoundTrips: (concurrency: number) => number;
  /** Makes the manifest file and returns the simulator state it plans against (once per group). */
  state: () => object;
  concurrency: number;
  rateLimit?: number;
  /** Extra environment, e.g. `CXCTL_CODE_CACHE=off` to measure without the code cache. */
  env?: Record<string, string>;
}

export async function run(): Promise<void> {
  const sizes = (process.env.CXCTL_BENCH_PLAN_SIZES ?? '1000,10000,100000').split(',').map(Number);
  const runs = Number(process.env.CXCTL_BENCH_RUNS ?? 3);
  const directory = mkdtempSync(join(tmpdir(), 'cxctl-bench-plan-'));
  const sim = await startSimulator({ latencyMs: LATENCY_MS, seed: baseState() as SimulatorSeed });
  try {
    const nodeAtStart = await median(5, () => measure(['-e', '0']));
    console.log(
      `Simulator latency ${LATENCY_MS} ms; measured round trip ${(await roundTripMs(sim)).toFixed(1)} ms; node -e 0: ${nodeAtStart.wallMs.toFixed(0)} ms wall, ${nodeAtStart.cpuMs.toFixed(0)} ms CPU, ${nodeAtStart.rssMiB.toFixed(0)} MiB.\n`,
    );
    console.log(
      '| scenario | concurrency | rate limit | wall ms | CPU ms | peak RSS MiB | floor ms | wall / floor | floor: start + round trips x RTT + parse | requests (per route) |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|---|');

    // Each size's manifest and state are made when its first scenario runs, and dropped with the
    // next size's: the 100,000-code fixture alone is some hundred MiB of this process's heap, whose
    // garbage collection would compete for the cores with the smaller plans measured meanwhile.
    const scenarios: Scenario[] = [];
    for (const size of sizes) {
      const file = join(directory, `codes-${size}.yaml`);
      const state = (): object => {
        const fixture = codesFixture(size);
        writeFileSync(file, fixture.yaml);
        return { ...baseState(), wrapUpCodes: fixture.state };
      };
      const label = `${size.toLocaleString('en-US')} codes`;
      const codes = {
        label,
        file,
        pages: Math.max(1, Math.ceil(size / PAGE_SIZE)),
        ruleRoundTrips: () => 0,
        state,
      };
      for (const concurrency of [8, 4]) scenarios.push({ ...codes, concurrency });
      if (size === 10_000) scenarios.push({ ...codes, concurrency: 8, rateLimit: 10 });
    }
    const rulesFile = join(directory, 'rules-1000.yaml');
    const rulesState = (): object => {
      const rules = rulesFixture();
      writeFileSync(rulesFile, rules.yaml);
      return { ...baseState(), complianceRules: rules.state };
    };
    for (const concurrency of [8, 4]) {
      scenarios.push({
        label: `${RULES.toLocaleString('en-US')} rules / ${CAMPAIGNS} campaigns`,
        file: rulesFile,
        pages: 1,
        ruleRoundTrips: (c) => Math.ceil(CAMPAIGNS / c),
        state: rulesState,
        concurrency,
      });
    }

    let seeded: (() => object) | undefined;
    for (const scenario of scenarios) {
      if (seeded !== scenario.state) {
        sim.setState(scenario.state());
        seeded = scenario.state;
      }
      // The floor's parts are measured right before the scenario's own runs, so that the plan and
      // its floor meet the same machine (on a shared VM both drift over a long benchmark).
      const parseMs = await jsYamlParseMs(scenario.file);
      const nodeStart = await median(5, () => measure(['-e', '0']));
      const rtt = await roundTripMs(sim);
      const args = [
        cli,
        'plan',
        scenario.file,
        '--target',
        sim.url,
        '--concurrency',
        String(scenario.concurrency),
        '--rate-limit',
        String(scenario.rateLimit ?? 10_000),
        '--detailed-exitcode',
        '--no-color',
      ];
      const env = {
        CXONE_CLIENT_ID: sim.clientId,
        CXONE_CLIENT_SECRET: sim.clientSecret,
        ...scenario.env,
      };
      let counts: Record<string, number> = {};
      const result = await median(scenario.pages > 100 ? 1 : runs, async () => {
        sim.clearRequests();
        const measurement = await measure(args, env);
        if (measurement.exit !== 0) throw new Error(`${scenario.label}: the plan was not empty`);
        counts = sim.requests().counts;
        return measurement;
      });
      const roundTrips =
        2 +
        Math.ceil((scenario.pages - 1) / scenario.concurrency) +
        scenario.ruleRoundTrips(scenario.concurrency);
      const floor = nodeStart.wallMs + roundTrips * rtt + parseMs;
      const requests = Object.entries(counts)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(
          ([route, n]) =>
            `${route.replace('/api/v2/', '…/').replace('contact-center/interaction-config/', '')}: ${n}`,
        )
        .join('; ');
      console.log(
        `| ${scenario.label} | ${scenario.concurrency} | ${scenario.rateLimit ?? 'unlimited (10,000/s)'} | ${result.wallMs.toFixed(0)} | ${result.cpuMs.toFixed(0)} | ${result.rssMiB.toFixed(0)} | ${floor.toFixed(0)} | ${(result.wallMs / floor).toFixed(2)} | ${nodeStart.wallMs.toFixed(0)} + ${roundTrips} x ${rtt.toFixed(1)} + ${parseMs.toFixed(0)} | ${requests} |`,
      );
    }
    console.log(
      '\nfloor = node -e 0 + round trips x measured round trip + js-yaml parse of the same file; round trips = 1 (token) + 1 (first page with categories, campaigns, DNC lists) + ceil((pages - 1) / concurrency) [+ ceil(campaigns / concurrency) for rules].',
    );
  } finally {
    await sim.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}
