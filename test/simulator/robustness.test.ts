import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATHS, codeBody, httpText, rawExchange, startHarness, type Harness } from './harness.js';

describe('simulator: robustness against any request', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    token = await h.token();
  });
  afterAll(async () => {
    await h.sim.stop();
  });

  const auth = () => ({ authorization: `Bearer ${token}` });

  it.each([
    ['invalid JSON', '{"code":', 'application/json'],
    ['an empty body', '', 'application/json'],
    ['a text/plain body', JSON.stringify([codeBody('RES_001')]), 'text/plain'],
    [
      'a non-UTF-8 charset',
      JSON.stringify([codeBody('RES_001')]),
      'application/json; charset=latin1',
    ],
  ])('answers %s with 400 MALFORMED_REQUEST', async (_label, raw, contentType) => {
    const response = await h.send('POST', PATHS.codes, {
      raw,
      headers: { 'content-type': contentType },
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ code: 'MALFORMED_REQUEST' });
    expect((response.json as { message: string }).message.length).toBeGreaterThan(10);
  });

  it('answers a body without a content type with 400', async () => {
    const exchange = await rawExchange(
      h.sim.port,
      httpText('POST', PATHS.codes, auth(), JSON.stringify([codeBody('RES_001')])),
    );
    expect(exchange.received).toMatch(/^HTTP\/1\.1 400/);
    expect(exchange.received).toContain('MALFORMED_REQUEST');
  });

  it('answers invalid UTF-8 with 400', async () => {
    const response = await h.send('POST', PATHS.codes, {
      raw: Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
  });

  it('accepts application/json with charset=utf-8 and +json media types', async () => {
    for (const [code, contentType] of [
      ['CT_1', 'application/json; charset=UTF-8'],
      ['CT_2', 'application/vnd.cxone+json'],
    ] as const) {
      const response = await h.send('POST', PATHS.codes, {
        raw: JSON.stringify([codeBody(code)]),
        headers: { 'content-type': contentType },
      });
      expect(response.status).toBe(200);
    }
  });

  it('answers a body over 1 MiB with 413, by Content-Length and while streaming', async () => {
    const huge = JSON.stringify([
      codeBody('RES_001', { description: 'x'.repeat(2 * 1024 * 1024) }),
    ]);
    const declared = await h.send('POST', PATHS.codes, { raw: huge });
    expect(declared.status).toBe(413);
    expect(declared.json).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const chunked = await rawExchange(
      h.sim.port,
      `POST ${PATHS.codes} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `${(2 * 1024 * 1024).toString(16)}\r\n${huge.slice(0, 2 * 1024 * 1024)}\r\n0\r\n\r\n`,
    );
    expect(chunked.received).toMatch(/^HTTP\/1\.1 413/);
    expect(chunked.ended).not.toBe('timeout');
  });

  it('answers unknown routes with 404 ROUTE_NOT_FOUND and a wrong method with 405 and Allow', async () => {
    for (const path of ['/', '/api', '/api/v2/nothing', `${PATHS.codes}/`, `${PATHS.codes}/a/b`]) {
      const response = await h.send('GET', path);
      expect(response.status, path).toBe(404);
      expect(response.json).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    }
    const wrong = await h.send('PATCH', PATHS.code('wuc-000001'), { body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, PUT, DELETE');
    expect(wrong.json).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers broken percent-encoding in a path parameter with 400', async () => {
    const response = await h.send('GET', `${PATHS.codes}/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ code: 'MALFORMED_REQUEST' });
  });

  it('serves HEAD like GET without a body', async () => {
    const exchange = await rawExchange(h.sim.port, httpText('HEAD', PATHS.campaigns, auth()));
    expect(exchange.received).toMatch(/^HTTP\/1\.1 200/);
    expect(exchange.received.split('\r\n\r\n')[1]).toBe('');
  });

  it('answers garbage that is not HTTP with 400 and closes the connection', async () => {
    const exchange = await rawExchange(h.sim.port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(exchange.received).toMatch(/^HTTP\/1\.1 400/);
    expect(exchange.ended).not.toBe('timeout');
  });

  it('answers a header block over the limit with 431', async () => {
    const exchange = await rawExchange(
      h.sim.port,
      httpText('GET', PATHS.campaigns, { ...auth(), 'x-padding': 'p'.repeat(20_000) }),
    );
    expect(exchange.received).toMatch(/^HTTP\/1\.1 431/);
    expect(exchange.ended).not.toBe('timeout');
  });

  it('survives a client that disconnects mid-body, and keeps serving', async () => {
    const exchange = await rawExchange(
      h.sim.port,
      `POST ${PATHS.codes} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[{"code"`,
      300,
    );
    expect(exchange.ended).toBe('timeout');
    const after = await h.send('GET', PATHS.campaigns);
    expect(after.status).toBe(200);
  });

  it('answers JSON values that are not the expected shape with 422, not a crash', async () => {
    for (const raw of ['null', '42', '"text"', '{}', '[null]', '[[1]]']) {
      const response = await h.send('POST', PATHS.codes, {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, raw).toBe(422);
    }
    for (const raw of ['null', '[]', '"x"']) {
      const response = await h.send('POST', PATHS.rules('cmp-1'), {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, raw).toBe(422);
    }
  });

  it('turns a handler failure into 500 INTERNAL_ERROR, reports it, and keeps serving', async () => {
    const reported: unknown[] = [];
    const broken = await startHarness({ onError: (error) => reported.push(error) });
    try {
      // Simulate a bug: one store read throws.
      broken.sim.simulator.store.listCampaigns = () => {
        throw new Error('simulated bug');
      };
      const response = await broken.send('GET', PATHS.campaigns);
      expect(response.status).toBe(500);
      expect(response.json).toMatchObject({ code: 'INTERNAL_ERROR' });
      expect(response.text).not.toContain('simulated bug');
      expect(reported).toEqual([new Error('simulated bug')]);
      expect((await broken.send('GET', PATHS.categories)).status).toBe(200);
    } finally {
      await broken.sim.stop();
    }
  });

  it('still answers normally after all of the above', async () => {
    const response = await h.send('GET', PATHS.categories);
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toMatch(/^req-\d+$/);
  });
});
