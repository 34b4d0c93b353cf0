/**
 * The write side of a resource kind: how apply creates, updates, deletes and re-reads objects of
 * one kind through the CXone client. One file per kind implements {@link KindWriter}; the executor
 * knows nothing kind-specific beyond this interface.
 */
import type { RequestMeta } from '../../cxone/errors.js';
import type { CxoneClient } from '../../cxone/client.js';
import type { ComplianceRule, WrapUpCode } from '../../cxone/types.js';
import type { BodyByKind, KindName, PlannedChangeOf } from '../../plan/types.js';

/** A live object as the API returns it (server fields included), by kind. */
export interface LiveFieldsByKind {
  wrapUpCode: WrapUpCode;
  complianceRule: ComplianceRule;
}

/** A live object as the executor needs it: its id, its version and its writable fields. */
export interface LiveObject<K extends KindName = KindName> {
  id: string;
  version: number;
  /** The object as the API returned it (server fields included). */
  fields: LiveFieldsByKind[K];
}

/** One object of a create request. */
export interface CreateItem<K extends KindName = KindName> {
  change: PlannedChangeOf<K>;
  body: BodyByKind[K];
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

/**
 * Creates, updates, deletes and reads of kind `K`: every change and body it receives is of that
 * kind. `KindWriter` without an argument is the writer of some kind, as the executor holds it.
 */
export interface KindWriter<K extends KindName = KindName> {
  readonly kind: K;
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
    items: readonly CreateItem<K>[],
    options: WriteCallOptions,
  ): Promise<CreateResponse>;
  /** Replace the object's writable fields with `body`, if it is still at `version`. */
  update(
    client: CxoneClient,
    change: PlannedChangeOf<K>,
    body: BodyByKind[K],
    version: number,
    options: WriteCallOptions,
  ): Promise<{ meta: RequestMeta; live: LiveObject<K> }>;
  /** Delete the object, if it is still at `version`. */
  delete(
    client: CxoneClient,
    change: PlannedChangeOf<K>,
    version: number,
    options: WriteCallOptions,
  ): Promise<{ meta: RequestMeta }>;
  /**
   * Every live object the changes could touch, keyed by the change's natural key. Used to check a
   * saved plan against the live state before anything is written.
   */
  readAll(
    client: CxoneClient,
    changes: readonly PlannedChangeOf<K>[],
    signal?: AbortSignal,
  ): Promise<Map<string, LiveObject<K>>>;
  /**
   * The live object a change touches now: by its id when it has one, else by natural key.
   * Undefined when it does not exist.
   */
  read(
    client: CxoneClient,
    change: PlannedChangeOf<K>,
    signal?: AbortSignal,
  ): Promise<LiveObject<K> | undefined>;
  /** True when the live object already holds every value `body` would write. */
  matches(live: LiveObject<K>, body: BodyByKind[K]): boolean;
  /**
   * Optional: true when `live`, found where a create of `change` was refused or unclear, is the
   * very object that create makes (it carries the id the create chose). Apply then brings it to
   * the planned values with an update (`If-Match` its version) instead of failing the create as
   * `EXISTS_DIFFERENT`. Kinds whose creates choose no id leave it out.
   */
  adopts?(live: LiveObject<K>, change: PlannedChangeOf<K>): boolean;
}

/** The writer of each kind. */
export type KindWriters = { [K in KindName]: KindWriter<K> };
