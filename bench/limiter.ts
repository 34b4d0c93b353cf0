/**
 * Limiter benchmark: 2,000 wrap-up code updates at a client limit of 50/s against a simulator
 * that allows 20/s per tenant, once with 429s that carry Retry-After and once without (as many
 * real tenants answer). The client must settle near the tenant's rate on its own (AIMD on its
 * token bucket): few 429s, and a wall time close to the tenant's floor.
 *
 * Floor: the simulator's bucket starts full (`burst` = 20) and then grants 20 per second, so
 * 2,000 writes cannot finish before (2,000 - 20) / 20 s; it is computed from the settings the run
 * used, and the wall time is measured in the same run.
 */
import { executePlan } from '../src/apply/executor.js';
import { createClient } from '../src/cxone/client.js';
import type { ClientEvent } from '../src/cxone/events.js';
import { wrapUpCodeBody } from '../src/cxone/wrapUpCodes.js';
import type { WrapUpCodeFields } from '../src/cxone/types.js';
import { assemblePlan } from '../src/plan/assemble.js';
import { diffKind } from '../src/plan/compute.js';
import { DEFAULT_SEED, startSimulator } from '../src/simulator/index.js';

const UPDATES = 2_000;
const CLIENT_RATE = 50;
const TENANT_RATE = 20;
const CONCURRENCY = 8;
const LATENCY_MS = 20;

interface Row {
  retryAfter: boolean;
  writes: number;
  attempts: number;
  rateLimited: number;
  failed: number;
  floorMs: number;
  wallMs: number;
  lowestRate: number;
  avgLatencyMs: number;
  avgQueuedMs: number;
}

function code(index: number, duration: number): WrapUpCodeFields {
  return {
    code: `U${String(index).padStart(4, '0')}`,
    name: `Benchmark code ${index}`,
    category: 'Resolution',
    duration,
    isActive: true,
    isDefault: false,
  };
}

async function measure(retryAfter: boolean): Promise<Row> {
  const live = Array.from({ length: UPDATES }, (_u, i) => code(i, 60));
  const sim = await startSimulator({
    latencyMs: LATENCY_MS,
    seed: { ...DEFAULT_SEED, wrapUpCodes: live },
  });
  const events: ClientEvent[] = [];
  const client = createClient(
    {
      apiBase: sim.url,
      tokenUrl: sim.tokenUrl,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
    },
    { concurrency: CONCURRENCY, rateLimit: CLIENT_RATE },
  );
  try {
    const liveCodes = await client.wrapUpCodes.list();
    const comparable = (c: WrapUpCodeFields): WrapUpCodeFields => ({ ...wrapUpCodeBody(c) });
    const plan = assemblePlan(
      {
        target: { label: 'bench' },
        manifestDigest: '0'.repeat(64),
        prune: false,
        cxctlVersion: 'bench',
        createdAt: new Date(0).toISOString(),
      },
      {
        wrapUpCode: diffKind({
          kind: 'wrapUpCode',
          desired: live.map((c) => {
            const wanted = comparable({ ...c, duration: 90 });
            return { key: c.code, comparable: wanted, body: wanted };
          }),
          live: liveCodes.map((c) => ({
            key: c.code,
            comparable: comparable(c),
            live: { id: c.id, version: c.version },
            owned: true,
          })),
          prune: false,
        }),
      },
    );
    // The tenant's limit starts now, with a full bucket; the client's bucket refills meanwhile.
    const config = sim.configure({
      rateLimit: { requestsPerSecond: TENANT_RATE, ...(retryAfter ? {} : { retryAfter: false }) },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stop = client.on((event) => events.push(event));
    const started = performance.now();
    const report = await executePlan({ client, plan });
    const wallMs = performance.now() - started;
    stop();
    const attempts = events.filter((e) => e.type === 'attempt' && e.purpose === 'api');
    const rates = events.flatMap((e) => (e.type === 'rate' ? [e.ratePerSecond] : []));
    const writes = report.writes.length;
    const burst = config.rateLimit?.burst ?? TENANT_RATE;
    const average = (values: number[]): number =>
      values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
    return {
      retryAfter,
      writes,
      attempts: attempts.length,
      rateLimited: attempts.filter((e) => e.type === 'attempt' && e.status === 429).length,
      failed: report.results.filter((r) => r.outcome !== 'success').length,
      floorMs: ((writes - burst) / TENANT_RATE) * 1000,
      wallMs,
      lowestRate: rates.length === 0 ? CLIENT_RATE : Math.min(...rates),
      avgLatencyMs: average(report.writes.map((w) => w.latencyMs)),
      avgQueuedMs: average(report.writes.map((w) => w.queuedMs)),
    };
  } finally {
    await client.close();
    await sim.stop();
  }
}

/** Run the benchmark and print its table. */
export async function run(): Promise<void> {
  const rows: Row[] = [];
  for (const retryAfter of [true, false]) rows.push(await measure(retryAfter));
  console.log(
    `${UPDATES} updates, client --rate-limit ${CLIENT_RATE} and --concurrency ${CONCURRENCY}, simulator limit ${TENANT_RATE}/s, ${LATENCY_MS} ms latency per response`,
  );
  console.log('');
  console.log(
    '| 429 carries Retry-After | writes | attempts | 429s | 429 share | failed | lowest client rate/s | floor s | wall s | wall / floor | avg latency ms | avg queued ms |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.retryAfter ? 'yes' : 'no'} | ${row.writes} | ${row.attempts} | ${row.rateLimited} | ${((row.rateLimited / row.attempts) * 100).toFixed(1)}% | ${row.failed} | ${row.lowestRate.toFixed(1)} | ${(row.floorMs / 1000).toFixed(1)} | ${(row.wallMs / 1000).toFixed(1)} | ${(row.wallMs / row.floorMs).toFixed(2)} | ${row.avgLatencyMs.toFixed(1)} | ${row.avgQueuedMs.toFixed(0)} |`,
    );
  }
  console.log('');
  console.log(
    "Floor = (writes - the simulator's burst) / its rate. 429 share = 429 answers / API attempts. Latency is the server round trip; queued is the wait on the client's own limits.",
  );
}
