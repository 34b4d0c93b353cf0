/**
 * A hostile or broken server: a small real HTTP server on 127.0.0.1 answers every API read with
 * one broken body, and the real client (and the built CLI's `plan`) must fail with exit 1 and
 * "GET <route> answered <status> with a body that is not <what>", in bounded time and memory.
 * Each case prints how long it took to fail (figures for the docs; nothing asserts on them).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/cxone/client.js';
import { CxctlError } from '../../src/errors.js';
import { builtCli } from '../helpers/built.js';

type Hostile = (response: ServerResponse) => void;

const json =
  (body: string, type = 'application/json'): Hostile =>
  (response) => {
    response.writeHead(200, { 'content-type': type });
    response.end(body);
  };

const ONE_CODE =
  '{"id":"w1","version":1,"code":"A1","name":"n","category":"Sales","duration":1,"isActive":true,"isDefault":false}';
const page = (items: string, totalCount: number): string =>
  `{"items":${items},"page":1,"pageSize":500,"totalCount":${totalCount}}`;

/** Streams zeros until the client hangs up (or 100 MB), without holding them in memory. */
const hugeBody: Hostile = (response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = (): void => {
    while (sent < 100 * 1024 * 1024) {
      sent += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    response.end();
  };
  response.on('close', () => response.removeAllListeners('drain'));
  pump();
};

/** Each hostile answer, what the message must say, and whether the built CLI's plan is run. */
const CASES: { name: string; answer: Hostile; not: RegExp; cli?: boolean }[] = [
  {
    name: 'truncated JSON',
    answer: json('{"items":[{"id":'),
    not: /not JSON \(it ends/,
    cli: true,
  },
  {
    name: 'an HTML page with 200',
    answer: json('<html><body>Sign in</body></html>', 'text/html; charset=utf-8'),
    not: /not JSON \(it was sent as text\/html\)/,
    cli: true,
  },
  {
    name: 'JSON sent as text/plain',
    answer: json(page(`[${ONE_CODE}]`, 1), 'text/plain'),
    not: /not JSON \(it was sent as text\/plain\)/,
  },
  {
    name: 'items that is not a list',
    answer: json(page('{}', 1)),
    not: /not a (page|list) of .* \(\/items is an object, not a list\)/,
  },
  {
    name: 'a null item',
    answer: json(page(`[${ONE_CODE},null]`, 2)),
    not: /not a (page|list) of .* \(\/items\/\d is null, not an object\)/,
  },
  {
    name: 'totalCount 1000000000 with empty pages',
    answer: json(page('[]', 1_000_000_000)),
    not: /not a believable page \(page 1 is empty, but totalCount is 1000000000\)/,
    cli: true,
  },
  {
    name: 'a 100 MB body',
    answer: hugeBody,
    not: /not within cxctl's limit of 8 MiB per response/,
    cli: true,
  },
];

/** The body every API read gets; set per case. */
let hostile: Hostile = json('{}');
/** The token answer; a case may replace it. */
let tokenAnswer: Hostile = json(
  '{"access_token":"tok-ok","token_type":"Bearer","expires_in":3600}',
);

function handle(request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  if (request.method === 'POST' && request.url?.startsWith('/oauth/token')) {
    tokenAnswer(response);
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  // Unpaginated lists answer a valid empty list, so the paginated reads meet the hostile body
  // (except where the case is about every list).
  if (/\/(categories|campaigns|dnc\/lists)$/.test(url.pathname) && hostileEverywhere === false) {
    json('{"items":[]}')(response);
    return;
  }
  hostile(response);
}
let hostileEverywhere = false;

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const newClient = () =>
  createClient(
    { apiBase: base, tokenUrl: `${base}/oauth/token`, clientId: 'id', clientSecret: 'secret-xyz' },
    { rateLimit: 1000, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } },
  );

async function failureOf(task: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await task();
  } catch (error: unknown) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected the read to fail');
}

const ROUTE = /^GET \/api\/v2\/\S+ answered 200 with a body that is not /;

describe('hostile answers to the client', () => {
  for (const testCase of CASES) {
    it(`fails clearly on ${testCase.name}`, async () => {
      hostile = testCase.answer;
      hostileEverywhere = false;
      const client = newClient();
      try {
        const { error, ms } = await failureOf(() => client.wrapUpCodes.list());
        expect(error).toBeInstanceOf(CxctlError);
        const message = (error as Error).message;
        expect(message).toMatch(ROUTE);
        expect(message).toMatch(testCase.not);
        expect((error as CxctlError).code).toBe('API_MALFORMED_RESPONSE');
        console.log(`hostile client: ${testCase.name}: failed in ${ms.toFixed(0)} ms`);
      } finally {
        await client.close();
      }
    });
  }

  it('validates the unpaginated lists too', async () => {
    hostile = json('{"items":[null]}');
    hostileEverywhere = true;
    const client = newClient();
    try {
      const { error } = await failureOf(() => client.categories.list());
      expect((error as Error).message).toBe(
        'GET /api/v2/contact-center/interaction-config/categories answered 200 with a body that is not a list of categories (/items/0 is null, not an object)',
      );
    } finally {
      hostileEverywhere = false;
      await client.close();
    }
  });

  it('names CXONE_TOKEN_URL when the token endpoint answers a sign-in page', async () => {
    tokenAnswer = json('<html><body>Sign in</body></html>', 'text/html');
    const client = newClient();
    try {
      const { error } = await failureOf(() => client.wrapUpCodes.list());
      expect((error as Error).message).toMatch(
        /^POST \/oauth\/token answered 200 with a body that is not JSON \(it was sent as text\/html\)/,
      );
      expect((error as CxctlError).hint).toMatch(/^check CXONE_TOKEN_URL /);
    } finally {
      tokenAnswer = json('{"access_token":"tok-ok","token_type":"Bearer","expires_in":3600}');
      await client.close();
    }
  });

  it('refuses an access_token holding CR/LF without showing it', async () => {
    tokenAnswer = json(
      '{"access_token":"tok-abc\\r\\nX-Injected: 1","token_type":"Bearer","expires_in":3600}',
    );
    hostile = json(page(`[${ONE_CODE}]`, 1));
    const client = newClient();
    try {
      const { error, ms } = await failureOf(() => client.wrapUpCodes.list());
      const message = (error as Error).message;
      expect(message).toBe(
        'POST /oauth/token answered 200 with a body that is not a token response (access_token holds characters an HTTP header cannot carry)',
      );
      expect(message).not.toContain('tok-abc');
      expect((error as CxctlError).hint).toMatch(
        /^check CXONE_TOKEN_URL .* the CXone token endpoint/,
      );
      console.log(`hostile client: CR/LF in access_token: failed in ${ms.toFixed(0)} ms`);
    } finally {
      tokenAnswer = json('{"access_token":"tok-ok","token_type":"Bearer","expires_in":3600}');
      await client.close();
    }
  });
});

describe('hostile answers to the built CLI', () => {
  const bin = builtCli();
  const dir = mkdtempSync(join(tmpdir(), 'cxctl-hostile-'));
  writeFileSync(
    join(dir, 'codes.yaml'),
    'version: 1\nwrapUpCodes:\n  - { code: A1, name: n, category: Sales, duration: 1 }\n',
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const plan = (): Promise<{ code: number | null; stderr: string; ms: number }> =>
    new Promise((resolve) => {
      const started = performance.now();
      const child = spawn(process.execPath, [bin, 'plan', 'codes.yaml', '--no-color'], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          CXONE_API_BASE: base,
          CXONE_CLIENT_ID: 'id',
          CXONE_CLIENT_SECRET: 'secret-xyz',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 30_000,
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stderr, ms: performance.now() - started }));
    });

  for (const testCase of CASES.filter((c) => c.cli)) {
    it(`plan exits 1 with the route on ${testCase.name}`, async () => {
      hostile = testCase.answer;
      hostileEverywhere = false;
      const result = await plan();
      expect(result.stderr).toMatch(
        /error: GET \/api\/v2\/\S+ answered 200 with a body that is not /,
      );
      expect(result.stderr).toMatch(testCase.not);
      expect(result.stderr).not.toMatch(/internal error/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.code).toBe(1);
      console.log(
        `hostile plan: ${testCase.name}: exit ${result.code} in ${result.ms.toFixed(0)} ms`,
      );
    });
  }
});
