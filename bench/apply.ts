/**
 * Apply benchmark: 1,000 wrap-up code creates + 1,000 updates against the embedded simulator with
 * 20 ms of latency per response, at the default rate limit (10/s) and at a high one.
 *
 * The plan is made once per row (outside the timing) from the live state; the timing covers the
 * executor: 10 batch POSTs of 100 and 1,000 PUTs with If-Match, each with its idempotency key.
 *
 * Floor: a write cannot leave before the rate limiter lets it (the bucket starts with `burst`
 * tokens, then `rate` per second) nor while all `concurrency` slots are busy (each write holds a
 * slot for at least one round trip); the last write still needs its own round trip. So
 * floor = max((writes - burst) / rate, ceil(writes / concurrency) * RTT) + RTT.
 */
import { executePlan } from '../src/apply/executor.js';
import { createClient } from '../src/cxone/client.js';
import { wrapUpCodeBody } from '../src/cxone/wrapUpCodes.js';
import type { WrapUpCodeFields } from '../src/cxone/types.js';
import { assemblePlan } from '../src/plan/assemble.js';
import { diffKind } from '../src/plan/compute.js';
import { DEFAULT_SEED, startSimulator } from '../src/simulator/index.js';

const CREATES = 1_000;
const UPDATES = 1_000;
const LATENCY_MS = 20;

interface Row {
  concurrency: number;
  rateLimit: number;
  burst: number;
  writes: number;
  floorMs: number;
  wallMs: number;
  counts: Record<string, number>;
  retries: number;
  rateLimited: number;
  failed: number;
}

function code(prefix: string, index: number, duration: number): WrapUpCodeFields {
  const categories = ['Resolution', 'Sales', 'Service', 'Billing'];
  return {
    code: `${prefix}${String(index).padStart(4, '0')}`,
    name: `Benchmark code ${index}`,
    category: categories[index % categories.length]!,
    duration,
    isActive: true,
    isDefault: false,
  };
}

async function measure(concurrency: number, rateLimit: number): Promise<Row> {
  const live = Array.from({ length: UPDATES }, (_u, i) => code('U', i, 60));
  const desired = [
    ...Array.from({ length: UPDATES }, (_u, i) => code('U', i, 90)),
    ...Array.from({ length: CREATES }, (_u, i) => code('N', i, 60)),
  ];
  const sim = await startSimulator({
    latencyMs: LATENCY_MS,
    seed: { ...DEFAULT_SEED, wrapUpCodes: live },
  });
  const client = createClient(
    {
      apiBase: sim.url,
      tokenUrl: sim.tokenUrl,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
    },
    { concurrency, rateLimit },
  );
  try {
    const liveCodes = await client.wrapUpCodes.list();
    const comparable = (c: WrapUpCodeFields): WrapUpCodeFields => wrapUpCodeBody(c);
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
          desired: desired.map((c) => ({
            key: c.code,
            comparable: comparable(c),
            body: comparable(c),
          })),
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
    // Let the rate limiter refill after the listing, so every row starts from a full bucket.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    sim.clearRequests();
    const before = client.stats();
    const started = performance.now();
    const report = await executePlan({ client, plan });
    const wallMs = performance.now() - started;
    const after = client.stats();
    const counts = sim.requests().counts;
    const writes = report.writes.length;
    const burst = Math.min(5, Math.ceil(rateLimit));
    const floorMs =
      Math.max(
        ((writes - burst) / rateLimit) * 1000,
        Math.ceil(writes / concurrency) * LATENCY_MS,
      ) + LATENCY_MS;
    return {
      concurrency,
      rateLimit,
      burst,
      writes,
      floorMs,
      wallMs,
      counts,
      retries: after.retries - before.retries,
      rateLimited: after.rateLimited - before.rateLimited,
      failed: report.results.filter((r) => r.outcome !== 'success').length,
    };
  } finally {
    await client.close();
    await sim.stop();
  }
}

/** Run the benchmark and print its table. */
export async function run(): Promise<void> {
  const rows: Row[] = [];
  for (const [concurrency, rateLimit] of [
    [4, 10],
    [4, 1000],
    [8, 1000],
  ] as const) {
    rows.push(await measure(concurrency, rateLimit));
  }
  console.log(
    `${CREATES} creates (batches of 100) + ${UPDATES} updates of wrap-up codes, ${LATENCY_MS} ms latency per response`,
  );
  console.log('');
  console.log(
    '| concurrency | rate limit/s | writes | POST batches | PUT | other requests | retries | 429s | failed | floor s | wall s | wall / floor |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const post = row.counts['POST /api/v2/contact-center/interaction-config/wrap-up-codes'] ?? 0;
    const put = row.counts['PUT /api/v2/contact-center/interaction-config/wrap-up-codes/{id}'] ?? 0;
    const total = Object.values(row.counts).reduce((a, b) => a + b, 0);
    console.log(
      `| ${row.concurrency} | ${row.rateLimit} | ${row.writes} | ${post} | ${put} | ${total - post - put} | ${row.retries} | ${row.rateLimited} | ${row.failed} | ${(row.floorMs / 1000).toFixed(2)} | ${(row.wallMs / 1000).toFixed(2)} | ${(row.wallMs / row.floorMs).toFixed(2)} |`,
    );
  }
  console.log('');
  console.log(
    'Floor = max((writes - burst) / rate, ceil(writes / concurrency) x RTT) + RTT. "other requests" are requests besides the writes during the timed run (token requests are not logged).',
  );
}
