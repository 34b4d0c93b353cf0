/**
 * Throughput of the embedded simulator itself, with latency 0: how many requests per second it
 * serves for the two heavy calls cxctl makes, so other benchmarks know it is not their bottleneck.
 *
 * - list: `GET wrap-up-codes?page=P&pageSize=500` over a tenant of 10,000 codes (pages 1..20)
 * - batch create: `POST wrap-up-codes` with 100 new codes and an idempotency key
 *
 * Each runs with N concurrent keep-alive clients (an undici Pool of N connections) for a fixed time,
 * against a simulator in this process (as `--target embedded` runs it: client and server share one
 * event loop) and in a separate process (`cxctl simulator`: the server's own throughput).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import type { WrapUpCodeFields } from '../src/cxone/types.js';
import { API_PATHS } from '../src/cxone/types.js';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_SEED,
  startSimulator,
} from '../src/simulator/index.js';
import { cliEntryPath } from '../src/util/packageRoot.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,4,16').split(',').map(Number);
const TENANT_CODES = 10_000;
const WARMUP_MS = 1000;

interface Result {
  requests: number;
  seconds: number;
  latencies: number[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A simulator to measure: its URL and how to stop it. */
interface Target {
  url: string;
  stop: () => Promise<void>;
}

async function token(url: string): Promise<string> {
  const response = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${DEFAULT_CLIENT_ID}&client_secret=${DEFAULT_CLIENT_SECRET}`,
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Run `clients` loops of `once` against one pool until the time is up. */
async function drive(
  clients: number,
  once: (pool: Pool, worker: number, i: number) => Promise<void>,
  url: string,
  durationMs = DURATION_MS,
): Promise<Result> {
  const pool = new Pool(url, { connections: clients, pipelining: 1 });
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        await once(pool, worker, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { requests: latencies.length, seconds, latencies: latencies.sort((a, b) => a - b) };
}

function row(name: string, clients: number, result: Result): string {
  const rps = result.requests / result.seconds;
  return `| ${name} | ${clients} | ${result.requests} | ${rps.toFixed(0)} | ${percentile(result.latencies, 50).toFixed(2)} | ${percentile(result.latencies, 99).toFixed(2)} |`;
}

function code(n: number): WrapUpCodeFields {
  return {
    code: `B${String(n).padStart(8, '0')}`,
    name: `Benchmark code ${n}`,
    category: 'Resolution',
    duration: 300,
    isActive: true,
    isDefault: false,
    description: 'Created by the simulator benchmark',
  };
}

const SEED = {
  ...DEFAULT_SEED,
  wrapUpCodes: Array.from({ length: TENANT_CODES }, (_, i) => code(i)),
};

async function inProcess(): Promise<Target> {
  const sim = await startSimulator({ latencyMs: 0, seed: SEED });
  return { url: sim.url, stop: () => sim.stop() };
}

/** `cxctl simulator --seed FILE --port 0` as a child process (needs the build). */
async function childProcess(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'cxctl-bench-'));
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(SEED));
  const bin = cliEntryPath();
  const child = spawn(process.execPath, [bin, 'simulator', '--port', '0', '--seed', seedFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`cxctl simulator exited with ${code}`)));
  });
  return {
    url: line.replace(/^listening on /, ''),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measure(label: string, target: Target, firstCode: number): Promise<void> {
  const bearer = `Bearer ${await token(target.url)}`;
  const list = async (pool: Pool, worker: number, i: number) => {
    const page = ((worker * 7 + i) % (TENANT_CODES / 500)) + 1;
    const response = await pool.request({
      method: 'GET',
      path: `${API_PATHS.wrapUpCodes}?page=${page}&pageSize=500`,
      headers: { authorization: bearer },
    });
    const body = await response.body.text();
    if (response.statusCode !== 200 || body.length < 1000) {
      throw new Error(`list failed: ${response.statusCode} ${body.slice(0, 200)}`);
    }
  };
  // Warm up (JIT, connection setup) before measuring.
  await drive(4, list, target.url, WARMUP_MS);
  for (const clients of CLIENTS) {
    const result = await drive(clients, list, target.url);
    console.log(row(`${label}: list 500 of 10,000`, clients, result));
  }
  let next = firstCode;
  for (const clients of CLIENTS) {
    const result = await drive(
      clients,
      async (pool, worker, i) => {
        const batch = Array.from({ length: 100 }, () => code(next++));
        const response = await pool.request({
          method: 'POST',
          path: API_PATHS.wrapUpCodes,
          headers: {
            authorization: bearer,
            'content-type': 'application/json',
            'x-idempotency-key': `bench-${clients}-${worker}-${i}`,
          },
          body: JSON.stringify(batch),
        });
        const body = await response.body.text();
        if (response.statusCode !== 200 || !body.includes('"errors":[]')) {
          throw new Error(`create failed: ${response.statusCode} ${body.slice(0, 200)}`);
        }
      },
      target.url,
    );
    console.log(row(`${label}: batch create 100`, clients, result));
  }
}

/** The benchmark entry point (see bench/run.ts). */
export async function run(): Promise<void> {
  console.log(`Node ${process.version}, ${DURATION_MS} ms per row, latency 0\n`);
  console.log('| scenario | clients | requests | req/s | p50 ms | p99 ms |');
  console.log('|---|---|---|---|---|---|');
  for (const [label, start] of [
    ['in-process', inProcess],
    ['child process', childProcess],
  ] as const) {
    const target = await start();
    try {
      await measure(label, target, TENANT_CODES);
    } finally {
      await target.stop();
    }
  }
}
