import { canonicalJson } from '../../src/util/canonical.js';
import { describe, expect, it } from 'vitest';
import {
  buildApplyEvent,
  buildDriftEvent,
  buildRuleChangedEvents,
  isEventType,
  MAX_IDS_PER_LIST,
  MAX_ITEMS_PER_LIST,
  type ApplyOutcome,
  type DriftReport,
} from '../../src/notify/events.js';

const now = (): number => Date.parse('2026-03-03T01:30:00Z');
const DIGEST = 'b'.repeat(64);

const outcome = (overrides: Partial<ApplyOutcome> = {}): ApplyOutcome => ({
  target: 'prod',
  planDigest: DIGEST,
  counts: { created: 1, updated: 1, deleted: 0, failed: 0, skipped: 0 },
  latencyMs: 812.4,
  ids: { wrapUpCode: { created: ['wc-1'] }, complianceRule: { updated: ['r-7'] } },
  failures: [],
  ...overrides,
});

describe('apply events', () => {
  it('builds apply.completed with counts, latency, ids per kind, digest and target', () => {
    const message = buildApplyEvent(outcome(), { now });
    expect(message.event).toEqual({
      type: 'apply.completed',
      timestamp: '2026-03-03T01:30:00.000Z',
      data: {
        target: 'prod',
        planDigest: DIGEST,
        counts: { created: 1, updated: 1, deleted: 0, failed: 0, skipped: 0 },
        latencyMs: 812,
        ids: {
          complianceRule: { created: [], updated: ['r-7'], deleted: [] },
          wrapUpCode: { created: ['wc-1'], updated: [], deleted: [] },
        },
        truncated: false,
      },
    });
    expect(message.event.data).not.toHaveProperty('failures');
  });

  it('builds apply.failed with the failures when anything failed', () => {
    const failure = {
      kind: 'wrapUpCode',
      key: 'RES_002',
      action: 'update' as const,
      code: 'VERSION_MISMATCH',
      message: 'wrap-up code RES_002 changed since the plan (version 3, now 4)',
    };
    const message = buildApplyEvent(
      outcome({
        counts: { created: 1, updated: 0, deleted: 0, failed: 1, skipped: 2 },
        failures: [failure],
      }),
      { now },
    );
    expect(message.event.type).toBe('apply.failed');
    expect(message.event.data).toMatchObject({
      failures: [failure],
      counts: { failed: 1, skipped: 2 },
    });
  });

  it('gives a re-run of the same plan the same id, and a different plan or outcome another', () => {
    const first = buildApplyEvent(outcome(), { now });
    const rerun = buildApplyEvent(outcome({ latencyMs: 99 }), { now: () => now() + 60_000 });
    expect(rerun.id).toBe(first.id);
    expect(buildApplyEvent(outcome({ planDigest: 'c'.repeat(64) })).id).not.toBe(first.id);
    const failed = buildApplyEvent(
      outcome({ counts: { created: 0, updated: 0, deleted: 0, failed: 1, skipped: 0 } }),
    );
    expect(failed.id).not.toBe(first.id);
  });

  it('caps id and failure lists, keeping counts exact and saying so', () => {
    const ids = Array.from({ length: MAX_IDS_PER_LIST + 5 }, (_, i) => `wc-${i}`);
    const failures = Array.from({ length: MAX_ITEMS_PER_LIST + 1 }, (_, i) => ({
      kind: 'wrapUpCode',
      key: `K_${i}`,
      action: 'create' as const,
      code: 'CODE_EXISTS',
      message: 'exists',
    }));
    const message = buildApplyEvent(
      outcome({
        counts: {
          created: ids.length,
          updated: 0,
          deleted: 0,
          failed: failures.length,
          skipped: 0,
        },
        ids: { wrapUpCode: { created: ids } },
        failures,
      }),
    );
    const data = message.event.data as {
      ids: Record<string, { created: string[] }>;
      failures: unknown[];
      truncated: boolean;
      counts: { created: number };
    };
    expect(data.ids.wrapUpCode!.created).toHaveLength(MAX_IDS_PER_LIST);
    expect(data.failures).toHaveLength(MAX_ITEMS_PER_LIST);
    expect(data.counts.created).toBe(MAX_IDS_PER_LIST + 5);
    expect(data.truncated).toBe(true);
  });
});

describe('compliance.rule.changed', () => {
  it('builds one event per rule with stable, distinct ids', () => {
    const changes = [
      {
        action: 'created' as const,
        ruleId: 'r-1',
        campaignId: 'c-1',
        campaignName: 'Spring Renewals',
        ruleName: 'US-FCC calling hours',
        jurisdiction: 'US-FCC',
      },
      {
        action: 'deleted' as const,
        ruleId: 'r-2',
        campaignId: 'c-1',
        ruleName: 'Old rule',
        jurisdiction: 'US-TCPA',
      },
    ];
    const messages = buildRuleChangedEvents(
      changes,
      { planDigest: DIGEST, target: 'prod' },
      { now },
    );
    expect(messages.map((m) => m.event)).toEqual([
      {
        type: 'compliance.rule.changed',
        timestamp: '2026-03-03T01:30:00.000Z',
        data: {
          action: 'created',
          ruleId: 'r-1',
          campaignId: 'c-1',
          campaignName: 'Spring Renewals',
          ruleName: 'US-FCC calling hours',
          jurisdiction: 'US-FCC',
          planDigest: DIGEST,
          target: 'prod',
        },
      },
      {
        type: 'compliance.rule.changed',
        timestamp: '2026-03-03T01:30:00.000Z',
        data: {
          action: 'deleted',
          ruleId: 'r-2',
          campaignId: 'c-1',
          ruleName: 'Old rule',
          jurisdiction: 'US-TCPA',
          planDigest: DIGEST,
          target: 'prod',
        },
      },
    ]);
    expect(messages[0]!.id).not.toBe(messages[1]!.id);
    const again = buildRuleChangedEvents(changes, { planDigest: DIGEST, target: 'prod' });
    expect(again.map((m) => m.id)).toEqual(messages.map((m) => m.id));
  });
});

describe('drift.detected', () => {
  const report: DriftReport = {
    target: 'prod',
    drifted: [
      {
        kind: 'wrapUpCode',
        key: 'RES_002',
        fields: [
          { path: '/name', live: 'X', desired: 'Y' },
          { path: '/duration', live: 120, desired: 300 },
        ],
      },
      {
        kind: 'complianceRule',
        key: 'Spring Renewals/US-FCC calling hours',
        fields: [{ path: '/concurrencyLimit', live: 8, desired: 5 }],
      },
    ],
    missing: [{ kind: 'wrapUpCode', key: 'RES_003' }],
    unmanaged: [{ kind: 'wrapUpCode', key: 'HAND_MADE', id: 'wc-9' }],
  };

  it('sorts lists, counts them, and keeps plain data', () => {
    const { event } = buildDriftEvent(report, { now });
    expect(event.type).toBe('drift.detected');
    expect(event.data.drifted.map((d) => d.key)).toEqual([
      'Spring Renewals/US-FCC calling hours',
      'RES_002',
    ]);
    expect(event.data.drifted[1]!.fields.map((f) => f.path)).toEqual(['/duration', '/name']);
    expect(event.data.counts).toEqual({ drifted: 2, missing: 1, unmanaged: 1 });
    expect(event.data.truncated).toBe(false);
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it('derives the same id for the same drift in any order, and a new id when the drift changes', () => {
    const a = buildDriftEvent(report);
    const shuffled = buildDriftEvent({ ...report, drifted: [...report.drifted].reverse() });
    expect(shuffled.id).toBe(a.id);
    const changed = buildDriftEvent({ ...report, missing: [] });
    expect(changed.id).not.toBe(a.id);
  });
});

describe('helpers', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });
  it('knows the event types', () => {
    expect(isEventType('apply.completed')).toBe(true);
    expect(isEventType('apply.done')).toBe(false);
  });
});
