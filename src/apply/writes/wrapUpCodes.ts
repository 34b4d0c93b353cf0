/**
 * Writes of wrap-up codes: creates in batches of up to 100 per POST (per-item refusals come back
 * in the response), updates and deletes by id with `If-Match`.
 */
import type { CxoneClient } from '../../cxone/client.js';
import { wrapUpCodeBody } from '../../cxone/wrapUpCodes.js';
import { MAX_BATCH_SIZE, type WrapUpCode, type WrapUpCodeFields } from '../../cxone/types.js';
import { canonicalJson } from '../../util/canonical.js';
import type { PlannedChangeOf } from '../../plan/types.js';
import type { CreateItemResult, KindWriter, LiveObject } from './types.js';

/** Item error codes that mean "a code with this key already exists". */
const EXISTS_CODES = new Set(['CODE_EXISTS']);

/** The wrap-up code writer. */
export const wrapUpCodeWriter: KindWriter<'wrapUpCode'> = {
  kind: 'wrapUpCode',
  noun: 'wrap-up code',
  createBatchSize: MAX_BATCH_SIZE,

  async create(client, items, options) {
    const { value, meta } = await client.wrapUpCodes.createBatch(
      items.map((item) => item.body),
      { idempotencyKey: options.idempotencyKey, ...signalOf(options.signal) },
    );
    const errors = new Map(value.errors.map((error) => [error.index, error]));
    const results: CreateItemResult[] = items.map((_item, index) => {
      const error = errors.get(index);
      const id = value.ids[index];
      if (error === undefined && typeof id === 'string') return { ok: true, id };
      return {
        ok: false,
        code: error?.code ?? 'NO_ID',
        message: error?.message ?? 'the API returned no id for this item',
        exists: error !== undefined && EXISTS_CODES.has(error.code),
      };
    });
    return { meta, items: results };
  },

  async update(client, change, body, version, options) {
    const { value, meta } = await client.wrapUpCodes.update(liveId(change), body, {
      version,
      idempotencyKey: options.idempotencyKey,
      ...signalOf(options.signal),
    });
    return { meta, live: toLive(value) };
  },

  async delete(client, change, version, options) {
    const { meta } = await client.wrapUpCodes.delete(liveId(change), {
      version,
      idempotencyKey: options.idempotencyKey,
      ...signalOf(options.signal),
    });
    return { meta };
  },

  async readAll(client, _changes, signal) {
    const byCode = new Map<string, LiveObject<'wrapUpCode'>>();
    for (const code of await listCodes(client, signal)) byCode.set(code.code, toLive(code));
    return byCode;
  },

  async read(client, change, signal) {
    // There is no lookup by code, so even a change with an id is found by listing: an id can
    // only tell whether that object still exists, while the listing also finds a code that was
    // deleted and created again. Concurrent reads share one listing.
    const codes = await listCodes(client, signal);
    const found = codes.find((code) => code.code === change.key);
    return found === undefined ? undefined : toLive(found);
  },

  matches(live, body) {
    return comparable(live.fields) === comparable(body);
  },
};

/** The writable fields in canonical form: an empty description is no description. */
function comparable(fields: WrapUpCodeFields): string {
  const body = wrapUpCodeBody(fields);
  // A live code may carry `null` where the API has no description, whatever its type says.
  const description: unknown = body.description;
  if (description === '' || description === null) delete body.description;
  return canonicalJson(body);
}

function toLive(code: WrapUpCode): LiveObject<'wrapUpCode'> {
  return { id: code.id, version: code.version, fields: { ...code } };
}

function liveId(change: PlannedChangeOf<'wrapUpCode'>): string {
  if (!change.live) throw new Error(`change ${change.key} has no live object`);
  return change.live.id;
}

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

/** One listing in flight per client: concurrent reconciliations share it. */
const listings = new WeakMap<CxoneClient, Promise<WrapUpCode[]>>();

function listCodes(client: CxoneClient, signal: AbortSignal | undefined): Promise<WrapUpCode[]> {
  const pending = listings.get(client);
  if (pending) return pending;
  const listing = client.wrapUpCodes.list(signalOf(signal)).finally(() => {
    listings.delete(client);
  });
  listings.set(client, listing);
  return listing;
}
