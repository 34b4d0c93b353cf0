import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptEvent } from '../../src/cxone/events.js';
import {
  listAllPages,
  PageCollector,
  type PageArrival,
  type PageFetcher,
} from '../../src/cxone/pagination.js';
import type { WrapUpCode } from '../../src/cxone/types.js';
import { makeCodes, startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const LIST = 'GET /api/v2/contact-center/interaction-config/wrap-up-codes';
const TOTAL = 10_000;
const PAGE_SIZE = 500;
const PAGES = TOTAL / PAGE_SIZE;

/**
 * Round trips on the critical path of a set of requests: a request's depth is one more than the
 * deepest request that had finished before it was sent (requests running side by side share a
 * depth). For sequential paging this is the page count; for the client's listing it should be
 * 1 + ceil((pages - 1) / concurrency).
 */
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

/** Most spans open at the same time. */
function peakOverlap(spans: { start: number; end: number }[]): number {
  const marks = spans
    .flatMap((span) => [
      { t: span.start, d: 1 },
      { t: span.end, d: -1 },
    ])
    .sort((a, b) => a.t - b.t || a.d - b.d);
  let current = 0;
  let peak = 0;
  for (const mark of marks) {
    current += mark.d;
    peak = Math.max(peak, current);
  }
  return peak;
}

describe('listing every page', () => {
  for (const concurrency of [4, 8]) {
    it(`reads 10,000 codes in 1 + ceil((pages - 1) / ${concurrency}) round trips`, async () => {
      harness = await startHarness({ latencyMs: 20 }, { concurrency, rateLimit: 1000 });
      harness.sim.setState({ ...harness.sim.state(), wrapUpCodes: makeCodes(TOTAL) });
      await harness.client.categories.list(); // the token, outside the measurement
      harness.sim.clearRequests();
      harness.events.length = 0;

      const codes = await harness.client.wrapUpCodes.list();
      expect(codes).toHaveLength(TOTAL);
      expect(new Set(codes.map((c) => c.code)).size).toBe(TOTAL);
      expect(codes[0]!.code).toBe('C00000');
      expect(codes[TOTAL - 1]!.code).toBe('C09999');

      // One request per page, no token request, no retries.
      expect(harness.sim.requests().counts).toEqual({ [LIST]: PAGES });
      const pages = harness
        .entries()
        .map((e) => new URL(e.path, 'http://x').searchParams)
        .map((q) => `${q.get('page')}/${q.get('pageSize')}`);
      expect(pages[0]).toBe(`1/${PAGE_SIZE}`);
      expect(new Set(pages).size).toBe(PAGES);

      // Page 1 alone first; every other page only after it was answered.
      const [first, ...rest] = harness.entries();
      for (const entry of rest)
        expect(entry.t).toBeGreaterThanOrEqual(first!.t + first!.durationMs);
      const attempts = harness.events.filter((e): e is AttemptEvent => e.type === 'attempt');
      expect(attempts).toHaveLength(PAGES);
      // The remaining pages ran side by side: `concurrency` at a time, never more (the simulator,
      // sharing this process's event loop, may see fewer at once).
      const clientSpans = attempts.map((a) => ({ start: a.sentAt, end: a.sentAt + a.latencyMs }));
      expect(peakOverlap(clientSpans)).toBe(concurrency);
      const serverSpans = harness.entries().map((e) => ({ start: e.t, end: e.t + e.durationMs }));
      expect(peakOverlap(serverSpans)).toBeLessThanOrEqual(concurrency);
      expect(roundTrips(attempts)).toBe(1 + Math.ceil((PAGES - 1) / concurrency));
    });
  }
});

describe('pages as they arrive', () => {
  it('are told one by one, and a list that changed while it was read is read again', async () => {
    harness = await startHarness({}, { concurrency: 4, rateLimit: 1000 });
    const { sim, client } = harness;
    sim.setState({ ...sim.state(), wrapUpCodes: makeCodes(1_200) });
    let changed = false;
    // The real client and simulator; after the first page, someone adds a code.
    const fetchPage: PageFetcher<WrapUpCode> = async (page, size, signal) => {
      const result = await client.wrapUpCodes.listPage(page, size, signal ? { signal } : {});
      if (!changed) {
        changed = true;
        sim.setState({ ...sim.state(), wrapUpCodes: makeCodes(1_201) });
      }
      return result;
    };
    const arrivals: PageArrival<WrapUpCode>[] = [];
    const collector = new PageCollector<WrapUpCode>();
    const codes = await listAllPages(fetchPage, 500, undefined, (arrival) => {
      arrivals.push(arrival);
      collector.add(arrival);
    });

    expect(codes).toHaveLength(1_201);
    // Pass 1 saw a total that changed between pages, so every page was read again.
    const seen = arrivals.map((a) => `${a.pass}:${a.page}`).sort();
    expect(seen).toEqual(['1:1', '1:2', '1:3', '2:1', '2:2', '2:3']);
    expect(arrivals.slice(0, 1).map((a) => `${a.pass}:${a.page}`)).toEqual(['1:1']);
    // What was told, put back together, is exactly what the listing returned.
    expect(collector.items(codes.length)).toEqual(codes);
  });
});

describe('PageCollector', () => {
  const page = (pass: number, number: number, items: string[]): PageArrival<string> => ({
    pass,
    page: number,
    items,
  });

  it('puts pages back in page order, keeping only the latest pass', () => {
    const collector = new PageCollector<string>();
    collector.add(page(1, 1, ['stale']));
    collector.add(page(2, 3, ['e']));
    collector.add(page(2, 1, ['a', 'b']));
    collector.add(page(1, 2, ['late, from the pass before']));
    collector.add(page(2, 2, ['c', 'd']));
    expect(collector.items(5)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('refuses a list with a missing page or another count', () => {
    const gap = new PageCollector<string>();
    gap.add(page(1, 1, ['a']));
    gap.add(page(1, 3, ['c']));
    expect(gap.items(2)).toBeUndefined();
    const complete = new PageCollector<string>();
    complete.add(page(1, 1, ['a']));
    complete.add(page(1, 2, ['b']));
    expect(complete.items(3)).toBeUndefined();
    expect(complete.items(2)).toEqual(['a', 'b']);
    expect(new PageCollector<string>().items(0)).toEqual([]);
  });
});
