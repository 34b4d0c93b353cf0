/**
 * `npm run bench [-- NAME..]`: runs the benchmarks (all by default) and prints their tables.
 *
 * Benchmarks measure against the real embedded simulator with injected latency; they are not tests
 * and assert nothing. Each one is a module exporting `run(): Promise<void>` that prints its table.
 * Adding a benchmark = one file in bench/ + one line here.
 */
interface Benchmark {
  name: string;
  describe: string;
  load: () => Promise<{ run: () => Promise<void> }>;
}

const benchmarks: Benchmark[] = [
  {
    name: 'validate',
    describe: 'cxctl validate of 10,000 and 100,000 wrap-up codes against raw YAML parsing',
    load: () => import('./validate.js'),
  },
  {
    name: 'simulator',
    describe: 'throughput of the embedded simulator (list and batch create, latency 0)',
    load: () => import('./simulator.js'),
  },
  {
    name: 'offline',
    describe: 'compliance evaluation and CRM mapping throughput (no network)',
    load: () => import('./offline.js'),
  },
  {
    name: 'calls',
    describe: 'cxctl test --calls (spawned) on a 100,000-row dialer export',
    load: () => import('./calls.js'),
  },
  {
    name: 'plan',
    describe:
      'cxctl plan (spawned) of 1,000 / 10,000 / 100,000 wrap-up codes and 1,000 rules at 20 ms latency, against its floor',
    load: () => import('./plan.js'),
  },
  {
    name: 'client',
    describe: 'list 10,000 wrap-up codes at 20 ms latency, concurrency 1/4/8',
    load: () => import('./client.js'),
  },
  {
    name: 'limiter',
    describe:
      '2,000 updates at a client limit of 50/s against a tenant limit of 20/s, 429s with and without Retry-After',
    load: () => import('./limiter.js'),
  },
  {
    name: 'apply',
    describe: 'apply 1,000 creates + 1,000 updates of wrap-up codes at 20 ms latency',
    load: () => import('./apply.js'),
  },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected =
    wanted.length === 0 ? benchmarks : benchmarks.filter((b) => wanted.includes(b.name));
  if (selected.length === 0) {
    console.error(
      `no benchmark named ${wanted.join(', ')}; have: ${benchmarks.map((b) => b.name).join(', ')}`,
    );
    process.exitCode = 1;
    return;
  }
  for (const benchmark of selected) {
    console.log(`\n## ${benchmark.name}: ${benchmark.describe}\n`);
    const module = await benchmark.load();
    await module.run();
  }
}

await main();
