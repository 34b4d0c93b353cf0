/**
 * What an API route handler sees and returns. Handlers are synchronous: a request is processed in
 * one step, so `commit-then-drop` can process fully and then drop the connection.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenIssuer } from '../auth.js';
import type { ApiResponse } from '../http.js';
import type { Store } from '../store.js';

/** A request after routing, authentication and body parsing. */
export interface ApiRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  /** Decoded path parameters of the route template. */
  params: Readonly<Record<string, string>>;
  headers: IncomingHttpHeaders;
  /** The raw body bytes. */
  rawBody: Buffer;
  /** The parsed JSON body, for methods declared with `body: 'json'`. */
  body: unknown;
  /** The authenticated tenant (OAuth client id), for methods declared with `auth: true`. */
  tenant: string | undefined;
}

/** What handlers may use. */
export interface HandlerServices {
  store: Store;
  tokens: TokenIssuer;
}

/** One method of one route. */
export interface MethodSpec {
  handle: (request: ApiRequest, services: HandlerServices) => ApiResponse;
  /** Needs a bearer token (and so counts against the tenant's rate limit). */
  auth: boolean;
  /** How the body is read: parsed JSON (400 if not), raw (the handler parses), or ignored. */
  body: 'json' | 'raw' | 'none';
}
