import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BatchCreateResult, Page, WrapUpCode } from '../../src/cxone/types.js';
import { PATHS, codeBody, startHarness, type Harness } from './harness.js';

type CodePage = Page<WrapUpCode>;

describe('simulator: wrap-up codes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.stop();
  });
  beforeEach(() => {
    h.sim.reset();
  });

  /** Create `count` codes C0000..C{count-1} through the API, 100 per batch. */
  async function createCodes(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < count; start += 100) {
      const batch = Array.from({ length: Math.min(100, count - start) }, (_, i) =>
        codeBody(`C${String(start + i).padStart(4, '0')}`),
      );
      const response = await h.send('POST', PATHS.codes, { body: batch });
      expect(response.status).toBe(200);
      const result = response.json as BatchCreateResult;
      expect(result.errors).toEqual([]);
      ids.push(...(result.ids as string[]));
    }
    return ids;
  }

  describe('pagination', () => {
    it('answers an empty tenant with an empty first page', async () => {
      const response = await h.send('GET', PATHS.codes);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ items: [], page: 1, pageSize: 100, totalCount: 0 });
    });

    it('pages an exact multiple of the page size: full pages, then an empty one', async () => {
      await createCodes(10);
      const pages: CodePage[] = [];
      for (let page = 1; page <= 3; page++) {
        const response = await h.send('GET', `${PATHS.codes}?page=${page}&pageSize=5`);
        pages.push(response.json as CodePage);
      }
      expect(pages.map((p) => p.items.length)).toEqual([5, 5, 0]);
      expect(pages.every((p) => p.totalCount === 10 && p.pageSize === 5)).toBe(true);
      expect(pages.flatMap((p) => p.items.map((c) => c.code))).toEqual(
        Array.from({ length: 10 }, (_, i) => `C000${i}`),
      );
    });

    it('returns a short last page and an empty page past the end', async () => {
      await createCodes(7);
      const last = (await h.send('GET', `${PATHS.codes}?page=2&pageSize=5`)).json as CodePage;
      expect(last.items.map((c) => c.code)).toEqual(['C0005', 'C0006']);
      const past = (await h.send('GET', `${PATHS.codes}?page=99&pageSize=5`)).json as CodePage;
      expect(past).toEqual({ items: [], page: 99, pageSize: 5, totalCount: 7 });
    });

    it('serves the largest page (500) and keeps creation order across pages', async () => {
      await createCodes(600);
      const first = (await h.send('GET', `${PATHS.codes}?pageSize=500`)).json as CodePage;
      const second = (await h.send('GET', `${PATHS.codes}?page=2&pageSize=500`)).json as CodePage;
      expect(first.items).toHaveLength(500);
      expect(second.items.map((c) => c.code)[0]).toBe('C0500');
      expect(second.items).toHaveLength(100);
    });

    it.each([
      ['page=0'],
      ['page=-1'],
      ['page=1.5'],
      ['page=abc'],
      ['pageSize=0'],
      ['pageSize=501'],
      ['pageSize='],
      ['page=1&page=2'],
    ])('refuses ?%s with 400 INVALID_QUERY', async (query) => {
      const response = await h.send('GET', `${PATHS.codes}?${query}`);
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ code: 'INVALID_QUERY' });
    });
  });

  describe('batch create', () => {
    it('fills defaults and assigns ids and version 1', async () => {
      const response = await h.send('POST', PATHS.codes, {
        body: [
          codeBody('RES_001', { description: '' }),
          codeBody('RES_002', { description: null }),
        ],
      });
      expect(response.json).toEqual({ ids: ['wuc-000001', 'wuc-000002'], errors: [] });
      const code = (await h.send('GET', PATHS.code('wuc-000001'))).json;
      expect(code).toEqual({
        id: 'wuc-000001',
        version: 1,
        code: 'RES_001',
        name: 'Name of RES_001',
        category: 'Resolution',
        duration: 300,
        isActive: true,
        isDefault: false,
      });
    });

    it('reports per-item failures and creates the rest, in order', async () => {
      await h.send('POST', PATHS.codes, { body: [codeBody('TAKEN', { isDefault: true })] });
      const response = await h.send('POST', PATHS.codes, {
        body: [
          codeBody('NEW_1'),
          codeBody('TAKEN'),
          codeBody('NEW_2', { category: 'No Such Category' }),
          codeBody('NEW_3', { isDefault: true }),
          codeBody('NEW_4', { category: 'Sales', isDefault: true }),
          codeBody('NEW_5', { category: 'Sales', isDefault: true }),
        ],
      });
      expect(response.status).toBe(200);
      const result = response.json as BatchCreateResult;
      expect(result.ids).toEqual(['wuc-000002', null, null, null, 'wuc-000003', null]);
      expect(result.errors.map((e) => [e.index, e.code])).toEqual([
        [1, 'CODE_EXISTS'],
        [2, 'CATEGORY_NOT_FOUND'],
        [3, 'DEFAULT_CONFLICT'],
        [5, 'DEFAULT_CONFLICT'],
      ]);
      expect(result.errors.every((e) => e.message.length > 0)).toBe(true);
      expect(h.sim.state().wrapUpCodes.map((c) => c.code)).toEqual(['TAKEN', 'NEW_1', 'NEW_4']);
    });

    it('refuses a batch that holds the same code twice with 422 and creates nothing', async () => {
      await h.send('POST', PATHS.codes, { body: [codeBody('TAKEN')] });
      const response = await h.send('POST', PATHS.codes, {
        body: [
          codeBody('NEW_1'),
          codeBody('TAKEN'),
          codeBody('NEW_2'),
          codeBody('NEW_1', { name: 'Second spelling' }),
          codeBody('TAKEN'),
        ],
      });
      expect(response.status).toBe(422);
      expect(response.json).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [
          { field: '/3/code', message: 'code NEW_1 is also item 0' },
          { field: '/4/code', message: 'code TAKEN is also item 1' },
        ],
      });
      expect(h.sim.state().wrapUpCodes.map((c) => c.code)).toEqual(['TAKEN']);
      // Without the repeat, the same codes are a normal batch: per-item errors for what exists.
      const fixed = await h.send('POST', PATHS.codes, {
        body: [codeBody('NEW_1'), codeBody('TAKEN'), codeBody('NEW_2')],
      });
      expect(fixed.status).toBe(200);
      expect((fixed.json as BatchCreateResult).errors.map((e) => [e.index, e.code])).toEqual([
        [1, 'CODE_EXISTS'],
      ]);
      expect(h.sim.state().wrapUpCodes.map((c) => c.code)).toEqual(['TAKEN', 'NEW_1', 'NEW_2']);
    });

    it('refuses a batch with any schema violation with 422 and creates nothing', async () => {
      const response = await h.send('POST', PATHS.codes, {
        body: [
          codeBody('GOOD_1'),
          codeBody('bad code'),
          codeBody('GOOD_2', { duration: 0 }),
          codeBody('GOOD_3', { duration: 7201 }),
          codeBody('GOOD_4', { duration: 1.5 }),
          codeBody('GOOD_5', { name: '' }),
          codeBody('GOOD_6', { name: 'x'.repeat(101) }),
          codeBody('GOOD_7', { description: 'd'.repeat(501) }),
          codeBody('GOOD_8', { isActive: 'yes' }),
          codeBody('GOOD_9', { colour: 'blue' }),
          { name: 'no code', category: 'Sales', duration: 5 },
          'not an object',
        ],
      });
      expect(response.status).toBe(422);
      const body = response.json as { code: string; details: { field: string }[] };
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.details.map((d) => d.field)).toEqual([
        '/1/code',
        '/2/duration',
        '/3/duration',
        '/4/duration',
        '/5/name',
        '/6/name',
        '/7/description',
        '/8/isActive',
        '/9/colour',
        '/10/code',
        '/11',
      ]);
      expect(h.sim.state().wrapUpCodes).toEqual([]);
    });

    it('accepts the limits exactly: duration 1 and 7200, name of 100, description of 500', async () => {
      const response = await h.send('POST', PATHS.codes, {
        body: [
          codeBody('AB', { duration: 1, name: 'n'.repeat(100) }),
          codeBody('A'.repeat(32), { duration: 7200, description: 'd'.repeat(500) }),
        ],
      });
      expect((response.json as BatchCreateResult).errors).toEqual([]);
    });

    it.each([
      ['an object', { code: 'X' }],
      ['an empty array', []],
      ['101 items', Array.from({ length: 101 }, (_, i) => codeBody(`C${i}`))],
    ])('refuses %s as the batch with 422 and creates nothing', async (_label, body) => {
      const response = await h.send('POST', PATHS.codes, { body });
      expect(response.status).toBe(422);
      expect(response.json).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: '' }] });
      expect(h.sim.state().wrapUpCodes).toEqual([]);
    });

    it('accepts exactly 100 items', async () => {
      const ids = await createCodes(100);
      expect(ids).toHaveLength(100);
    });
  });

  describe('single object', () => {
    it('GET answers the code with an ETag, and 404 NOT_FOUND for an unknown id', async () => {
      const [id] = await createCodes(1);
      const found = await h.send('GET', PATHS.code(id!));
      expect(found.headers.etag).toBe('"1"');
      const missing = await h.send('GET', PATHS.code('wuc-999999'));
      expect(missing.status).toBe(404);
      expect(missing.json).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('PUT replaces the fields and increments the version on every write', async () => {
      const [id] = await createCodes(1);
      const first = await h.send('PUT', PATHS.code(id!), {
        body: codeBody('C0000', { name: 'Renamed', isActive: false }),
        headers: { 'if-match': '"1"' },
      });
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"2"');
      expect(first.json).toMatchObject({ id, version: 2, name: 'Renamed', isActive: false });
      const second = await h.send('PUT', PATHS.code(id!), { body: codeBody('C0000') });
      expect(second.json).toMatchObject({ version: 3, name: 'Name of C0000', isActive: true });
      const renamed = await h.send('PUT', PATHS.code(id!), { body: codeBody('NEW_CODE') });
      expect(renamed.json).toMatchObject({ version: 4, code: 'NEW_CODE' });
      // The old code is free again.
      const reuse = await h.send('POST', PATHS.codes, { body: [codeBody('C0000')] });
      expect((reuse.json as BatchCreateResult).errors).toEqual([]);
    });

    it.each([['"1"'], ['1'], ['W/"1"'], ['*'], ['"7", "1"']])(
      'accepts If-Match %s for the current version',
      async (ifMatch) => {
        const [id] = await createCodes(1);
        const response = await h.send('PUT', PATHS.code(id!), {
          body: codeBody('C0000'),
          headers: { 'if-match': ifMatch },
        });
        expect(response.status).toBe(200);
      },
    );

    it('answers 412 VERSION_MISMATCH for a stale If-Match on PUT and DELETE, changing nothing', async () => {
      const [id] = await createCodes(1);
      await h.send('PUT', PATHS.code(id!), { body: codeBody('C0000', { name: 'v2' }) });
      for (const ifMatch of ['"1"', 'garbage']) {
        const put = await h.send('PUT', PATHS.code(id!), {
          body: codeBody('C0000', { name: 'lost update' }),
          headers: { 'if-match': ifMatch },
        });
        expect(put.status).toBe(412);
        expect(put.json).toMatchObject({
          code: 'VERSION_MISMATCH',
          details: { currentVersion: 2 },
        });
        expect(put.headers.etag).toBe('"2"');
      }
      const del = await h.send('DELETE', PATHS.code(id!), { headers: { 'if-match': '"1"' } });
      expect(del.status).toBe(412);
      expect(h.sim.state().wrapUpCodes[0]).toMatchObject({ name: 'v2', version: 2 });
    });

    it('PUT enforces the server rules: 422 schema and unknown category, 409 code taken or second default', async () => {
      const [a, b] = await createCodes(2);
      await h.send('PUT', PATHS.code(a!), { body: codeBody('C0000', { isDefault: true }) });
      const schema = await h.send('PUT', PATHS.code(b!), {
        body: codeBody('C0001', { duration: 0 }),
      });
      expect(schema.status).toBe(422);
      expect(schema.json).toMatchObject({ details: [{ field: '/duration' }] });
      const category = await h.send('PUT', PATHS.code(b!), {
        body: codeBody('C0001', { category: 'Nope' }),
      });
      expect(category.status).toBe(422);
      expect(category.json).toMatchObject({ details: [{ field: '/category' }] });
      const taken = await h.send('PUT', PATHS.code(b!), { body: codeBody('C0000') });
      expect(taken.status).toBe(409);
      expect(taken.json).toMatchObject({ code: 'CODE_EXISTS' });
      const secondDefault = await h.send('PUT', PATHS.code(b!), {
        body: codeBody('C0001', { isDefault: true }),
      });
      expect(secondDefault.status).toBe(409);
      expect(secondDefault.json).toMatchObject({ code: 'DEFAULT_CONFLICT' });
      // Clearing the old default first makes room for the new one.
      await h.send('PUT', PATHS.code(a!), { body: codeBody('C0000', { isDefault: false }) });
      const moved = await h.send('PUT', PATHS.code(b!), {
        body: codeBody('C0001', { isDefault: true }),
      });
      expect(moved.status).toBe(200);
      // Re-saving the default itself is not a conflict.
      const again = await h.send('PUT', PATHS.code(b!), {
        body: codeBody('C0001', { isDefault: true, name: 'still default' }),
      });
      expect(again.status).toBe(200);
      expect(h.sim.state().wrapUpCodes.map((c) => c.version)).toEqual([3, 3]);
    });

    it('PUT and DELETE of an unknown id answer 404', async () => {
      const put = await h.send('PUT', PATHS.code('wuc-000404'), { body: codeBody('X1') });
      expect(put.status).toBe(404);
      const del = await h.send('DELETE', PATHS.code('wuc-000404'));
      expect(del.status).toBe(404);
    });

    it('DELETE answers 204, the code is gone, and its id is never handed out again', async () => {
      const [id] = await createCodes(1);
      const del = await h.send('DELETE', PATHS.code(id!), { headers: { 'if-match': '"1"' } });
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect((await h.send('GET', PATHS.code(id!))).status).toBe(404);
      const again = await h.send('POST', PATHS.codes, { body: [codeBody('C0000')] });
      expect((again.json as BatchCreateResult).ids).toEqual(['wuc-000002']);
    });
  });
});
