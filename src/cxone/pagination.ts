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
 * Every item of a paginated collection, in server order.
 *
 * If `totalCount` differs between pages (someone created or deleted objects meanwhile), items
 * may have shifted between pages, so the whole list is read again (at most three passes).
 */
export async function listAllPages<T>(
  fetchPage: PageFetcher<T>,
  pageSize: number,
  signal?: AbortSignal,
  onPage?: PageListener<T>,
): Promise<T[]> {
  for (let pass = 1; ; pass++) {
    const arrived = onPage
      ? (page: number, items: T[]) => onPage({ pass, page, items })
      : undefined;
    const result = await readOnce(fetchPage, pageSize, signal, arrived);
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
): Promise<{ items: T[]; consistent: boolean }> {
  const first = await fetchPage(1, pageSize, signal);
  arrived?.(1, first.items);
  // The server may serve a smaller page than asked; its own pageSize decides the page count.
  const servedSize = first.pageSize > 0 ? first.pageSize : pageSize;
  const pageCount = Math.max(1, Math.ceil(first.totalCount / servedSize));
  if (pageCount === 1) {
    return { items: first.items, consistent: first.items.length === first.totalCount };
  }
  // One failed page cancels its siblings instead of letting them run on unobserved.
  const siblings = new AbortController();
  const pageSignal = sharedSignal(signal, siblings.signal);
  const rest = Array.from({ length: pageCount - 1 }, (_unused, index) =>
    fetchPage(index + 2, servedSize, pageSignal).then(
      (page) => {
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
