/**
 * Idempotency keys as in the IETF httpapi idempotency-key draft (docs/cxone-api.md): the first
 * response to a key (unless a 5xx) is kept for 24 hours and replayed for the same request; the same
 * key with a different request is refused with 422, and while the first is still in flight with 409.
 */
import { createHash } from 'node:crypto';
import type { SimClock } from './clock.js';

/** How long a stored response is replayed. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Most responses kept at once; the oldest go first beyond that. */
const MAX_RECORDS = 100_000;

/** A response as stored for replay. */
export interface StoredResponse {
  status: number;
  /** Headers worth replaying (ETag, Location, Content-Type), lower-case names. */
  headers: Record<string, string>;
  /** The exact body bytes as text ('' for none). */
  body: string;
}

/** One replayable response, as persisted in the state file. */
export interface IdempotencyRecord {
  /** The tenant (OAuth client id): keys of different tenants never meet. */
  tenant: string;
  key: string;
  /** sha256 over method, path and body. */
  fingerprint: string;
  /** Milliseconds since the epoch (simulated clock) after which the record is gone. */
  expiresAt: number;
  response: StoredResponse;
}

/** What to do with a request that carries a key. */
export type IdempotencyDecision =
  | { kind: 'proceed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'reused' }
  | { kind: 'in-flight' };

/** The request fingerprint: method, path (with query) and the raw body bytes. */
export function fingerprint(method: string, path: string, body: Buffer): string {
  return createHash('sha256')
    .update(method)
    .update('\n')
    .update(path)
    .update('\n')
    .update(body)
    .digest('hex');
}

/** A key is 1..255 printable ASCII characters. */
export function isValidIdempotencyKey(key: string): boolean {
  return /^[\x20-\x7e]{1,255}$/.test(key);
}

type Entry =
  { state: 'in-flight'; fingerprint: string } | { state: 'done'; record: IdempotencyRecord };

const entryKey = (tenant: string, key: string): string => `${tenant}\n${key}`;

/** Keys in flight and stored responses. */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** Called when the set of stored responses changes (for persistence). */
  onChange: () => void = () => {};

  constructor(
    private readonly clock: SimClock,
    private readonly retentionMs = IDEMPOTENCY_RETENTION_MS,
  ) {}

  /**
   * Look a key up before processing. On `proceed` the key is now in flight and the caller must end
   * it with {@link complete} or {@link abandon}.
   */
  begin(tenant: string, key: string, requestFingerprint: string): IdempotencyDecision {
    const id = entryKey(tenant, key);
    const entry = this.entries.get(id);
    if (entry?.state === 'done' && entry.record.expiresAt <= this.clock.now()) {
      this.entries.delete(id);
    } else if (entry?.state === 'done') {
      return entry.record.fingerprint === requestFingerprint
        ? { kind: 'replay', response: entry.record.response }
        : { kind: 'reused' };
    } else if (entry?.state === 'in-flight') {
      return entry.fingerprint === requestFingerprint ? { kind: 'in-flight' } : { kind: 'reused' };
    }
    this.entries.set(id, { state: 'in-flight', fingerprint: requestFingerprint });
    return { kind: 'proceed' };
  }

  /** Store the response of an in-flight key; a 5xx is not stored (the key is free again). */
  complete(tenant: string, key: string, response: StoredResponse): void {
    const id = entryKey(tenant, key);
    const entry = this.entries.get(id);
    if (entry?.state !== 'in-flight') return;
    if (response.status >= 500) {
      this.entries.delete(id);
      return;
    }
    this.entries.delete(id);
    this.entries.set(id, {
      state: 'done',
      record: {
        tenant,
        key,
        fingerprint: entry.fingerprint,
        expiresAt: this.clock.now() + this.retentionMs,
        response,
      },
    });
    this.evictBeyondCapacity();
    this.onChange();
  }

  /** Release an in-flight key without storing anything. */
  abandon(tenant: string, key: string): void {
    const id = entryKey(tenant, key);
    if (this.entries.get(id)?.state === 'in-flight') this.entries.delete(id);
  }

  /** Stored responses that have not expired, oldest first (for the state file). */
  export(): IdempotencyRecord[] {
    const now = this.clock.now();
    const records: IdempotencyRecord[] = [];
    for (const entry of this.entries.values()) {
      if (entry.state === 'done' && entry.record.expiresAt > now) records.push(entry.record);
    }
    return records;
  }

  /** Add persisted records (expired ones are skipped). */
  import(records: readonly IdempotencyRecord[]): void {
    const now = this.clock.now();
    for (const record of records) {
      if (record.expiresAt <= now) continue;
      this.entries.set(entryKey(record.tenant, record.key), { state: 'done', record });
    }
    this.evictBeyondCapacity();
  }

  /** Forget every stored response (keys in flight stay in flight). */
  clear(): void {
    for (const [id, entry] of this.entries) {
      if (entry.state === 'done') this.entries.delete(id);
    }
    this.onChange();
  }

  /** Number of stored responses and keys in flight. */
  size(): number {
    return this.entries.size;
  }

  private evictBeyondCapacity(): void {
    if (this.entries.size <= MAX_RECORDS) return;
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= MAX_RECORDS) break;
      if (entry.state === 'done') this.entries.delete(id);
    }
  }
}

/** Parse persisted records leniently: anything malformed is dropped (they are only a cache). */
export function parseIdempotencyRecords(value: unknown): IdempotencyRecord[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is IdempotencyRecord => {
    if (typeof item !== 'object' || item === null) return false;
    const record = item as Partial<IdempotencyRecord>;
    const response = record.response as Partial<StoredResponse> | undefined;
    return (
      typeof record.tenant === 'string' &&
      typeof record.key === 'string' &&
      typeof record.fingerprint === 'string' &&
      typeof record.expiresAt === 'number' &&
      typeof response === 'object' &&
      response !== null &&
      typeof response.status === 'number' &&
      typeof response.body === 'string' &&
      typeof response.headers === 'object' &&
      response.headers !== null
    );
  });
}
