/**
 * The write side of a resource kind: how apply creates, updates, deletes and re-reads objects of
 * one kind through the CXone client. One file per kind implements {@link KindWriter}; the executor
 * knows nothing kind-specific beyond this interface.
 */
import type { RequestMeta } from '../../cxone/errors.js';
import type { CxoneClient } from '../../cxone/client.js';
import type { KindName, PlannedChange } from '../../plan/types.js';

/** A live object as the executor needs it: its id, its version and its writable fields. */
export interface LiveObject {
  id: string;
  version: number;
  /** The object as the API returned it (server fields included). */
  fields: Record<string, unknown>;
}

/** One object of a create request. */
export interface CreateItem {
  change: PlannedChange;
  body: Record<string, unknown>;
}

/** What happened to one item of a create request. */
export type CreateItemResult =
  | { ok: true; id: string }
  | {
      ok: false;
      /** API error code of the item (`CODE_EXISTS`, `CATEGORY_NOT_FOUND`, ...). */
      code: string;
      message: string;
      /** True when the item failed because an object with its natural key already exists. */
      exists: boolean;
    };

/** The answer to a create request: one result per item, in request order. */
export interface CreateResponse {
  meta: RequestMeta;
  items: CreateItemResult[];
}

/** Options of every write: the idempotency key, reused on every retry and re-run. */
export interface WriteCallOptions {
  idempotencyKey: string;
  signal?: AbortSignal;
}

/** Creates, updates, deletes and reads of one kind. */
export interface KindWriter {
  readonly kind: KindName;
  /** What users call one object, e.g. `wrap-up code`. */
  readonly noun: string;
  /** Objects per create request (1: one request per object; wrap-up codes: 100). */
  readonly createBatchSize: number;
  /**
   * Send one create request for 1..{@link createBatchSize} objects. Per-item refusals come back as
   * items; a refusal of the whole request (or no answer) throws a `CxoneApiError`.
   */
  create(
    client: CxoneClient,
    items: readonly CreateItem[],
    options: WriteCallOptions,
  ): Promise<CreateResponse>;
  /** Replace the object's writable fields with `body`, if it is still at `version`. */
  update(
    client: CxoneClient,
    change: PlannedChange,
    body: Record<string, unknown>,
    version: number,
    options: WriteCallOptions,
  ): Promise<{ meta: RequestMeta; live: LiveObject }>;
  /** Delete the object, if it is still at `version`. */
  delete(
    client: CxoneClient,
    change: PlannedChange,
    version: number,
    options: WriteCallOptions,
  ): Promise<{ meta: RequestMeta }>;
  /**
   * Every live object the changes could touch, keyed by the change's natural key. Used to check a
   * saved plan against the live state before anything is written.
   */
  readAll(
    client: CxoneClient,
    changes: readonly PlannedChange[],
    signal?: AbortSignal,
  ): Promise<Map<string, LiveObject>>;
  /**
   * The live object a change touches now: by its id when it has one, else by natural key.
   * Undefined when it does not exist.
   */
  read(
    client: CxoneClient,
    change: PlannedChange,
    signal?: AbortSignal,
  ): Promise<LiveObject | undefined>;
  /** True when the live object already holds every value `body` would write. */
  matches(live: LiveObject, body: Record<string, unknown>): boolean;
  /**
   * Optional: true when `live`, found where a create of `change` was refused or unclear, is the
   * very object that create makes (it carries the id the create chose). Apply then brings it to
   * the planned values with an update (`If-Match` its version) instead of failing the create as
   * `EXISTS_DIFFERENT`. Kinds whose creates choose no id leave it out.
   */
  adopts?(live: LiveObject, change: PlannedChange): boolean;
}
