/**
 * The audit log (`--audit-log FILE`): JSON Lines, one record per write attempt and per webhook
 * delivery (docs/audit-log.md).
 *
 * The file is opened for appending (O_APPEND), and each record is one `write()` of one whole line,
 * so records from concurrent writers (even other processes) never interleave, and a process killed
 * mid-run leaves only whole lines behind. Every string value passes through the redactor before
 * it is written. The file is fsynced when the log is closed.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { CxctlError } from '../errors.js';
import { redact } from '../secrets.js';
import { rfc3339, systemClock, type Clock } from './clock.js';
import type { EventType, WriteAction } from './events.js';
import { redactValue } from './redactValue.js';
import type { DeliveryOutcome, DeliveryResult } from './webhooks.js';

/** Outcome of one write: `conflict` is a 412 (someone else changed the object). */
export type WriteOutcome = 'success' | 'failed' | 'conflict' | 'skipped';

/** Error detail of a failed write. */
export interface AuditError {
  code: string;
  message: string;
}

/** One write to the CXone API (a create batch counts as one write of its kind). */
export interface WriteAuditRecord {
  record: 'write';
  /** When the write finished, RFC 3339 UTC. */
  time: string;
  kind: string;
  /** Natural key; for a batch create, the keys joined by `,`. */
  key: string;
  action: WriteAction;
  idempotencyKey: string;
  /** HTTP status of the last attempt; null when no response came (or nothing was sent). */
  status: number | null;
  attempts: number;
  /** Server round trips of every attempt, ms (waits on cxctl's limits and between retries excluded). */
  latencyMs: number;
  /** Waits on cxctl's own concurrency and rate limits, ms. */
  queuedMs: number;
  requestBytes: number;
  planDigest: string;
  target: string;
  outcome: WriteOutcome;
  error?: AuditError;
  /**
   * Set when the write failed or its outcome was unclear, but a fresh read showed the object as
   * planned (e.g. a retried write refused with 409 whose first attempt had applied it).
   */
  note?: string;
}

/** One webhook delivery (one event to one endpoint, all its attempts). */
export interface WebhookAuditRecord {
  record: 'webhook';
  time: string;
  event: EventType;
  webhookId: string;
  /** Endpoint URL with credentials and query values masked. */
  endpoint: string;
  attempts: number;
  status: number | null;
  outcome: DeliveryOutcome;
  latencyMs: number;
  planDigest?: string;
  target?: string;
  error?: string;
}

/** Any audit line. `record` tells them apart. */
export type AuditRecord = WriteAuditRecord | WebhookAuditRecord;

/** A write record as the caller gives it; `record` and `time` are filled in. */
export type WriteAuditInput = Omit<WriteAuditRecord, 'record' | 'time'>;

/** Options of {@link AuditLog.open}. */
export interface AuditLogOptions {
  clock?: Pick<Clock, 'now'>;
}

/** An open audit log. Open it before the first write, close it after the last. */
export class AuditLog {
  private pending: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    /** The path as given, for error messages. */
    readonly path: string,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /**
   * Open (creating if needed) `path` for appending.
   *
   * @throws CxctlError `AUDIT_LOG_OPEN_FAILED` (a user error: the path is not writable), so a
   *   command can refuse to start writing when its audit trail is unavailable.
   */
  static async open(path: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    try {
      const handle = await open(path, 'a', 0o600);
      return new AuditLog(handle, path, options.clock ?? systemClock);
    } catch (error) {
      throw new CxctlError(
        'AUDIT_LOG_OPEN_FAILED',
        `Cannot open the audit log ${path}: ${describeFsError(error)}.`,
        { hint: 'Check that the directory exists and is writable.', cause: error },
      );
    }
  }

  /** Append a record of one write attempt. Resolves once the line is written. */
  write(input: WriteAuditInput): Promise<void> {
    const record: WriteAuditRecord = {
      record: 'write',
      time: rfc3339(this.clock.now()),
      ...input,
    };
    return this.append(record);
  }

  /** Append a record of one webhook delivery result. */
  webhook(
    result: DeliveryResult,
    context: { planDigest?: string; target?: string } = {},
  ): Promise<void> {
    const record: WebhookAuditRecord = {
      record: 'webhook',
      time: rfc3339(this.clock.now()),
      event: result.event,
      webhookId: result.webhookId,
      endpoint: result.endpoint,
      attempts: result.attempts,
      status: result.status,
      outcome: result.outcome,
      latencyMs: result.latencyMs,
      ...(context.planDigest === undefined ? {} : { planDigest: context.planDigest }),
      ...(context.target === undefined ? {} : { target: context.target }),
      ...(result.error === undefined ? {} : { error: result.error }),
    };
    return this.append(record);
  }

  /**
   * Append any record as one line (string values redacted).
   *
   * @throws CxctlError `AUDIT_LOG_WRITE_FAILED` when the line cannot be written, or the log is closed.
   */
  append(record: AuditRecord): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new CxctlError('AUDIT_LOG_CLOSED', `The audit log ${this.path} is already closed.`, {
          source: 'tool',
        }),
      );
    }
    const line = Buffer.from(`${JSON.stringify(redactValue(record))}\n`, 'utf8');
    // Lines go out one at a time, so a short write (retried below) cannot interleave with another.
    const next = this.pending.then(() => this.writeFully(line));
    this.pending = next.catch(() => undefined);
    return next;
  }

  /** Wait for pending lines, fsync and close. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pending;
    try {
      await this.handle.sync();
    } catch (error) {
      throw this.writeError(error);
    } finally {
      await this.handle.close().catch(() => undefined);
    }
  }

  private async writeFully(line: Buffer): Promise<void> {
    try {
      let offset = 0;
      // A regular file takes the whole buffer in one write; the loop covers the rare short write.
      for (let round = 0; offset < line.length && round < 100; round++) {
        const { bytesWritten } = await this.handle.write(line, offset, line.length - offset);
        offset += bytesWritten;
      }
      if (offset < line.length) throw new Error('short write');
    } catch (error) {
      throw this.writeError(error);
    }
  }

  private writeError(error: unknown): CxctlError {
    return new CxctlError(
      'AUDIT_LOG_WRITE_FAILED',
      `Cannot write the audit log ${this.path}: ${describeFsError(error)}.`,
      { source: 'tool', cause: error },
    );
  }
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'the directory does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return redact(error instanceof Error ? error.message : String(error));
  }
}
