/**
 * The simulator's HTTP server (node:http). One pipeline per API request, in this order:
 *
 *   read body (size cap) -> injected fault -> route (404/405) -> bearer token (401) ->
 *   rate limit (429) -> idempotency key (replay / 409 / 422) -> handler -> latency ->
 *   store the idempotent response -> answer (or drop, for commit-then-drop)
 *
 * so faults come before authentication, and a 401, 429 or injected fault is never stored as an
 * idempotent response. `/__sim/` requests go to the control API instead. Every failure becomes a
 * JSON error body; nothing a client sends can crash the process or leave a socket hanging.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_ROUTES } from './api/routes.js';
import type { ApiRequest, MethodSpec } from './api/types.js';
import { CONTROL_ROUTES, type ControlMethod } from './control.js';
import {
  apiError,
  codeForStatus,
  isLoopbackAddress,
  parseJsonBody,
  readBody,
  type ApiResponse,
} from './http.js';
import { fingerprint, isValidIdempotencyKey, type StoredResponse } from './idempotency.js';
import { UNMATCHED_ROUTE, type RequestLogEntry } from './requestLog.js';
import { MalformedPathError, Router, type RouteMatch } from './router.js';
import type { Simulator } from './simulator.js';

/** Largest API request body: a batch of 100 codes is well under 100 KiB. */
export const MAX_API_BODY_BYTES = 1024 * 1024;
/** Largest control request body: a whole state for `PUT /__sim/state`. */
export const MAX_CONTROL_BODY_BYTES = 64 * 1024 * 1024;
/** Methods whose requests honour idempotency keys. */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How long to keep draining a refused oversized body before giving up on the connection. */
const DRAIN_TIMEOUT_MS = 2000;

/** Options of {@link SimulatorServer}. */
export interface ServerOptions {
  host: string;
  port: number;
  /** Called with unexpected errors (a bug in the simulator); the request gets a 500. */
  onInternalError?: (error: unknown) => void;
}

interface Outcome {
  response: ApiResponse;
  /** Serialised body ('' for none). */
  text: string;
  replayed?: boolean;
}

const apiRouter = new Router<MethodSpec>(API_ROUTES);
const controlRouter = new Router<ControlMethod>(CONTROL_ROUTES);

/** The HTTP face of one {@link Simulator}. */
export class SimulatorServer {
  private readonly server: Server;
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private controlEnabled = false;
  private requestCounter = 0;

  constructor(
    private readonly simulator: Simulator,
    private readonly options: ServerOptions,
  ) {
    this.server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
      const work = this.onRequest(req, res).catch((error: unknown) => {
        this.internalError(error);
        this.send(res, apiError(500, 'INTERNAL_ERROR', 'the simulator failed unexpectedly'), '');
      });
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      if (!socket.writable || socket.destroyed) {
        socket.destroy();
        return;
      }
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({
        code: 'MALFORMED_REQUEST',
        message: `the request is not valid HTTP (${error.code ?? 'parse error'})`,
      });
      socket.end(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
          `Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }

  /** Start listening; resolves with the bound address. */
  async listen(): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.controlEnabled =
      isLoopbackAddress(this.options.host) && isLoopbackAddress(address.address);
    return { host: this.options.host, port: address.port };
  }

  /** True when `/__sim/` is served (bound to loopback). */
  get controlApiEnabled(): boolean {
    return this.controlEnabled;
  }

  /** Stop: cancel waits, close every connection, and let running handlers finish. */
  async close(): Promise<void> {
    this.stopping.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await Promise.allSettled([...this.inFlight]);
    await closed;
  }

  private internalError(error: unknown): void {
    this.options.onInternalError?.(error);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrival = performance.now();
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = new URLSearchParams(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1));
    res.setHeader('x-request-id', `req-${String(++this.requestCounter).padStart(6, '0')}`);
    if (path === '/__sim' || path.startsWith('/__sim/')) {
      await this.onControl(req, res, path, query);
      return;
    }
    this.simulator.requests.enter();
    try {
      await this.onApi(req, res, { arrival, rawUrl, path, query });
    } finally {
      this.simulator.requests.leave();
    }
  }

  // ---- the API pipeline ----

  private async onApi(
    req: IncomingMessage,
    res: ServerResponse,
    request: { arrival: number; rawUrl: string; path: string; query: URLSearchParams },
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const { simulator } = this;
    let match: RouteMatch<MethodSpec> | undefined;
    let malformedPath: string | undefined;
    try {
      match = apiRouter.match(request.path);
    } catch (error) {
      if (!(error instanceof MalformedPathError)) throw error;
      malformedPath = error.message;
    }
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const idempotencyKey = header('x-idempotency-key') ?? header('idempotency-key');
    const entry: RequestLogEntry = {
      t: performance.timeOrigin + request.arrival,
      method,
      route: match?.route.template ?? UNMATCHED_ROUTE,
      path: request.rawUrl,
      status: null,
      durationMs: 0,
    };
    if (idempotencyKey !== undefined) entry.idempotencyKey = idempotencyKey;
    const log = (status: number | null) => {
      entry.status = status;
      entry.durationMs = performance.now() - request.arrival;
      simulator.requests.record(entry);
    };

    const read = await readBody(req, MAX_API_BODY_BYTES);
    if (!read.ok) {
      if (read.reason === 'aborted') {
        log(null);
        return;
      }
      log(413);
      this.refuseTooLarge(req, res, MAX_API_BODY_BYTES);
      return;
    }

    const fault = simulator.faults.evaluate(method, request.path);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'drop') {
      log(null);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay' && !(await this.wait(fault.delayMs))) {
      log(null);
      req.socket.destroy();
      return;
    }

    let outcome: Outcome;
    let release: ((stored: Outcome) => void) | undefined;
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      outcome = this.outcome(
        apiError(
          fault.status,
          codeForStatus(fault.status),
          `injected fault: fault rule ${fault.rule} answered ${fault.status}`,
          undefined,
          headers,
        ),
      );
    } else {
      const processed = this.process(
        req,
        method,
        request,
        match,
        malformedPath,
        read.body,
        idempotencyKey,
      );
      outcome = processed.outcome;
      release = processed.release;
    }

    if (simulator.latencyMs > 0 && !(await this.wait(simulator.latencyMs))) {
      // Stopping: the request was processed; keep the idempotent response, drop the connection.
      release?.(outcome);
      log(outcome.response.status);
      req.socket.destroy();
      return;
    }
    release?.(outcome);
    if (outcome.replayed) entry.replayed = true;
    log(outcome.response.status);
    if (fault?.kind === 'commit-then-drop') {
      req.socket.destroy();
      return;
    }
    this.send(res, outcome.response, outcome.text);
  }

  /** Routing, auth, rate limit, idempotency and the handler: everything after faults. */
  private process(
    req: IncomingMessage,
    method: string,
    request: { rawUrl: string; path: string; query: URLSearchParams },
    match: RouteMatch<MethodSpec> | undefined,
    malformedPath: string | undefined,
    rawBody: Buffer,
    idempotencyKey: string | undefined,
  ): { outcome: Outcome; release?: (stored: Outcome) => void } {
    const { simulator } = this;
    if (malformedPath !== undefined) {
      return { outcome: this.outcome(apiError(400, 'MALFORMED_REQUEST', malformedPath)) };
    }
    if (!match) {
      return {
        outcome: this.outcome(
          apiError(404, 'ROUTE_NOT_FOUND', `no API route ${request.path}`, undefined),
        ),
      };
    }
    const spec =
      match.route.methods[method] ?? (method === 'HEAD' ? match.route.methods.GET : undefined);
    if (!spec) {
      const allow = Object.keys(match.route.methods).join(', ');
      return {
        outcome: this.outcome(
          apiError(
            405,
            'METHOD_NOT_ALLOWED',
            `${method} is not allowed on ${match.route.template} (allowed: ${allow})`,
            undefined,
            { allow },
          ),
        ),
      };
    }

    let tenant: string | undefined;
    if (spec.auth) {
      const check = simulator.tokens.check(req.headers.authorization);
      if (!check.ok) {
        const challenge = check.reason === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"';
        const message =
          check.reason === 'missing'
            ? 'a bearer token is required: get one from /oauth2/token'
            : check.reason === 'expired'
              ? 'the bearer token has expired'
              : 'the bearer token is not valid';
        return {
          outcome: this.outcome(
            apiError(401, 'INVALID_TOKEN', message, undefined, { 'www-authenticate': challenge }),
          ),
        };
      }
      tenant = check.tenant;
      const rate = simulator.rateLimiter.take(tenant);
      if (!rate.ok) {
        return {
          outcome: this.outcome(
            apiError(
              429,
              'RATE_LIMITED',
              rate.sendRetryAfter
                ? `rate limit exceeded; retry in ${rate.retryAfterSeconds} s`
                : 'rate limit exceeded',
              rate.sendRetryAfter ? { retryAfterSeconds: rate.retryAfterSeconds } : undefined,
              rate.sendRetryAfter ? { 'retry-after': String(rate.retryAfterSeconds) } : {},
            ),
          ),
        };
      }
    }

    let release: ((stored: Outcome) => void) | undefined;
    if (
      spec.auth &&
      tenant !== undefined &&
      WRITE_METHODS.has(method) &&
      idempotencyKey !== undefined
    ) {
      const keys = [req.headers['x-idempotency-key'], req.headers['idempotency-key']].filter(
        (value) => value !== undefined,
      );
      if (keys.length === 2 && keys[0] !== keys[1]) {
        return {
          outcome: this.outcome(
            apiError(400, 'MALFORMED_REQUEST', 'X-Idempotency-Key and Idempotency-Key disagree'),
          ),
        };
      }
      if (!isValidIdempotencyKey(idempotencyKey)) {
        return {
          outcome: this.outcome(
            apiError(
              400,
              'INVALID_IDEMPOTENCY_KEY',
              'an idempotency key is 1..255 printable ASCII characters',
            ),
          ),
        };
      }
      const decision = simulator.idempotency.begin(
        tenant,
        idempotencyKey,
        fingerprint(method, request.rawUrl, rawBody),
      );
      if (decision.kind === 'replay') {
        const stored = decision.response;
        return {
          outcome: {
            response: {
              status: stored.status,
              headers: { ...stored.headers, 'idempotent-replayed': 'true' },
              body: undefined,
            },
            text: stored.body,
            replayed: true,
          },
        };
      }
      if (decision.kind === 'reused') {
        return {
          outcome: this.outcome(
            apiError(
              422,
              'IDEMPOTENCY_KEY_REUSED',
              'this idempotency key was used for a different request',
            ),
          ),
        };
      }
      if (decision.kind === 'in-flight') {
        return {
          outcome: this.outcome(
            apiError(
              409,
              'IDEMPOTENCY_KEY_IN_FLIGHT',
              'a request with this idempotency key is still being processed',
            ),
          ),
        };
      }
      const key = idempotencyKey;
      const owner = tenant;
      release = (stored) => simulator.idempotency.complete(owner, key, toStored(stored));
    }

    let body: unknown;
    if (spec.body === 'json') {
      const parsed = parseJsonBody(req.headers['content-type'], rawBody);
      if (!parsed.ok) {
        return {
          outcome: this.outcome(apiError(400, 'MALFORMED_REQUEST', parsed.message)),
          ...(release ? { release } : {}),
        };
      }
      body = parsed.value;
    }
    const apiRequest: ApiRequest = {
      method,
      path: request.path,
      query: request.query,
      params: match.params,
      headers: req.headers,
      rawBody,
      body,
      tenant,
    };
    let response: ApiResponse;
    try {
      response = spec.handle(apiRequest, { store: simulator.store, tokens: simulator.tokens });
    } catch (error) {
      this.internalError(error);
      response = apiError(500, 'INTERNAL_ERROR', 'the simulator failed unexpectedly');
    }
    return { outcome: this.outcome(response), ...(release ? { release } : {}) };
  }

  private outcome(response: ApiResponse): Outcome {
    return { response, text: response.body === undefined ? '' : JSON.stringify(response.body) };
  }

  /** Wait `ms` unless the server is stopping; false when it is. */
  private async wait(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.stopping.signal });
      return true;
    } catch {
      return false;
    }
  }

  /** 413, `Connection: close`, and drain the rest briefly so the client reads the answer. */
  private refuseTooLarge(req: IncomingMessage, res: ServerResponse, limit: number): void {
    res.setHeader('connection', 'close');
    const outcome = this.outcome(
      apiError(413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${limit} bytes`),
    );
    this.send(res, outcome.response, outcome.text);
    req.resume();
    const timer = setTimeout(() => req.socket.destroy(), DRAIN_TIMEOUT_MS);
    timer.unref();
    req.socket.once('close', () => clearTimeout(timer));
  }

  private send(res: ServerResponse, response: ApiResponse, text: string): void {
    if (res.headersSent || res.destroyed || res.writableEnded) return;
    res.statusCode = response.status;
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    if (text !== '') {
      if (!res.hasHeader('content-type')) {
        res.setHeader('content-type', 'application/json; charset=utf-8');
      }
      res.setHeader('content-length', Buffer.byteLength(text));
      res.end(text);
    } else {
      res.end();
    }
  }

  // ---- the control API ----

  private async onControl(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const reply = (response: ApiResponse) =>
      this.send(res, response, response.body === undefined ? '' : JSON.stringify(response.body));
    // Off loopback the control API does not exist: the same 404 as any unknown route.
    if (!this.controlEnabled || !isLoopbackAddress(req.socket.remoteAddress)) {
      req.resume();
      reply(apiError(404, 'ROUTE_NOT_FOUND', `no API route ${path}`));
      return;
    }
    let match: RouteMatch<ControlMethod> | undefined;
    try {
      match = controlRouter.match(path);
    } catch {
      match = undefined;
    }
    if (!match) {
      req.resume();
      reply(apiError(404, 'ROUTE_NOT_FOUND', `no control endpoint ${path}`));
      return;
    }
    const spec = match.route.methods[method];
    if (!spec) {
      req.resume();
      const allow = Object.keys(match.route.methods).join(', ');
      reply(
        apiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`, undefined, {
          allow,
        }),
      );
      return;
    }
    const read = await readBody(req, MAX_CONTROL_BODY_BYTES);
    if (!read.ok) {
      if (read.reason === 'too-large') this.refuseTooLarge(req, res, MAX_CONTROL_BODY_BYTES);
      return;
    }
    let body: unknown;
    if (read.body.length > 0 || spec.bodyRequired) {
      const parsed = parseJsonBody(req.headers['content-type'], read.body);
      if (!parsed.ok) {
        reply(apiError(400, 'MALFORMED_REQUEST', parsed.message));
        return;
      }
      body = parsed.value;
    }
    reply(await spec.handle(this.simulator, { query, body }));
  }
}

function toStored(outcome: Outcome): StoredResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(outcome.response.headers ?? {})) {
    if (name !== 'idempotent-replayed') headers[name] = value;
  }
  if (outcome.text !== '') headers['content-type'] = 'application/json; charset=utf-8';
  return { status: outcome.response.status, headers, body: outcome.text };
}
