import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CxctlError } from '../../src/errors.js';
import { registerSecret } from '../../src/secrets.js';
import { AuditLog, type AuditRecord, type WriteAuditInput } from '../../src/notify/audit.js';
import type { DeliveryResult } from '../../src/notify/webhooks.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxctl-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fixedClock = { now: () => Date.parse('2026-03-03T01:30:00.250Z') };

const write = (overrides: Partial<WriteAuditInput> = {}): WriteAuditInput => ({
  kind: 'wrapUpCode',
  key: 'RES_001',
  action: 'create',
  idempotencyKey: 'cxctl-0123456789abcdef',
  status: 200,
  attempts: 1,
  latencyMs: 42,
  queuedMs: 3,
  requestBytes: 180,
  planDigest: 'd'.repeat(64),
  target: 'prod',
  outcome: 'success',
  ...overrides,
});

async function readLines(path: string): Promise<AuditRecord[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as AuditRecord);
}

describe('AuditLog', () => {
  it('writes one JSON line per write and per webhook delivery, told apart by `record`', async () => {
    const path = join(dir, 'audit.jsonl');
    const log = await AuditLog.open(path, { clock: fixedClock });
    await log.write(write());
    await log.write(
      write({
        key: 'RES_002',
        action: 'update',
        status: 412,
        outcome: 'conflict',
        error: { code: 'VERSION_MISMATCH', message: 'changed since the plan' },
      }),
    );
    const delivery: DeliveryResult = {
      endpoint: 'https://hooks.example.com/cxctl',
      event: 'apply.completed',
      webhookId: 'msg_0123',
      attempts: 2,
      status: 200,
      outcome: 'delivered',
      latencyMs: 310,
    };
    await log.webhook(delivery, { planDigest: 'd'.repeat(64), target: 'prod' });
    await log.close();

    const records = await readLines(path);
    expect(records).toEqual([
      { record: 'write', time: '2026-03-03T01:30:00.250Z', ...write() },
      {
        record: 'write',
        time: '2026-03-03T01:30:00.250Z',
        ...write({ key: 'RES_002', action: 'update', status: 412, outcome: 'conflict' }),
        error: { code: 'VERSION_MISMATCH', message: 'changed since the plan' },
      },
      {
        record: 'webhook',
        time: '2026-03-03T01:30:00.250Z',
        event: 'apply.completed',
        webhookId: 'msg_0123',
        endpoint: 'https://hooks.example.com/cxctl',
        attempts: 2,
        status: 200,
        outcome: 'delivered',
        latencyMs: 310,
        planDigest: 'd'.repeat(64),
        target: 'prod',
      },
    ]);
    // Owner-only: the log names objects, keys and endpoints.
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('appends to an existing log instead of replacing it', async () => {
    const path = join(dir, 'audit.jsonl');
    for (const key of ['A_1', 'A_2']) {
      const log = await AuditLog.open(path);
      await log.write(write({ key }));
      await log.close();
    }
    expect((await readLines(path)).map((r) => (r as { key: string }).key)).toEqual(['A_1', 'A_2']);
  });

  it('keeps every line whole and valid under many concurrent appends from two writers', async () => {
    const path = join(dir, 'audit.jsonl');
    const [a, b] = await Promise.all([AuditLog.open(path), AuditLog.open(path)]);
    const big = 'x'.repeat(8_000); // long lines, so a torn or interleaved write would show
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      writes.push(a.write(write({ key: `A_${i}`, error: { code: 'E', message: big } })));
      writes.push(b.write(write({ key: `B_${i}`, outcome: 'failed' })));
    }
    await Promise.all(writes);
    await Promise.all([a.close(), b.close()]);
    const records = await readLines(path);
    expect(records).toHaveLength(600);
    const keys = new Set(records.map((r) => (r as { key: string }).key));
    expect(keys.size).toBe(600);
    // One writer's lines stay in the order it wrote them.
    const aKeys = records.map((r) => (r as { key: string }).key).filter((k) => k.startsWith('A_'));
    expect(aKeys).toEqual(Array.from({ length: 300 }, (_, i) => `A_${i}`));
  });

  it('redacts secrets in every string and stays valid JSON', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const token = `tok-${randomBytes(12).toString('hex')}`;
    registerSecret(token);
    registerSecret('null'); // a secret that is also JSON syntax must not corrupt the line
    const path = join(dir, 'audit.jsonl');
    const log = await AuditLog.open(path);
    await log.write(
      write({
        status: null,
        outcome: 'failed',
        error: {
          code: 'AUTH',
          message: `Bearer ${token} rejected; secret ${secret}; token ${token}`,
        },
      }),
    );
    await log.close();
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(6));
    const [record] = (await readLines(path)) as unknown as [
      { status: unknown; error: { message: string } },
    ];
    expect(record.status).toBeNull();
    expect(record.error.message).toBe('Bearer *** rejected; secret whsec_***; token ***');
  });

  it('says clearly when the log cannot be opened', async () => {
    const path = join(dir, 'missing', 'audit.jsonl');
    await expect(AuditLog.open(path)).rejects.toThrow(
      `Cannot open the audit log ${path}: the directory does not exist.`,
    );
    await expect(AuditLog.open(dir)).rejects.toBeInstanceOf(CxctlError);
  });

  it('closes once, and refuses writes after close', async () => {
    const log = await AuditLog.open(join(dir, 'audit.jsonl'));
    await log.close();
    await log.close();
    await expect(log.write(write())).rejects.toThrow(/already closed/);
  });
});
