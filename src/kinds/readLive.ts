/**
 * Reading the live state of a tenant for a plan, a drift report or an export, with as few round
 * trips as the limits allow: categories, campaigns, DNC lists and the first page of wrap-up codes
 * go out together (one round trip after the token), the other pages of codes follow at once, and
 * the rules of the campaigns in scope are read, all campaigns concurrently, as soon as the campaign
 * list is known, while the code pages are still arriving. Everything queues on the client's shared
 * concurrency and rate limits.
 */
import type { CxoneClient } from '../cxone/client.js';
import type { PageListener } from '../cxone/pagination.js';
import type { WrapUpCode } from '../cxone/types.js';
import type { LiveState } from '../plan/build.js';
import { listLiveComplianceRules } from './complianceRules.js';
import { readReferences, ReferenceIndex } from './references.js';
import { listLiveWrapUpCodes } from './wrapUpCodes.js';

/** Options of {@link readLiveState}. */
export interface ReadLiveOptions {
  /**
   * The campaigns whose rules to read, decided once the reference data is known (it may wait for
   * the manifests, which are read meanwhile).
   */
  campaigns(refs: ReferenceIndex): Iterable<string> | Promise<Iterable<string>>;
  signal?: AbortSignal;
  /** Hears of each page of wrap-up codes as it arrives (the worker passes them on at once). */
  onWrapUpCodesPage?: PageListener<WrapUpCode>;
}

/** Read everything a plan compares against. */
export async function readLiveState(
  client: CxoneClient,
  options: ReadLiveOptions,
): Promise<LiveState> {
  // A failure of one read cancels the others instead of leaving them running unobserved.
  const controller = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, controller.signal])
    : controller.signal;
  const references = readReferences(client, signal);
  const codes = listLiveWrapUpCodes(client, signal, options.onWrapUpCodesPage);
  const rules = references.then(async (data) => {
    const campaigns = await options.campaigns(new ReferenceIndex(data));
    return listLiveComplianceRules(client, campaigns, signal);
  });
  const all = [references, codes, rules] as const;
  for (const pending of all) {
    pending.catch((error: unknown) => {
      if (!controller.signal.aborted) controller.abort(error);
    });
  }
  try {
    const [referenceData, wrapUpCodes, complianceRules] = await Promise.all(all);
    return { references: referenceData, wrapUpCodes, complianceRules };
  } catch (error) {
    await Promise.allSettled(all);
    throw error;
  }
}
