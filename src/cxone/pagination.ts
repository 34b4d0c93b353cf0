/**
 * Reading every page of a paginated list: the first page (which says how many there are), then
 * all remaining pages at once. They queue on the transport's shared concurrency and rate limits,
 * so a list of P pages costs 1 + ceil((P - 1) / concurrency) round trips instead of P.
 */
import { CxctlError } from '../errors.js';
import { abortReason, sharedSignal } from './abort.js';
import type { Page } from './types.js';

/** Fetches one page; `signal` aborts it when a sibling page failed. */
export type PageFetcher<T> = (
  page: number,
  pageSize: number,
  signal?: AbortSignal,
) => Promise<Page<T>>;

/**
 * One page as it arrives, before the listing is complete: which reading of the list it belongs to
 * (`pass`, from 1; a later pass replaces everything an earlier one delivered) and its place
 * (`page`, from 1).
 */
export interface PageArrival<T> {
  pass: number;
  page: number;
  items: T[];
}

/** Told of each page as it arrives (see {@link PageArrival}). */
export type PageListener<T> = (arrival: PageArrival<T>) => void;

/**
 * Puts pages delivered one by one ({@link PageArrival}, e.g. from another thread) back together
 * into what {@link listAllPages} returned: the items of the latest pass, in page order.
 */
export class PageCollector<T> {
  private pass = 0;
  private pages: T[][] = [];

  add(arrival: PageArrival<T>): void {
    if (arrival.pass < this.pass) return;
    if (arrival.pass > this.pass) {
      this.pass = arrival.pass;
      this.pages = [];
    }
    this.pages[arrival.page - 1] = arrival.items;
  }

  /** Every item, or undefined unless `count` items arrived on pages 1..n without a gap. */
  items(count: number): T[] | undefined {
    const all: T[] = [];
    for (let index = 0; index < this.pages.length; index++) {
      const page = this.pages[index];
      if (page === undefined) return undefined;
      for (const item of page) all.push(item);
    }
    return all.length === count ? all : undefined;
  }
}

/** How often a listing is read again when the collection changed while it was being read. */
const MAX_LIST_PASSES = 3;

/**
 * The most pages one listing reads (1,000 pages of 500 is half a million objects, far beyond any
 * tenant). A `totalCount` that would need more is not believed: the listing fails before asking
 * for the rest, instead of queueing millions of requests.
 */
export const MAX_LIST_PAGES = 1_000;

/** A listing whose pages contradict each other or cannot be true. */
function unbelievable(route: string, problem: string): CxctlError {
  return new CxctlError(
    'API_MALFORMED_RESPONSE',
    `${route} answered 200 with a body that is not a believable page (${problem})`,
    {
      source: 'tool',
      hint: 'check CXONE_API_BASE (or the profile in cxctl.yaml) points at the CXone API; if it does, report it',
    },
  );
}

/**
 * Every item of a paginated collection, in server order.
 *
 * If `totalCount` differs between pages (someone created or deleted objects meanwhile), items
 * may have shifted between pages, so the whole list is read again (at most three passes).
 *
 * Pages that cannot be true end the listing with an error naming `route`: a first page with no
 * items although `totalCount` says there are some, a later page with no items, a page with more
 * items than its page size, or a `totalCount` that would take more than {@link MAX_LIST_PAGES}.
 */
export async function listAllPages<T>(
  fetchPage: PageFetcher<T>,
  pageSize: number,
  signal?: AbortSignal,
  onPage?: PageListener<T>,
  route = 'GET (a list)',
): Promise<T[]> {
  for (let pass = 1; ; pass++) {
    const arrived = onPage
      ? (page: number, items: T[]) => onPage({ pass, page, items })
      : undefined;
    const result = await readOnce(fetchPage, pageSize, signal, arrived, route);
    if (result.consistent) return result.items;
    if (pass >= MAX_LIST_PASSES) {
      throw new CxctlError(
        'API_LIST_UNSTABLE',
        `the list kept changing while it was read (${MAX_LIST_PASSES} attempts)`,
        {
          source: 'tool',
          hint: 'someone is changing this configuration right now; run again when they are done',
        },
      );
    }
  }
}

async function readOnce<T>(
  fetchPage: PageFetcher<T>,
  pageSize: number,
  signal: AbortSignal | undefined,
  arrived: ((page: number, items: T[]) => void) | undefined,
  route: string,
): Promise<{ items: T[]; consistent: boolean }> {
  const first = await fetchPage(1, pageSize, signal);
  // The server may serve a smaller page than asked; its own pageSize decides the page count.
  const servedSize = first.pageSize > 0 ? Math.min(first.pageSize, pageSize) : pageSize;
  checkPage(route, 1, first, servedSize);
  if (first.items.length === 0 && first.totalCount > 0) {
    throw unbelievable(route, `page 1 is empty, but totalCount is ${first.totalCount}`);
  }
  const pageCount = Math.max(1, Math.ceil(first.totalCount / servedSize));
  if (pageCount > MAX_LIST_PAGES) {
    throw unbelievable(
      route,
      `totalCount ${first.totalCount} would take ${pageCount} pages of ${servedSize}, more than the ${MAX_LIST_PAGES} cxctl reads`,
    );
  }
  arrived?.(1, first.items);
  if (pageCount === 1) {
    return { items: first.items, consistent: first.items.length === first.totalCount };
  }
  // One failed page cancels its siblings instead of letting them run on unobserved.
  const siblings = new AbortController();
  const pageSignal = sharedSignal(signal, siblings.signal);
  const rest = Array.from({ length: pageCount - 1 }, (_unused, index) =>
    fetchPage(index + 2, servedSize, pageSignal).then(
      (page) => {
        checkPage(route, index + 2, page, servedSize);
        if (page.items.length === 0 && page.totalCount === first.totalCount) {
          throw unbelievable(
            route,
            `page ${index + 2} is empty, but totalCount is still ${page.totalCount}`,
          );
        }
        arrived?.(index + 2, page.items);
        return page;
      },
      (error: unknown) => {
        if (!siblings.signal.aborted) siblings.abort(error);
        throw error;
      },
    ),
  );
  let pages: Page<T>[];
  try {
    pages = await Promise.all(rest);
  } catch (error: unknown) {
    await Promise.allSettled(rest);
    throw siblings.signal.aborted ? abortReason(siblings.signal) : error;
  }
  const items = [...first.items];
  let consistent = true;
  for (const page of pages) {
    if (page.totalCount !== first.totalCount) consistent = false;
    items.push(...page.items);
  }
  return { items, consistent: consistent && items.length === first.totalCount };
}

/** A page never holds more items than its page size. */
function checkPage<T>(route: string, number: number, page: Page<T>, pageSize: number): void {
  if (page.items.length > pageSize) {
    throw unbelievable(
      route,
      `page ${number} holds ${page.items.length} items, more than the page size ${pageSize}`,
    );
  }
}
