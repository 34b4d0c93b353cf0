/**
 * HTTP plumbing shared by the API routes and the control API: response values, error bodies, body
 * reading with a size cap, content types, and `If-Match`.
 */
import type { IncomingMessage } from 'node:http';
import type { ApiErrorBody } from '../cxone/types.js';

/** A response as handlers return it; the server turns it into bytes. */
export interface ApiResponse {
  status: number;
  /** Extra headers (lower-case names). */
  headers?: Record<string, string>;
  /** JSON body; absent for no body (e.g. 204). */
  body?: unknown;
}

/** A JSON response. */
export function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return headers ? { status, body, headers } : { status, body };
}

/** An error response `{code, message, details?}` (docs/cxone-api.md). */
export function apiError(
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
): ApiResponse {
  const body: ApiErrorBody = { code, message };
  if (details !== undefined) body.details = details;
  return json(status, body, headers);
}

/** The default error code for an injected or unexpected status. */
export function codeForStatus(status: number): string {
  const known: Record<number, string> = {
    400: 'MALFORMED_REQUEST',
    401: 'INVALID_TOKEN',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    408: 'REQUEST_TIMEOUT',
    409: 'CONFLICT',
    412: 'VERSION_MISMATCH',
    413: 'PAYLOAD_TOO_LARGE',
    422: 'VALIDATION_FAILED',
    429: 'RATE_LIMITED',
    500: 'INTERNAL_ERROR',
    502: 'BAD_GATEWAY',
    503: 'SERVICE_UNAVAILABLE',
    504: 'GATEWAY_TIMEOUT',
  };
  return known[status] ?? 'INJECTED_FAULT';
}

/** Outcome of reading a request body. */
export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Read the whole body, refusing more than `limit` bytes (by `Content-Length` up front, or while
 * streaming for chunked bodies). On `too-large` the rest of the body is left unread: the caller
 * answers 413 and closes the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ ok: false, reason: 'aborted' });
    const onClose = () => {
      if (!req.complete) onAbort();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}

/** The media type of a `Content-Type` header, lower-case, without parameters. */
export function mediaType(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const type = header.split(';', 1)[0]!.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/** True for `application/json` and `application/<something>+json`. */
export function isJsonMediaType(header: string | undefined): boolean {
  const type = mediaType(header);
  return (
    type === 'application/json' ||
    (type?.startsWith('application/') === true && type.endsWith('+json'))
  );
}

/** The `charset` parameter of a `Content-Type` header, lower-case, if any. */
export function charset(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header);
  return match?.[1]?.toLowerCase();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse a JSON request body. Returns the value, or a sentence saying why it is not one (the
 * caller answers 400 MALFORMED_REQUEST).
 */
export function parseJsonBody(
  contentType: string | undefined,
  body: Buffer,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!isJsonMediaType(contentType)) {
    return {
      ok: false,
      message: `the request body must be JSON: send Content-Type: application/json (got ${contentType === undefined ? 'none' : JSON.stringify(contentType)})`,
    };
  }
  const declaredCharset = charset(contentType);
  if (declaredCharset !== undefined && declaredCharset !== 'utf-8' && declaredCharset !== 'utf8') {
    return {
      ok: false,
      message: `the request body must be UTF-8 (got charset=${declaredCharset})`,
    };
  }
  if (body.length === 0) return { ok: false, message: 'the request body is empty; expected JSON' };
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, message: 'the request body is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      message: `the request body is not valid JSON: ${(error as Error).message}`,
    };
  }
}

/**
 * Does `If-Match` allow a write to an object at `version`? Absent: yes (unconditional write).
 * `*`: yes. Otherwise one or more entity tags (`"3"`, bare `3`, `W/"3"`), any of which must equal
 * the version; anything unparsable never matches (412, as for any failed precondition).
 */
export function ifMatchAllows(header: string | undefined, version: number): boolean {
  if (header === undefined) return true;
  const trimmed = header.trim();
  if (trimmed === '*') return true;
  return trimmed.split(',').some((tag) => {
    const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(tag.trim());
    return match !== null && Number(match[1]) === version;
  });
}

/** The `ETag` of an object at `version`. */
export function etag(version: number): string {
  return `"${version}"`;
}

/** True for loopback addresses (IPv4 127/8, IPv6 ::1, IPv4-mapped 127/8) and `localhost`. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const host = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
