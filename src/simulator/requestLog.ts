/**
 * The request log behind `GET /__sim/requests`: counts per route template (`METHOD /template`) and
 * a bounded ring buffer of timestamped entries, for tests that assert on what went over the wire.
 */

/** Route label of requests that matched no route. */
export const UNMATCHED_ROUTE = '(unmatched)';
/** Entries kept; the oldest are dropped beyond this. */
export const REQUEST_LOG_CAPACITY = 10_000;

/** One API request as logged. */
export interface RequestLogEntry {
  /** Arrival time, milliseconds since the epoch, fractional (performance.timeOrigin + now()). */
  t: number;
  method: string;
  /** The route template, e.g. `/api/v2/campaigns/{campaignId}/rules`, or `(unmatched)`. */
  route: string;
  /** The request path as sent (with query). */
  path: string;
  /** Status answered; null when the connection was dropped without processing. */
  status: number | null;
  /** Time from arrival to the response (or drop), milliseconds. */
  durationMs: number;
  idempotencyKey?: string;
  /** Set when the response was an idempotent replay. */
  replayed?: true;
  /** The injected fault that shaped this request, if any. */
  fault?: 'status' | 'drop' | 'commit-then-drop' | 'delay';
}

/** What `GET /__sim/requests` answers. */
export interface RequestLogSnapshot {
  counts: Record<string, number>;
  total: number;
  /** API requests being processed right now. */
  inFlight: number;
  /** Most API requests in flight at once since the log was cleared (checks client concurrency). */
  maxInFlight: number;
  entries?: RequestLogEntry[];
}

/** Counts and entries of API requests (never `/__sim/` ones). */
export class RequestLog {
  private counts = new Map<string, number>();
  private total = 0;
  private ring: RequestLogEntry[] = [];
  private start = 0;
  private inFlight = 0;
  private maxInFlight = 0;

  constructor(private readonly capacity = REQUEST_LOG_CAPACITY) {}

  /** A request arrived (pair with {@link leave}). */
  enter(): void {
    this.inFlight += 1;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  /** A request is done (answered, dropped or abandoned). */
  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Record a finished request. */
  record(entry: RequestLogEntry): void {
    const label = `${entry.method} ${entry.route}`;
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    this.total += 1;
    if (this.ring.length < this.capacity) {
      this.ring.push(entry);
    } else {
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Counts (sorted by label), total, and with `withEntries` the entries oldest first. */
  snapshot(withEntries = false): RequestLogSnapshot {
    const counts: Record<string, number> = {};
    for (const label of [...this.counts.keys()].sort()) counts[label] = this.counts.get(label)!;
    const result: RequestLogSnapshot = {
      counts,
      total: this.total,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
    };
    if (withEntries) {
      result.entries = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)].map(
        (entry) => ({ ...entry }),
      );
    }
    return result;
  }

  /** Forget everything. */
  clear(): void {
    this.counts = new Map();
    this.total = 0;
    this.ring = [];
    this.start = 0;
    this.maxInFlight = this.inFlight;
  }
}
