/**
 * The simulator's parts wired together, independent of HTTP: tenant data, tokens, idempotency,
 * rate limit, faults, request log, clock, runtime configuration and persistence. The HTTP server
 * (server.ts) and the control API (control.ts) both drive one instance of this.
 */
import { TokenIssuer, type ClientCredentials } from './auth.js';
import { SimClock } from './clock.js';
import { FaultInjector } from './faults.js';
import type { IdCounters } from './ids.js';
import { IdempotencyStore, type IdempotencyRecord } from './idempotency.js';
import { StateWriter, serializeStateFile } from './persistence.js';
import { RateLimiter, type RateLimitSettings } from './rateLimit.js';
import { RequestLog } from './requestLog.js';
import { cloneJson, type SimulatorState } from './state.js';
import { Store } from './store.js';

/** Settings that may change while the simulator runs (`PUT /__sim/config`). */
export interface RuntimeConfig {
  /** Added to every API response, milliseconds. */
  latencyMs: number;
  /** Lifetime of newly issued tokens, seconds. */
  tokenTtlSeconds: number;
  /** Per-tenant token bucket; null = no limit. */
  rateLimit: Required<RateLimitSettings> | null;
}

/** Everything needed to build a {@link Simulator}. */
export interface SimulatorParts {
  /** What `POST /__sim/reset` goes back to. */
  seed: SimulatorState;
  /** The state to start from (a restored state file), else the seed. */
  initial?: {
    state: SimulatorState;
    idCounters?: Partial<IdCounters>;
    idempotency?: IdempotencyRecord[];
  };
  client: ClientCredentials;
  latencyMs: number;
  tokenTtlSeconds: number;
  rateLimit: RateLimitSettings | undefined;
  /** Base wall clock, ms since the epoch. */
  clock?: () => number;
  /** Monotonic ms for the rate limiter. */
  monotonic?: () => number;
  /** State file path for write-behind persistence. */
  statePath?: string;
  /** Called when persisting fails (the simulator keeps serving). */
  onPersistError?: (error: unknown) => void;
}

/** One simulated tenant with its API machinery. */
export class Simulator {
  readonly clock: SimClock;
  readonly store: Store;
  readonly tokens: TokenIssuer;
  readonly idempotency: IdempotencyStore;
  readonly rateLimiter: RateLimiter;
  readonly faults = new FaultInjector();
  readonly requests = new RequestLog();
  readonly client: ClientCredentials;
  latencyMs: number;
  private readonly seed: SimulatorState;
  private readonly writer: StateWriter | undefined;

  constructor(parts: SimulatorParts) {
    this.clock = new SimClock(parts.clock);
    this.client = { ...parts.client };
    this.seed = cloneJson(parts.seed);
    this.latencyMs = parts.latencyMs;
    const initial = parts.initial ?? { state: this.seed };
    this.store = new Store(initial.state, initial.idCounters);
    this.tokens = new TokenIssuer(this.client, this.clock, parts.tokenTtlSeconds);
    this.idempotency = new IdempotencyStore(this.clock);
    if (initial.idempotency) this.idempotency.import(initial.idempotency);
    this.rateLimiter = new RateLimiter(parts.rateLimit, parts.monotonic);
    if (parts.statePath !== undefined) {
      this.writer = new StateWriter(
        parts.statePath,
        () => this.stateFileText(),
        parts.onPersistError ?? (() => {}),
      );
      this.store.onChange = () => this.writer!.schedule();
      this.idempotency.onChange = () => this.writer!.schedule();
    }
  }

  /** The runtime configuration. */
  config(): RuntimeConfig {
    return {
      latencyMs: this.latencyMs,
      tokenTtlSeconds: this.tokens.ttlSeconds,
      rateLimit: this.rateLimiter.current() ?? null,
    };
  }

  /** A deep copy of the tenant state. */
  state(): SimulatorState {
    return this.store.snapshot();
  }

  /**
   * Replace the tenant state (already validated). Stored idempotent responses are forgotten: they
   * describe objects of the old state.
   */
  replaceState(state: SimulatorState): void {
    this.store.load(state);
    this.idempotency.clear();
    this.writer?.schedule();
  }

  /** Back to the seed (the `--seed` file or the default seed, never the state file). */
  reset(): void {
    this.replaceState(this.seed);
  }

  /** The `--state` file's content now. */
  stateFileText(): string {
    return serializeStateFile(this.store.snapshot(), {
      idCounters: this.store.counters(),
      idempotency: this.idempotency.export(),
    });
  }

  /** Write the state file now (if there is one and anything changed), and wait for it. */
  flush(): Promise<void> {
    return this.writer?.flush() ?? Promise.resolve();
  }

  /** Write the state file now, changed or not. */
  persistNow(): Promise<void> {
    return this.writer?.writeNow() ?? Promise.resolve();
  }
}
