/**
 * `POST /oauth/token` and `/oauth2/token`: OAuth2 client credentials (RFC 6749 4.4), with client
 * authentication by HTTP Basic (2.3.1) or form fields. Errors follow RFC 6749 5.2 and carry our
 * `{code, message}` too.
 */
import type { TokenResponse } from '../../cxone/types.js';
import { json, mediaType, type ApiResponse } from '../http.js';
import type { ApiRequest, HandlerServices, MethodSpec } from './types.js';

function oauthError(
  status: number,
  error: string,
  description: string,
  headers?: Record<string, string>,
): ApiResponse {
  return json(
    status,
    { code: error, message: description, error, error_description: description },
    { 'cache-control': 'no-store', ...headers },
  );
}

/** RFC 6749 2.3.1: the Basic user and password are form-urlencoded before Base64. */
function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

function basicCredentials(
  header: string | undefined,
): { clientId: string; clientSecret: string } | 'malformed' | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return /^Basic\b/i.test(header) ? 'malformed' : undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return 'malformed';
  }
}

function issueToken(request: ApiRequest, services: HandlerServices): ApiResponse {
  if (mediaType(request.headers['content-type']) !== 'application/x-www-form-urlencoded') {
    return oauthError(
      400,
      'invalid_request',
      'the token request must be a form: send Content-Type: application/x-www-form-urlencoded',
    );
  }
  const form = new URLSearchParams(request.rawBody.toString('utf8'));
  for (const name of ['grant_type', 'client_id', 'client_secret']) {
    if (form.getAll(name).length > 1) {
      return oauthError(400, 'invalid_request', `the parameter ${name} is given more than once`);
    }
  }
  const grantType = form.get('grant_type');
  if (grantType === null) {
    return oauthError(400, 'invalid_request', 'grant_type is missing (use client_credentials)');
  }
  if (grantType !== 'client_credentials') {
    return oauthError(
      400,
      'unsupported_grant_type',
      `grant_type ${grantType} is not supported (use client_credentials)`,
    );
  }
  const basic = basicCredentials(request.headers.authorization);
  if (basic === 'malformed') {
    return oauthError(400, 'invalid_request', 'the Basic authorization header is malformed');
  }
  const formId = form.get('client_id');
  const formSecret = form.get('client_secret');
  if (basic && formSecret !== null) {
    return oauthError(
      400,
      'invalid_request',
      'use one client authentication method: HTTP Basic or form fields, not both',
    );
  }
  if (basic && formId !== null && formId !== basic.clientId) {
    return oauthError(400, 'invalid_request', 'client_id disagrees with the Basic credentials');
  }
  const credentials =
    basic ??
    (formId !== null && formSecret !== null
      ? { clientId: formId, clientSecret: formSecret }
      : undefined);
  const challenge = basic ? { 'www-authenticate': 'Basic realm="cxone"' } : undefined;
  if (!credentials) {
    return oauthError(
      401,
      'invalid_client',
      'client authentication is missing: send HTTP Basic credentials or client_id and client_secret',
      { 'www-authenticate': 'Basic realm="cxone"' },
    );
  }
  if (!services.tokens.authenticate(credentials.clientId, credentials.clientSecret)) {
    return oauthError(401, 'invalid_client', 'unknown client or wrong client secret', challenge);
  }
  const { token, expiresIn } = services.tokens.issue(credentials.clientId);
  const body: TokenResponse = {
    access_token: token,
    token_type: 'Bearer',
    expires_in: expiresIn,
  };
  return json(200, body, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

/** The token endpoint's one method. */
export const tokenMethods: Record<string, MethodSpec> = {
  POST: { handle: issueToken, auth: false, body: 'raw' },
};
