/**
 * The control API under `/__sim/` (documented in SIMULATOR.md): state seed, reset
 * and export, the request log, faults, runtime configuration, token expiry and the clock. Served
 * only when the server is bound to loopback and the caller is on loopback (checked in server.ts).
 */
import type { FieldError } from '../cxone/types.js';
import { parseFaultSpec } from './faults.js';
import { apiError, json, type ApiResponse } from './http.js';
import type { RateLimitSettings } from './rateLimit.js';
import type { Route } from './router.js';
import { isJsonObject } from '../util/json.js';
import { pointerSegment } from './rules.js';
import { buildState } from './seed.js';
import type { Simulator } from './simulator.js';

/** A control request after routing and body parsing. */
export interface ControlRequest {
  query: URLSearchParams;
  /** Parsed JSON body, or undefined when the request had none. */
  body: unknown;
}

/** One control endpoint. */
export interface ControlMethod {
  handle: (simulator: Simulator, request: ControlRequest) => ApiResponse | Promise<ApiResponse>;
  /** A JSON body is required (else it is optional and may be empty). */
  bodyRequired: boolean;
}

function invalid(errors: readonly FieldError[], what: string): ApiResponse {
  const first = errors[0]!;
  return apiError(
    422,
    'VALIDATION_FAILED',
    `${what}: ${first.field || '(body)'} ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
    [...errors],
  );
}

function isTrue(value: string | null): boolean {
  return value !== null && value !== '0' && value !== 'false';
}

/** Largest configurable latency (10 minutes). */
export const MAX_LATENCY_MS = 600_000;

/** Validate a `PUT /__sim/config` body; `apply` makes the change. */
export function parseConfigPatch(
  input: unknown,
): { ok: true; apply: (simulator: Simulator) => void } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isJsonObject(input)) {
    return { ok: false, errors: [{ field: '', message: 'must be an object' }] };
  }
  for (const key of Object.keys(input)) {
    if (!['latencyMs', 'tokenTtlSeconds', 'rateLimit'].includes(key)) {
      errors.push({ field: `/${pointerSegment(key)}`, message: 'unknown field' });
    }
  }
  const { latencyMs, tokenTtlSeconds, rateLimit } = input;
  if (
    latencyMs !== undefined &&
    (typeof latencyMs !== 'number' ||
      !Number.isInteger(latencyMs) ||
      latencyMs < 0 ||
      latencyMs > MAX_LATENCY_MS)
  ) {
    errors.push({ field: '/latencyMs', message: `must be an integer 0..${MAX_LATENCY_MS}` });
  }
  if (
    tokenTtlSeconds !== undefined &&
    (typeof tokenTtlSeconds !== 'number' ||
      !Number.isInteger(tokenTtlSeconds) ||
      tokenTtlSeconds < 1)
  ) {
    errors.push({ field: '/tokenTtlSeconds', message: 'must be an integer >= 1' });
  }
  let limit: RateLimitSettings | undefined;
  if (rateLimit !== undefined && rateLimit !== null) {
    const checked = checkRateLimit(rateLimit, '/rateLimit', errors);
    if (checked) limit = checked;
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    apply: (simulator) => {
      if (typeof latencyMs === 'number') simulator.latencyMs = latencyMs;
      if (typeof tokenTtlSeconds === 'number') simulator.tokens.ttlSeconds = tokenTtlSeconds;
      if (rateLimit === null) simulator.rateLimiter.configure(undefined);
      else if (limit) simulator.rateLimiter.configure(limit);
    },
  };
}

/** Check `{requestsPerSecond > 0, burst? >= 1}`. */
export function checkRateLimit(
  value: unknown,
  pointer: string,
  errors: FieldError[],
): RateLimitSettings | undefined {
  if (!isJsonObject(value)) {
    errors.push({
      field: pointer,
      message: 'must be {requestsPerSecond, burst?, retryAfter?} or null',
    });
    return undefined;
  }
  const before = errors.length;
  for (const key of Object.keys(value)) {
    if (key !== 'requestsPerSecond' && key !== 'burst' && key !== 'retryAfter') {
      errors.push({ field: `${pointer}/${pointerSegment(key)}`, message: 'unknown field' });
    }
  }
  const { requestsPerSecond, burst, retryAfter } = value;
  if (
    typeof requestsPerSecond !== 'number' ||
    !Number.isFinite(requestsPerSecond) ||
    requestsPerSecond <= 0
  ) {
    errors.push({ field: `${pointer}/requestsPerSecond`, message: 'must be a number > 0' });
  }
  if (burst !== undefined && (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1)) {
    errors.push({ field: `${pointer}/burst`, message: 'must be an integer >= 1' });
  }
  if (retryAfter !== undefined && typeof retryAfter !== 'boolean') {
    errors.push({ field: `${pointer}/retryAfter`, message: 'must be true or false' });
  }
  if (errors.length > before) return undefined;
  const settings: RateLimitSettings = { requestsPerSecond: requestsPerSecond as number };
  if (typeof burst === 'number') settings.burst = burst;
  if (typeof retryAfter === 'boolean') settings.retryAfter = retryAfter;
  return settings;
}

function clockBody(simulator: Simulator): ApiResponse {
  return json(200, { now: simulator.clock.now(), offsetMs: simulator.clock.offset() });
}

/** The control endpoints, by template. */
export const CONTROL_ROUTES: readonly Route<ControlMethod>[] = [
  {
    template: '/__sim/state',
    methods: {
      GET: { bodyRequired: false, handle: (simulator) => json(200, simulator.state()) },
      PUT: {
        bodyRequired: true,
        handle: (simulator, { body }) => {
          const result = buildState(body);
          if (!result.ok) return invalid(result.errors, 'the state');
          simulator.replaceState(result.state);
          return json(200, simulator.state());
        },
      },
    },
  },
  {
    template: '/__sim/reset',
    methods: {
      POST: {
        bodyRequired: false,
        handle: (simulator) => {
          simulator.reset();
          return json(200, simulator.state());
        },
      },
    },
  },
  {
    template: '/__sim/requests',
    methods: {
      GET: {
        bodyRequired: false,
        handle: (simulator, { query }) =>
          json(200, simulator.requests.snapshot(isTrue(query.get('entries')))),
      },
      DELETE: {
        bodyRequired: false,
        handle: (simulator) => {
          simulator.requests.clear();
          return { status: 204 };
        },
      },
    },
  },
  {
    template: '/__sim/faults',
    methods: {
      GET: { bodyRequired: false, handle: (simulator) => json(200, simulator.faults.describe()) },
      POST: {
        bodyRequired: true,
        handle: (simulator, { body }) => {
          const result = parseFaultSpec(body);
          if (!result.ok) return invalid(result.errors, 'the fault rules');
          simulator.faults.set(result.spec);
          return json(200, simulator.faults.describe());
        },
      },
      DELETE: {
        bodyRequired: false,
        handle: (simulator) => {
          simulator.faults.clear();
          return { status: 204 };
        },
      },
    },
  },
  {
    template: '/__sim/config',
    methods: {
      GET: { bodyRequired: false, handle: (simulator) => json(200, simulator.config()) },
      PUT: {
        bodyRequired: true,
        handle: (simulator, { body }) => {
          const result = parseConfigPatch(body);
          if (!result.ok) return invalid(result.errors, 'the configuration');
          result.apply(simulator);
          return json(200, simulator.config());
        },
      },
    },
  },
  {
    template: '/__sim/tokens/expire',
    methods: {
      POST: {
        bodyRequired: false,
        handle: (simulator) => json(200, { expired: simulator.tokens.expireAll() }),
      },
    },
  },
  {
    template: '/__sim/clock',
    methods: {
      GET: { bodyRequired: false, handle: clockBody },
      POST: {
        bodyRequired: true,
        handle: (simulator, { body }) => {
          const advanceMs = isJsonObject(body) ? body.advanceMs : undefined;
          if (
            !isJsonObject(body) ||
            Object.keys(body).some((key) => key !== 'advanceMs') ||
            typeof advanceMs !== 'number' ||
            !Number.isFinite(advanceMs) ||
            advanceMs < 0
          ) {
            return invalid(
              [{ field: '/advanceMs', message: 'is required: a number of milliseconds >= 0' }],
              'the clock change',
            );
          }
          simulator.clock.advance(advanceMs);
          return clockBody(simulator);
        },
      },
    },
  },
  {
    template: '/__sim/flush',
    methods: {
      POST: {
        bodyRequired: false,
        handle: async (simulator) => {
          await simulator.flush();
          return { status: 204 };
        },
      },
    },
  },
];
