/**
 * Shapes shared by the endpoint modules: write options and results.
 */
import type { RequestMeta } from './errors.js';
import type { PageListener } from './pagination.js';

/** Options of a create. */
export interface WriteOptions {
  /**
   * Sent as `X-Idempotency-Key`. With it, a write that meets a dropped connection or a 5xx is
   * retried and the server replays the first outcome; without it, the write is never retried.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Options of an update or delete: the version the change was planned against. */
export interface VersionedWriteOptions extends WriteOptions {
  /** Sent as `If-Match: "<version>"`; a stale version fails with 412 instead of overwriting. */
  version: number;
}

/** A write's value and how it went (status, attempts, latency, bytes) for audit and metrics. */
export interface WriteResult<T> {
  value: T;
  meta: RequestMeta;
}

/** Options of a read. */
export interface ReadOptions {
  signal?: AbortSignal;
}

/** Options of a listing: {@link ReadOptions}, and who is told of each page as it arrives. */
export interface ListOptions<T> extends ReadOptions {
  onPage?: PageListener<T>;
}

/** `{signal}` when there is one (exactOptionalPropertyTypes-friendly spreading). */
export function withSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

/** Headers/options of a write. */
export function writeOptions(options: WriteOptions | undefined): {
  idempotencyKey?: string;
  signal?: AbortSignal;
} {
  return {
    ...(options?.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
    ...withSignal(options?.signal),
  };
}
