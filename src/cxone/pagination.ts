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
): Promise<T[]> {
  for (let pass = 1; ; pass++) {
    const result = await readOnce(fetchPage, pageSize, signal);
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
): Promise<{ items: T[]; consistent: boolean }> {
  const first = await fetchPage(1, pageSize, signal);
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
    fetchPage(index + 2, servedSize, pageSignal).catch((error: unknown) => {
      if (!siblings.signal.aborted) siblings.abort(error);
      throw error;
    }),
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
