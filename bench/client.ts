/**
 * Client benchmark: list 10,000 wrap-up codes (20 pages of 500) from the embedded simulator with
 * 20 ms of latency per response, at concurrency 1, 4 and 8.
 *
 * The listing reads page 1, then the other pages side by side, so its round trips are
 * 1 + ceil((pages - 1) / concurrency); the "floor" column is that many times the latency, the
 * least any client could take. Request counts come from the simulator's own log.
 */
import { createClient } from '../src/cxone/client.js';
import type { AttemptEvent } from '../src/cxone/events.js';
import { startSimulator } from '../src/simulator/index.js';

const TOTAL = 10_000;
const PAGE_SIZE = 500;
const LATENCY_MS = 20;
const RUNS = 5;
const LIST_ROUTE = 'GET /api/v2/contact-center/interaction-config/wrap-up-codes';
const TOKEN_ROUTE = 'POST /oauth2/token';

interface Row {
  concurrency: number;
  rateLimit: number;
  requests: number;
  tokenRequests: number;
  roundTrips: number;
  expectedRoundTrips: number;
  floorMs: number;
  medianMs: number;
  bestMs: number;
}

function codes(): object[] {
  const categories = ['Resolution', 'Sales', 'Service', 'Billing'];
  return Array.from({ length: TOTAL }, (_unused, index) => ({
    code: `B${String(index).padStart(5, '0')}`,
    name: `Benchmark code ${index}`,
    category: categories[index % categories.length],
    duration: 60 + (index % 600),
    isActive: true,
    isDefault: false,
  }));
}

/** Depth of the request graph: one more than the deepest request finished before each started. */
function roundTrips(attempts: AttemptEvent[]): number {
  const spans = attempts
    .map((a) => ({ start: a.sentAt, end: a.sentAt + a.latencyMs }))
    .sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  spans.forEach((span, index) => {
    let deepest = 0;
    for (let other = 0; other < index; other++) {
      if (spans[other]!.end <= span.start) deepest = Math.max(deepest, depth[other]!);
    }
    depth.push(deepest + 1);
  });
  return Math.max(0, ...depth);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(concurrency: number, rateLimit: number): Promise<Row> {
  const sim = await startSimulator({ latencyMs: LATENCY_MS });
  try {
    sim.setState({ ...sim.state(), wrapUpCodes: codes() } as Parameters<typeof sim.setState>[0]);
    const pages = Math.ceil(TOTAL / PAGE_SIZE);
    const times: number[] = [];
    let lastRoundTrips = 0;
    for (let run = 0; run < RUNS; run++) {
      const attempts: AttemptEvent[] = [];
      const client = createClient(
        {
          apiBase: sim.url,
          tokenUrl: sim.tokenUrl,
          clientId: sim.clientId,
          clientSecret: sim.clientSecret,
        },
        {
          concurrency,
          rateLimit,
          onEvent: (event) => {
            if (event.type === 'attempt' && event.purpose === 'api') attempts.push(event);
          },
        },
      );
      try {
        await client.auth.token(); // the token is not part of the listing
        sim.clearRequests();
        const started = performance.now();
        const listed = await client.wrapUpCodes.list();
        times.push(performance.now() - started);
        if (listed.length !== TOTAL) throw new Error(`listed ${listed.length} codes, not ${TOTAL}`);
        lastRoundTrips = roundTrips(attempts);
      } finally {
        await client.close();
      }
    }
    const counts = sim.requests().counts;
    const expectedRoundTrips = 1 + Math.ceil((pages - 1) / concurrency);
    return {
      concurrency,
      rateLimit,
      requests: counts[LIST_ROUTE] ?? 0,
      tokenRequests: counts[TOKEN_ROUTE] ?? 0,
      roundTrips: lastRoundTrips,
      expectedRoundTrips,
      floorMs: expectedRoundTrips * LATENCY_MS,
      medianMs: median(times),
      bestMs: Math.min(...times),
    };
  } finally {
    await sim.stop();
  }
}

/** Run the benchmark and print its table. */
export async function run(): Promise<void> {
  const rows: Row[] = [];
  for (const [concurrency, rateLimit] of [
    [1, 1000],
    [4, 1000],
    [8, 1000],
    [4, 10],
  ] as const) {
    rows.push(await measure(concurrency, rateLimit));
  }
  console.log(
    `${TOTAL} codes, ${Math.ceil(TOTAL / PAGE_SIZE)} pages of ${PAGE_SIZE}, ${LATENCY_MS} ms latency, median of ${RUNS} runs`,
  );
  console.log('');
  console.log(
    '| concurrency | rate limit/s | GET requests | token requests during listing | round trips (expected) | floor ms | median ms | best ms | median / floor |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.concurrency} | ${row.rateLimit} | ${row.requests} | ${row.tokenRequests} | ${row.roundTrips} (${row.expectedRoundTrips}) | ${row.floorMs} | ${row.medianMs.toFixed(0)} | ${row.bestMs.toFixed(0)} | ${(row.medianMs / row.floorMs).toFixed(2)} |`,
    );
  }
  console.log('');
  console.log(
    'GET requests count the last run only (the log is cleared before each listing). At 10/s the rate limit, not the latency, bounds the listing: 5 pages leave at once (the burst), the other 15 at 10/s.',
  );
}
