/**
 * Test harness for the simulator: start one on an ephemeral loopback port, get tokens, and send
 * requests with undici (so tests see exactly the bytes a client would).
 */
import { connect } from 'node:net';
import { request } from 'undici';
import { API_PATHS } from '../../src/cxone/types.js';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../src/simulator/index.js';

/** A response with its body already read. */
export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON (undefined when empty). */
  json: unknown;
}

/** Shorthand for the paths tests use. */
export const PATHS = {
  codes: API_PATHS.wrapUpCodes,
  code: (id: string) => `${API_PATHS.wrapUpCodes}/${encodeURIComponent(id)}`,
  categories: API_PATHS.categories,
  campaigns: API_PATHS.campaigns,
  dncLists: API_PATHS.dncLists,
  rules: (campaignId: string) => API_PATHS.campaignRules(campaignId),
  rule: (campaignId: string, ruleId: string) =>
    `${API_PATHS.campaignRules(campaignId)}/${encodeURIComponent(ruleId)}`,
};

/** A started simulator plus helpers bound to it. */
export interface Harness {
  sim: RunningSimulator;
  /** A fresh token for the default client. */
  token(): Promise<string>;
  /** Forget the token `send` uses, so the next request gets a new one (after clock changes). */
  refreshToken(): void;
  /** Send a request; `body` objects are sent as JSON. */
  send(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      raw?: string | Buffer;
      headers?: Record<string, string>;
      token?: string | null;
    },
  ): Promise<TestResponse>;
}

/** Start a simulator (always on 127.0.0.1, ephemeral port). */
export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const sim = await startSimulator({ ...options, host: '127.0.0.1', port: 0 });
  let cached: string | undefined;
  const token = async (): Promise<string> => {
    const response = await rawRequest(sim.url, 'POST', '/oauth2/token', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      raw: `grant_type=client_credentials&client_id=${encodeURIComponent(sim.clientId)}&client_secret=${encodeURIComponent(sim.clientSecret)}`,
    });
    if (response.status !== 200) throw new Error(`token request failed: ${response.text}`);
    return (response.json as { access_token: string }).access_token;
  };
  return {
    sim,
    token,
    refreshToken: () => {
      cached = undefined;
    },
    send: async (method, path, options = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== null) {
        cached ??= await token();
        headers.authorization ??= `Bearer ${options.token ?? cached}`;
      }
      let raw = options.raw;
      if (options.body !== undefined) {
        raw = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      return rawRequest(sim.url, method, path, { headers, ...(raw !== undefined ? { raw } : {}) });
    },
  };
}

/** One HTTP request with undici, body read fully, bounded by a timeout. */
export async function rawRequest(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; raw?: string | Buffer } = {},
): Promise<TestResponse> {
  const response = await request(`${base}${path}`, {
    method: method as 'GET',
    headers: options.headers ?? {},
    ...(options.raw !== undefined ? { body: options.raw } : {}),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

/** A valid wrap-up code body. */
export function codeBody(code: string, overrides: Record<string, unknown> = {}) {
  return { code, name: `Name of ${code}`, category: 'Resolution', duration: 300, ...overrides };
}

/** A valid compliance rule body (for the default seed: dnc-1 is the active "Internal DNC"). */
export function ruleBody(name: string, overrides: Record<string, unknown> = {}) {
  return {
    name,
    type: 'TIME_RESTRICTION',
    jurisdiction: 'US-FCC',
    timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
    dncListIds: ['dnc-1'],
    maxCallsPerDay: 1,
    concurrencyLimit: 5,
    ...overrides,
  };
}

/** What a raw socket saw: the bytes received before the server closed the connection. */
export interface RawExchange {
  /** Everything the server sent ('' when it dropped the connection without answering). */
  received: string;
  /** How the connection ended. */
  ended: 'closed' | 'reset' | 'timeout';
}

/**
 * Send `requestText` over a plain TCP socket and collect what comes back until the server closes
 * the connection (or `timeoutMs` passes). Used to observe dropped connections exactly.
 */
export function rawExchange(
  port: number,
  requestText: string | Buffer,
  timeoutMs = 5000,
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let ended: RawExchange['ended'] = 'closed';
    const timer = setTimeout(() => {
      ended = 'timeout';
      socket.destroy();
    }, timeoutMs);
    socket.on('connect', () => socket.write(requestText));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (ended !== 'timeout') ended = error.code === 'ECONNRESET' ? 'reset' : 'closed';
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks).toString('utf8'), ended });
    });
  });
}

/** An HTTP/1.1 request as text, with `Connection: close` so the server ends the exchange. */
export function httpText(
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== '' || method === 'POST' || method === 'PUT') {
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
