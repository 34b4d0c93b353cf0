import { afterEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  VersionMismatchError,
} from '../../src/cxone/errors.js';
import type { ComplianceRuleFields } from '../../src/cxone/types.js';
import { count, makeCodes, startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected the call to fail');
}

const CODES = '/api/v2/contact-center/interaction-config/wrap-up-codes';

describe('CXone client against the simulator', () => {
  it('reads and writes wrap-up codes with one token for the whole run', async () => {
    harness = await startHarness();
    const { client } = harness;
    const categories = await client.categories.list();
    expect(categories.map((c) => c.name)).toContain('Resolution');
    expect(await client.wrapUpCodes.list()).toEqual([]);

    const created = await client.wrapUpCodes.createBatch(makeCodes(3), {
      idempotencyKey: 'k-create',
    });
    expect(created.value.errors).toEqual([]);
    expect(created.value.ids).toHaveLength(3);
    expect(created.meta).toMatchObject({ method: 'POST', status: 200, attempts: 1 });
    expect(created.meta.requestBytes).toBeGreaterThan(100);

    const codes = await client.wrapUpCodes.list();
    expect(codes.map((c) => c.code)).toEqual(['C00000', 'C00001', 'C00002']);
    const first = codes[0]!;
    const updated = await client.wrapUpCodes.update(
      first.id,
      { ...first, duration: 999 },
      { version: first.version, idempotencyKey: 'k-update' },
    );
    expect(updated.value).toMatchObject({ duration: 999, version: first.version + 1 });
    expect(await client.wrapUpCodes.get(first.id)).toMatchObject({ duration: 999 });
    await client.wrapUpCodes.delete(codes[1]!.id, {
      version: codes[1]!.version,
      idempotencyKey: 'k-del',
    });
    expect((await client.wrapUpCodes.list()).map((c) => c.code)).toEqual(['C00000', 'C00002']);

    // Partial batch failures come back per item, not as an error.
    const partial = await client.wrapUpCodes.createBatch(
      [makeCodes(1)[0]!, { ...makeCodes(1, 'N')[0]!, category: 'No Such Category' }],
      { idempotencyKey: 'k-partial' },
    );
    expect(partial.value.ids).toEqual([null, null]);
    expect(partial.value.errors.map((e) => e.code)).toEqual(['CODE_EXISTS', 'CATEGORY_NOT_FOUND']);

    expect(client.stats()).toMatchObject({ tokenRequests: 1, failures: 0, retries: 0 });
    expect(count(harness, 'POST /oauth2/token')).toBe(1);
  });

  it('turns 412, 404 and 422 into typed errors a user can act on', async () => {
    harness = await startHarness();
    const { client } = harness;
    await client.wrapUpCodes.createBatch(makeCodes(1), { idempotencyKey: 'seed' });
    const [code] = await client.wrapUpCodes.list();
    await client.wrapUpCodes.update(
      code!.id,
      { ...code!, name: 'Changed elsewhere' },
      { version: code!.version },
    );

    const stale = await caught(
      client.wrapUpCodes.update(code!.id, { ...code!, duration: 5 }, { version: code!.version }),
    );
    expect(stale).toBeInstanceOf(VersionMismatchError);
    const mismatch = stale as VersionMismatchError;
    expect(mismatch.status).toBe(412);
    expect(mismatch.currentVersion).toBe(code!.version + 1);
    expect(mismatch.message).toBe(
      `PUT ${CODES}/${code!.id} failed with 412 VERSION_MISMATCH: the object was changed by someone else since it was read (${mismatch.apiMessage})`,
    );
    expect(mismatch.hint).toBe(
      'run cxctl plan again and review the new difference before applying',
    );

    const missing = await caught(client.wrapUpCodes.get('wuc-999999'));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).apiCode).toBe('NOT_FOUND');

    const invalid = await caught(
      client.wrapUpCodes.createBatch([{ ...makeCodes(1, 'X')[0]!, duration: 9000 }]),
    );
    expect(invalid).toBeInstanceOf(ValidationError);
    const validation = invalid as ValidationError;
    expect(validation.fieldErrors.map((f) => f.field)).toEqual(['/0/duration']);
    expect(validation.message).toMatch(
      new RegExp(
        `^POST ${CODES} failed with 422 VALIDATION_FAILED: the API rejected the values .*: /0/duration: `,
      ),
    );
  });

  it('manages the compliance rules of a campaign', async () => {
    harness = await startHarness();
    const { client } = harness;
    const campaigns = await client.campaigns.list();
    const campaign = campaigns.find((c) => c.name === 'Spring Renewals')!;
    const lists = await client.dncLists.list();
    const internal = lists.find((l) => l.name === 'Internal DNC')!;
    const rule: ComplianceRuleFields = {
      name: 'US-FCC calling hours',
      type: 'TIME_RESTRICTION',
      jurisdiction: 'US-FCC',
      timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
      dncListIds: [internal.id],
      maxCallsPerDay: 1,
      concurrencyLimit: 5,
      geographicExclusions: [],
    };
    const created = await client.rules.create(campaign.id, rule, { idempotencyKey: 'r1' });
    expect(created.meta.status).toBe(201);
    expect(created.value).toMatchObject({ ...rule, campaignId: campaign.id, version: 1 });

    const duplicate = await caught(
      client.rules.create(campaign.id, rule, { idempotencyKey: 'r2' }),
    );
    expect(duplicate).toBeInstanceOf(ConflictError);
    expect((duplicate as ConflictError).apiCode).toBe('RULE_NAME_EXISTS');
    expect((duplicate as ConflictError).mayHaveApplied).toBe(false);

    const tooMany = await caught(
      client.rules.create(campaign.id, { ...rule, name: 'Other', concurrencyLimit: 11 }),
    );
    expect(tooMany).toBeInstanceOf(ValidationError);
    expect((tooMany as ValidationError).fieldErrors).toEqual([
      { field: '/concurrencyLimit', message: expect.any(String) as string },
    ]);

    const updated = await client.rules.update(
      campaign.id,
      created.value.id,
      { ...created.value, maxCallsPerDay: 2 },
      { version: 1, idempotencyKey: 'r3' },
    );
    expect(updated.value).toMatchObject({ maxCallsPerDay: 2, version: 2 });
    expect(await client.rules.list(campaign.id)).toHaveLength(1);
    await client.rules.delete(campaign.id, created.value.id, { version: 2, idempotencyKey: 'r4' });
    expect(await client.rules.list(campaign.id)).toEqual([]);

    const unknown = await caught(client.rules.list('cmp-404'));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as NotFoundError).apiCode).toBe('CAMPAIGN_NOT_FOUND');
  });

  it('serves a replay for the same idempotency key and refuses it for another body', async () => {
    harness = await startHarness();
    const { client } = harness;
    const first = await client.wrapUpCodes.createBatch(makeCodes(2), { idempotencyKey: 'same' });
    const again = await client.wrapUpCodes.createBatch(makeCodes(2), { idempotencyKey: 'same' });
    expect(again.value).toEqual(first.value);
    expect(again.meta.replayed).toBe(true);
    const reused = await caught(
      client.wrapUpCodes.createBatch(makeCodes(3), { idempotencyKey: 'same' }),
    );
    expect((reused as Error).name).toBe('IdempotencyKeyReusedError');
    expect(await client.wrapUpCodes.list()).toHaveLength(2);
  });
});
