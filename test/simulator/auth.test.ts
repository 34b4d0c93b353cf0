import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATHS, rawRequest, startHarness, type Harness } from './harness.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('simulator: OAuth2 client credentials and bearer tokens', () => {
  let h: Harness;
  let now = Date.UTC(2026, 2, 1);
  beforeAll(async () => {
    h = await startHarness({
      clientId: 'tenant a',
      clientSecret: 's3cret:with&odd=chars',
      tokenTtlSeconds: 60,
      clock: () => now,
    });
  });
  afterAll(async () => {
    await h.sim.stop();
  });

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const tokenRequest = (path: string, raw: string, headers: Record<string, string> = FORM) =>
    rawRequest(h.sim.url, 'POST', path, { headers, raw });

  it('issues a token for form credentials at /oauth/token and /oauth2/token', async () => {
    for (const path of ['/oauth/token', '/oauth2/token']) {
      const response = await tokenRequest(
        path,
        form({
          grant_type: 'client_credentials',
          client_id: 'tenant a',
          client_secret: 's3cret:with&odd=chars',
        }),
      );
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
      expect((response.json as { access_token: string }).access_token).toMatch(/^sim_/);
    }
  });

  it('issues a token for HTTP Basic credentials (form-urlencoded user and password)', async () => {
    const response = await tokenRequest('/oauth2/token', 'grant_type=client_credentials', {
      ...FORM,
      authorization: basic('tenant a', 's3cret:with&odd=chars'),
    });
    expect(response.status).toBe(200);
  });

  it('refuses wrong credentials with 401 invalid_client', async () => {
    const viaForm = await tokenRequest(
      '/oauth2/token',
      form({ grant_type: 'client_credentials', client_id: 'tenant a', client_secret: 'wrong' }),
    );
    expect(viaForm.status).toBe(401);
    expect(viaForm.json).toMatchObject({ code: 'invalid_client', error: 'invalid_client' });
    const viaBasic = await tokenRequest('/oauth2/token', 'grant_type=client_credentials', {
      ...FORM,
      authorization: basic('tenant a', 'wrong'),
    });
    expect(viaBasic.status).toBe(401);
    expect(viaBasic.headers['www-authenticate']).toBe('Basic realm="cxone"');
    const none = await tokenRequest('/oauth2/token', 'grant_type=client_credentials');
    expect(none.status).toBe(401);
    expect(none.text).not.toContain('s3cret');
  });

  it('refuses malformed token requests with 400 in RFC 6749 shape', async () => {
    const unsupported = await tokenRequest(
      '/oauth2/token',
      form({ grant_type: 'password', client_id: 'tenant a', client_secret: 'x' }),
    );
    expect(unsupported.status).toBe(400);
    expect(unsupported.json).toMatchObject({
      code: 'unsupported_grant_type',
      error: 'unsupported_grant_type',
    });
    expect((unsupported.json as { error_description: string }).error_description).toMatch(
      /client_credentials/,
    );
    const missing = await tokenRequest('/oauth2/token', 'client_id=a&client_secret=b');
    expect(missing.json).toMatchObject({ error: 'invalid_request' });
    const json = await tokenRequest('/oauth2/token', '{"grant_type":"client_credentials"}', {
      'content-type': 'application/json',
    });
    expect(json.status).toBe(400);
    expect(json.json).toMatchObject({ error: 'invalid_request' });
    const both = await tokenRequest(
      '/oauth2/token',
      form({ grant_type: 'client_credentials', client_secret: 'x' }),
      { ...FORM, authorization: basic('tenant a', 's3cret:with&odd=chars') },
    );
    expect(both.status).toBe(400);
    const repeated = await tokenRequest(
      '/oauth2/token',
      'grant_type=client_credentials&grant_type=client_credentials',
    );
    expect(repeated.status).toBe(400);
    const badBasic = await tokenRequest('/oauth2/token', 'grant_type=client_credentials', {
      ...FORM,
      authorization: `Basic ${Buffer.from('no-colon').toString('base64')}`,
    });
    expect(badBasic.status).toBe(400);
  });

  it('answers 405 with Allow for GET on the token endpoint', async () => {
    const response = await rawRequest(h.sim.url, 'GET', '/oauth2/token');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });

  it('answers 401 with WWW-Authenticate: Bearer when no token is sent', async () => {
    const response = await h.send('GET', PATHS.campaigns, { token: null });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json).toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('answers 401 invalid_token for an unknown token', async () => {
    const response = await h.send('GET', PATHS.campaigns, { token: 'sim_forged' });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('expires tokens after their TTL on the simulated clock', async () => {
    const token = await h.token();
    expect((await h.send('GET', PATHS.campaigns, { token })).status).toBe(200);
    now += 59_000;
    expect((await h.send('GET', PATHS.campaigns, { token })).status).toBe(200);
    now += 1_000;
    const expired = await h.send('GET', PATHS.campaigns, { token });
    expect(expired.status).toBe(401);
    expect(expired.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect((expired.json as { message: string }).message).toMatch(/expired/);
  });

  it('expires every token on POST /__sim/tokens/expire and when the clock is advanced', async () => {
    let token = await h.token();
    const expire = await rawRequest(h.sim.url, 'POST', '/__sim/tokens/expire');
    expect(expire.status).toBe(200);
    expect((await h.send('GET', PATHS.campaigns, { token })).status).toBe(401);

    token = await h.token();
    const advanced = await rawRequest(h.sim.url, 'POST', '/__sim/clock', {
      headers: { 'content-type': 'application/json' },
      raw: JSON.stringify({ advanceMs: 61_000 }),
    });
    expect(advanced.json).toMatchObject({ offsetMs: 61_000 });
    expect((await h.send('GET', PATHS.campaigns, { token })).status).toBe(401);
  });

  it('uses a new TTL for tokens issued after PUT /__sim/config', async () => {
    const changed = await rawRequest(h.sim.url, 'PUT', '/__sim/config', {
      headers: { 'content-type': 'application/json' },
      raw: JSON.stringify({ tokenTtlSeconds: 5 }),
    });
    expect(changed.json).toMatchObject({ tokenTtlSeconds: 5 });
    const response = await tokenRequest(
      '/oauth2/token',
      form({
        grant_type: 'client_credentials',
        client_id: 'tenant a',
        client_secret: 's3cret:with&odd=chars',
      }),
    );
    expect(response.json).toMatchObject({ expires_in: 5 });
  });
});
