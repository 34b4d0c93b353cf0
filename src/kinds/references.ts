/**
 * The tenant's reference data (interaction categories, campaigns, DNC lists), read once per run,
 * and how manifests name them: campaigns and DNC lists by name or id, categories by exact name.
 *
 * {@link ReferenceIndex} is pure: it indexes lists the API returned. Reading them is
 * {@link readReferences}, which takes the client.
 */
import type { CxoneClient } from '../cxone/client.js';
import type { Campaign, Category, DncList } from '../cxone/types.js';
import { closestMatch } from '../util/suggest.js';

/** The three unpaginated lists, as the API returned them. */
export interface LiveReferences {
  categories: Category[];
  campaigns: Campaign[];
  dncLists: DncList[];
}

/** How a name or id written in a manifest resolved. */
export type Resolution<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'unknown'; suggestion?: string }
  | { ok: false; reason: 'ambiguous'; candidates: T[] };

/** Read categories, campaigns and DNC lists at once (three requests in flight together). */
export async function readReferences(
  client: CxoneClient,
  signal?: AbortSignal,
): Promise<LiveReferences> {
  const options = signal ? { signal } : {};
  const [categories, campaigns, dncLists] = await Promise.all([
    client.categories.list(options),
    client.campaigns.list(options),
    client.dncLists.list(options),
  ]);
  return { categories, campaigns, dncLists };
}

interface Named {
  id: string;
  name: string;
}

/** Lookups over one snapshot of the reference data. */
export class ReferenceIndex {
  private readonly categoryNames: Set<string>;
  private readonly campaigns: NamedIndex<Campaign>;
  private readonly dncLists: NamedIndex<DncList>;

  constructor(readonly data: LiveReferences) {
    this.categoryNames = new Set(data.categories.map((category) => category.name));
    this.campaigns = new NamedIndex(data.campaigns);
    this.dncLists = new NamedIndex(data.dncLists);
  }

  /** True when an interaction category of this exact name exists (names are case-sensitive). */
  hasCategory(name: string): boolean {
    return this.categoryNames.has(name);
  }

  /** The closest existing category name, for "did you mean". */
  suggestCategory(name: string): string | undefined {
    return closestMatch(name, this.categoryNames);
  }

  /** A campaign by id, else by name; ambiguous when several campaigns have that name. */
  resolveCampaign(text: string): Resolution<Campaign> {
    return this.campaigns.resolve(text);
  }

  /** A DNC list by id, else by name; ambiguous when several lists have that name. */
  resolveDncList(text: string): Resolution<DncList> {
    return this.dncLists.resolve(text);
  }

  campaignById(id: string): Campaign | undefined {
    return this.campaigns.byId.get(id);
  }

  dncListById(id: string): DncList | undefined {
    return this.dncLists.byId.get(id);
  }

  /**
   * How plans, drift reports and exports name a campaign: its name when no other campaign shares
   * it, else the id (which always resolves back to the same campaign); an unknown id stays an id.
   */
  campaignLabel(id: string): string {
    return this.campaigns.label(id);
  }

  /** How DNC lists are named in comparisons and exports (as {@link campaignLabel}). */
  dncListLabel(id: string): string {
    return this.dncLists.label(id);
  }
}

/** Id and name lookups over a list of named objects. */
class NamedIndex<T extends Named> {
  readonly byId = new Map<string, T>();
  private readonly byName = new Map<string, T[]>();

  constructor(items: readonly T[]) {
    for (const item of items) {
      this.byId.set(item.id, item);
      const same = this.byName.get(item.name);
      if (same) same.push(item);
      else this.byName.set(item.name, [item]);
    }
  }

  resolve(text: string): Resolution<T> {
    // Ids are unique, so an id wins over a name that happens to be spelt like it.
    const byId = this.byId.get(text);
    if (byId) return { ok: true, value: byId };
    const named = this.byName.get(text);
    if (named?.length === 1) return { ok: true, value: named[0]! };
    if (named && named.length > 1) return { ok: false, reason: 'ambiguous', candidates: named };
    const suggestion = closestMatch(text, this.byName.keys());
    return suggestion === undefined
      ? { ok: false, reason: 'unknown' }
      : { ok: false, reason: 'unknown', suggestion };
  }

  label(id: string): string {
    const item = this.byId.get(id);
    if (!item) return id;
    // The name only when it resolves back to this object: unique, and not another object's id.
    const unique = this.byName.get(item.name)?.length === 1;
    const shadowed = this.byId.has(item.name) && item.name !== id;
    return unique && !shadowed ? item.name : id;
  }
}
