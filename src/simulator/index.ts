/**
 * The embedded CXone API simulator (behaviour in SIMULATOR.md).
 *
 * ```ts
 * const sim = await startSimulator({ latencyMs: 0 });
 * // ... talk HTTP to sim.url with sim.clientId / sim.clientSecret ...
 * await sim.stop();
 * ```
 */
import { existsSync } from 'node:fs';
import { CxctlError } from '../errors.js';
import { MAX_LATENCY_MS, parseConfigPatch } from './control.js';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './auth.js';
import type { FaultSpec } from './faults.js';
import { parseFaultSpec } from './faults.js';
import { parseStateFileExtras } from './persistence.js';
import type { RateLimitSettings } from './rateLimit.js';
import type { RequestLogSnapshot } from './requestLog.js';
import { buildState, DEFAULT_SEED } from './seed.js';
import { readStateFile, SEED_INVALID } from './seedFile.js';
import { SimulatorServer } from './server.js';
import { Simulator, type RuntimeConfig } from './simulator.js';
import type { SimulatorSeed, SimulatorState } from './state.js';

export type { SimulatorSeed, SimulatorState } from './state.js';
export type { FaultRuleSpec, FaultSpec } from './faults.js';
export type { RequestLogEntry, RequestLogSnapshot } from './requestLog.js';
export type { RuntimeConfig } from './simulator.js';
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './auth.js';
export { DEFAULT_SEED } from './seed.js';
export { readStateFile } from './seedFile.js';

/** How to start a simulator. Every field is optional. */
export interface SimulatorOptions {
  /** Interface to bind (default 127.0.0.1). The control API is served only on loopback. */
  host?: string;
  /** Port (default 0: an ephemeral port). */
  port?: number;
  /** Initial tenant state, and what `POST /__sim/reset` returns to (default {@link DEFAULT_SEED}). */
  seed?: SimulatorSeed;
  /**
   * State file: loaded at start when it exists (instead of the seed), written behind every change
   * and on stop. Holds id counters and stored idempotent responses too, so a restart continues.
   */
  statePath?: string;
  /** Added to every API response, milliseconds (default 0). */
  latencyMs?: number;
  /** Lifetime of access tokens, seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** Per-tenant token bucket (default: no limit). `burst` defaults to the rate. */
  rateLimit?: RateLimitSettings;
  /** OAuth client id (default `cxctl-sim`). */
  clientId?: string;
  /** OAuth client secret (default `cxctl-sim-secret`). */
  clientSecret?: string;
  /** Base wall clock in ms since the epoch (default Date.now), for tests of expiry. */
  clock?: () => number;
  /** Told about failures that do not stop the simulator (state file writes, internal errors). */
  onError?: (error: unknown) => void;
}

/** A running simulator: its address, and in-process access to what the control API offers. */
export interface RunningSimulator {
  /** `http://HOST:PORT` (IPv6 hosts in brackets). */
  url: string;
  host: string;
  port: number;
  /** The token endpoint (`${url}/oauth2/token`). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** True when `/__sim/` is served (the server is bound to loopback). */
  controlApi: boolean;
  /** A deep copy of the tenant state. */
  state(): SimulatorState;
  /** Replace the state (validated like a seed; throws a CxctlError when invalid). */
  setState(seed: SimulatorSeed): void;
  /** Back to the seed. */
  reset(): void;
  /** Request counts per route template, and with `entries` the logged requests. */
  requests(options?: { entries?: boolean }): RequestLogSnapshot;
  clearRequests(): void;
  /** Install fault rules (validated; throws a CxctlError when invalid). */
  setFaults(spec: FaultSpec): void;
  clearFaults(): void;
  /** Change runtime settings. `rateLimit: null` removes the limit. */
  configure(patch: {
    latencyMs?: number;
    tokenTtlSeconds?: number;
    rateLimit?: RateLimitSettings | null;
  }): RuntimeConfig;
  /** Make every token issued so far expired. */
  expireTokens(): void;
  /** Move the simulated clock forward. */
  advanceClock(ms: number): void;
  /** Write the state file now (when there is one). */
  flush(): Promise<void>;
  /** Stop serving, close every connection, write the state file. Idempotent. */
  stop(): Promise<void>;
  /** The parts, for tests that need to look deeper. */
  readonly simulator: Simulator;
}

function validateSeed(seed: SimulatorSeed, what: string): SimulatorState {
  const result = buildState(seed);
  if (!result.ok) {
    const first = result.errors[0]!;
    throw new CxctlError(
      SEED_INVALID,
      `${what} is invalid: ${first.field || '(root)'} ${first.message}${result.errors.length > 1 ? ` (and ${result.errors.length - 1} more)` : ''}`,
    );
  }
  return result.state;
}

function checkOptions(options: SimulatorOptions): void {
  const bad = (message: string) => new CxctlError('SIM_OPTIONS_INVALID', message);
  const { port, latencyMs, tokenTtlSeconds, rateLimit } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw bad(`port must be an integer 0..65535 (got ${port})`);
  }
  if (
    latencyMs !== undefined &&
    (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_LATENCY_MS)
  ) {
    throw bad(
      `latency must be a whole number of milliseconds 0..${MAX_LATENCY_MS} (got ${latencyMs})`,
    );
  }
  if (
    tokenTtlSeconds !== undefined &&
    (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 1)
  ) {
    throw bad(`token TTL must be a whole number of seconds >= 1 (got ${tokenTtlSeconds})`);
  }
  if (rateLimit !== undefined) {
    if (!(Number.isFinite(rateLimit.requestsPerSecond) && rateLimit.requestsPerSecond > 0)) {
      throw bad(
        `rate limit must be a number of requests per second > 0 (got ${rateLimit.requestsPerSecond})`,
      );
    }
    if (
      rateLimit.burst !== undefined &&
      !(Number.isInteger(rateLimit.burst) && rateLimit.burst >= 1)
    ) {
      throw bad(`rate limit burst must be an integer >= 1 (got ${rateLimit.burst})`);
    }
  }
  if (options.clientId === '' || options.clientSecret === '') {
    throw bad('client id and client secret must not be empty');
  }
}

/**
 * Start a simulator and resolve once it listens. Throws a {@link CxctlError} for invalid options,
 * an invalid seed or state file, or an address that cannot be bound.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const seed = validateSeed(options.seed ?? DEFAULT_SEED, 'the seed');
  let initial: ConstructorParameters<typeof Simulator>[0]['initial'];
  if (options.statePath !== undefined && existsSync(options.statePath)) {
    const loaded = readStateFile(options.statePath, 'state file');
    const extras = parseStateFileExtras(loaded.extras);
    initial = {
      state: loaded.state,
      idCounters: extras.idCounters,
      idempotency: extras.idempotency,
    };
  }
  const onError = options.onError ?? (() => {});
  const simulator = new Simulator({
    seed,
    ...(initial ? { initial } : {}),
    client: {
      clientId: options.clientId ?? DEFAULT_CLIENT_ID,
      clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    },
    latencyMs: options.latencyMs ?? 0,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    rateLimit: options.rateLimit,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.statePath !== undefined ? { statePath: options.statePath } : {}),
    onPersistError: onError,
  });
  const server = new SimulatorServer(simulator, {
    host,
    port: options.port ?? 0,
    onInternalError: onError,
  });
  let bound: { host: string; port: number };
  try {
    bound = await server.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE'
        ? 'the address is already in use'
        : code === 'EADDRNOTAVAIL'
          ? 'the address is not available on this machine'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new CxctlError(
      'SIM_LISTEN_FAILED',
      `cannot listen on ${host}:${options.port ?? 0}: ${reason}`,
      {
        cause: error,
      },
    );
  }
  // The state file exists from the start, so a crash right away still leaves a usable file.
  if (options.statePath !== undefined) await simulator.persistNow();

  const urlHost = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  const url = `http://${urlHost}:${bound.port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    host: bound.host,
    port: bound.port,
    tokenUrl: `${url}/oauth2/token`,
    clientId: simulator.client.clientId,
    clientSecret: simulator.client.clientSecret,
    controlApi: server.controlApiEnabled,
    simulator,
    state: () => simulator.state(),
    setState: (next) => simulator.replaceState(validateSeed(next, 'the state')),
    reset: () => simulator.reset(),
    requests: (opts) => simulator.requests.snapshot(opts?.entries ?? false),
    clearRequests: () => simulator.requests.clear(),
    setFaults: (spec) => {
      const parsed = parseFaultSpec(spec);
      if (!parsed.ok) {
        const first = parsed.errors[0]!;
        throw new CxctlError(
          'SIM_FAULTS_INVALID',
          `fault rules are invalid: ${first.field} ${first.message}`,
        );
      }
      simulator.faults.set(parsed.spec);
    },
    clearFaults: () => simulator.faults.clear(),
    configure: (patch) => {
      const parsed = parseConfigPatch(patch);
      if (!parsed.ok) {
        const first = parsed.errors[0]!;
        throw new CxctlError(
          'SIM_OPTIONS_INVALID',
          `configuration is invalid: ${first.field} ${first.message}`,
        );
      }
      parsed.apply(simulator);
      return simulator.config();
    },
    expireTokens: () => {
      simulator.tokens.expireAll();
    },
    advanceClock: (ms) => simulator.clock.advance(ms),
    flush: () => simulator.flush(),
    stop: () => {
      stopped ??= (async () => {
        await server.close();
        await simulator.flush();
      })();
      return stopped;
    },
  };
}
