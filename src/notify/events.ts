/**
 * Webhook event payloads, as plain data with builders (documented in docs/webhooks.md).
 *
 * Every payload follows the Standard Webhooks structure `{type, timestamp, data}`: `type` is the
 * event type, `timestamp` is when the event happened (RFC 3339, UTC), `data` is the event's own
 * shape below. A builder returns a {@link WebhookMessage}: the payload plus its deterministic
 * `webhook-id` (see {@link deriveWebhookId}).
 */
import { canonicalJson, sha256Hex as sha256 } from '../util/canonical.js';
import { rfc3339 } from './clock.js';
import { deriveWebhookId } from './signing.js';

/** Every event type cxctl sends. */
export const EVENT_TYPES = [
  'apply.completed',
  'apply.failed',
  'compliance.rule.changed',
  'drift.detected',
] as const;
/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];

/** True when `value` names an event type cxctl sends. */
export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * Lists in a payload are capped so a payload stays small (the spec recommends well under 20 kB);
 * `counts` are always exact and the audit log always holds every write.
 */
export const MAX_IDS_PER_LIST = 200;
/** Cap on `failures` in `apply.failed` and on each list in `drift.detected`. */
export const MAX_ITEMS_PER_LIST = 100;

/** What a write did to one object. `deactivate` is a wrap-up code pruned by `isActive: false`. */
export type WriteAction = 'create' | 'update' | 'delete' | 'deactivate';

/** Change counts of one apply. `deleted` includes prune deactivations. */
export interface ApplyCounts {
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  /** Changes not attempted (e.g. blocked because a change they depend on failed). */
  skipped: number;
}

/** Server ids of the objects one kind's writes touched, by what happened to them. */
export interface TouchedIds {
  created: string[];
  updated: string[];
  deleted: string[];
}

/** One failed change in `apply.failed`. */
export interface ApplyFailure {
  /** Resource kind, e.g. `wrapUpCode` or `complianceRule`. */
  kind: string;
  /** Natural key, e.g. `RES_001` or `Spring Renewals/US-FCC calling hours`. */
  key: string;
  action: WriteAction;
  /** Stable error code, e.g. `VERSION_MISMATCH`, `DEFAULT_CONFLICT`, `NETWORK_ERROR`. */
  code: string;
  /** One redacted sentence. */
  message: string;
}

/** `data` of `apply.completed`. */
export interface ApplyCompletedData {
  /** Target label, e.g. `prod` or `https://acme.api.cxone.com`. */
  target: string;
  /** sha256 of the plan that was applied. */
  planDigest: string;
  counts: ApplyCounts;
  /** Wall time of the apply, milliseconds. */
  latencyMs: number;
  /** Ids of the touched objects per kind; omitted kinds touched nothing. */
  ids: Record<string, TouchedIds>;
  /** True when some id list was cut at {@link MAX_IDS_PER_LIST}. */
  truncated: boolean;
}

/** `data` of `apply.failed`: the same as `apply.completed` plus the failures. */
export interface ApplyFailedData extends ApplyCompletedData {
  /** The failed changes (at most {@link MAX_ITEMS_PER_LIST}; `counts.failed` is exact). */
  failures: ApplyFailure[];
}

/** What happened to a compliance rule. */
export type RuleChangeAction = 'created' | 'updated' | 'deleted';

/** `data` of `compliance.rule.changed` (one event per changed rule). */
export interface ComplianceRuleChangedData extends RuleChange {
  planDigest: string;
  target: string;
}

/** One field that differs between live and desired. `path` is a JSON Pointer into the object. */
export interface DriftedField {
  path: string;
  live: unknown;
  desired: unknown;
}

/** An object whose live fields differ from its manifest. */
export interface DriftedObject {
  kind: string;
  key: string;
  fields: DriftedField[];
}

/** An object named by kind and natural key (and its server id when it has one). */
export interface ObjectRef {
  kind: string;
  key: string;
  id?: string;
}

/** `data` of `drift.detected`. */
export interface DriftDetectedData {
  target: string;
  /** Objects present on both sides with differing fields. */
  drifted: DriftedObject[];
  /** Declared in manifests, absent live. */
  missing: ObjectRef[];
  /** Live objects in scope that no manifest declares. */
  unmanaged: ObjectRef[];
  counts: { drifted: number; missing: number; unmanaged: number };
  /** True when some list was cut at {@link MAX_ITEMS_PER_LIST}. */
  truncated: boolean;
}

/** `data` per event type. */
export interface EventDataMap {
  'apply.completed': ApplyCompletedData;
  'apply.failed': ApplyFailedData;
  'compliance.rule.changed': ComplianceRuleChangedData;
  'drift.detected': DriftDetectedData;
}

/** A Standard Webhooks payload. */
export interface WebhookEvent<T extends EventType = EventType> {
  type: T;
  /** When the event happened, RFC 3339 UTC. */
  timestamp: string;
  data: EventDataMap[T];
}

/** A payload together with its `webhook-id`, ready for {@link deliverWebhooks}. */
export interface WebhookMessage<T extends EventType = EventType> {
  /** `webhook-id`: the same for every delivery attempt and every re-run of the same plan. */
  id: string;
  event: WebhookEvent<T>;
}

/** Options every builder takes. */
export interface EventBuildOptions {
  /** Epoch milliseconds of the event; default `Date.now()`. */
  now?: () => number;
}

/** What the apply executor knows at the end of a run; input of {@link buildApplyEvent}. */
export interface ApplyOutcome {
  target: string;
  planDigest: string;
  counts: ApplyCounts;
  latencyMs: number;
  /** Touched ids per kind (complete; the builder caps them). */
  ids: Record<string, Partial<TouchedIds>>;
  failures: ApplyFailure[];
}

/**
 * `apply.failed` when any change failed (`counts.failed > 0` or a failure is listed), else
 * `apply.completed`. The webhook-id is derived from the plan digest and the type.
 */
export function buildApplyEvent(
  outcome: ApplyOutcome,
  options: EventBuildOptions = {},
): WebhookMessage<'apply.completed'> | WebhookMessage<'apply.failed'> {
  const timestamp = rfc3339((options.now ?? Date.now)());
  let truncated = false;
  const ids: Record<string, TouchedIds> = {};
  for (const kind of Object.keys(outcome.ids).sort()) {
    const touched = outcome.ids[kind] ?? {};
    const cap = (list: string[] | undefined): string[] => {
      const all = list ?? [];
      if (all.length > MAX_IDS_PER_LIST) truncated = true;
      return all.slice(0, MAX_IDS_PER_LIST);
    };
    ids[kind] = {
      created: cap(touched.created),
      updated: cap(touched.updated),
      deleted: cap(touched.deleted),
    };
  }
  const base: ApplyCompletedData = {
    target: outcome.target,
    planDigest: outcome.planDigest,
    counts: { ...outcome.counts },
    latencyMs: Math.round(outcome.latencyMs),
    ids,
    truncated,
  };
  if (outcome.counts.failed > 0 || outcome.failures.length > 0) {
    if (outcome.failures.length > MAX_ITEMS_PER_LIST) base.truncated = true;
    const data: ApplyFailedData = {
      ...base,
      failures: outcome.failures.slice(0, MAX_ITEMS_PER_LIST).map((f) => ({ ...f })),
    };
    return {
      id: deriveWebhookId('apply.failed', outcome.planDigest),
      event: { type: 'apply.failed', timestamp, data },
    };
  }
  return {
    id: deriveWebhookId('apply.completed', outcome.planDigest),
    event: { type: 'apply.completed', timestamp, data: base },
  };
}

/** A rule change as the apply executor reports it; input of {@link buildRuleChangedEvents}. */
export interface RuleChange {
  action: RuleChangeAction;
  ruleId: string;
  campaignId: string;
  campaignName?: string;
  ruleName: string;
  jurisdiction: string;
}

/**
 * One `compliance.rule.changed` message per successfully changed rule. The webhook-id is derived
 * from the plan digest, the campaign id, the rule name and the action, so it is stable across a
 * re-run of the same plan even for a created rule.
 */
export function buildRuleChangedEvents(
  changes: readonly RuleChange[],
  context: { planDigest: string; target: string },
  options: EventBuildOptions = {},
): WebhookMessage<'compliance.rule.changed'>[] {
  const timestamp = rfc3339((options.now ?? Date.now)());
  return changes.map((change) => {
    const data: ComplianceRuleChangedData = {
      action: change.action,
      ruleId: change.ruleId,
      campaignId: change.campaignId,
      ...(change.campaignName === undefined ? {} : { campaignName: change.campaignName }),
      ruleName: change.ruleName,
      jurisdiction: change.jurisdiction,
      planDigest: context.planDigest,
      target: context.target,
    };
    const subject = `${change.campaignId}\0${change.ruleName}\0${change.action}`;
    return {
      id: deriveWebhookId('compliance.rule.changed', context.planDigest, subject),
      event: { type: 'compliance.rule.changed', timestamp, data },
    };
  });
}

/** What `cxctl drift` found; input of {@link buildDriftEvent}. */
export interface DriftReport {
  target: string;
  drifted: DriftedObject[];
  missing: ObjectRef[];
  unmanaged: ObjectRef[];
}

/**
 * The `drift.detected` message. Lists are sorted by kind then key (so the same drift always makes
 * the same body) and capped; the webhook-id is derived from a digest of the full report, so the
 * same drift reported again carries the same id (a receiver that deduplicates on webhook-id alerts
 * once per distinct drift state) and any change in the drift makes a new id.
 */
export function buildDriftEvent(
  report: DriftReport,
  options: EventBuildOptions = {},
): WebhookMessage<'drift.detected'> {
  const timestamp = rfc3339((options.now ?? Date.now)());
  const byKindKey = (a: { kind: string; key: string }, b: { kind: string; key: string }): number =>
    a.kind === b.kind ? compare(a.key, b.key) : compare(a.kind, b.kind);
  const drifted = [...report.drifted].sort(byKindKey).map((o) => ({
    kind: o.kind,
    key: o.key,
    fields: [...o.fields].sort((a, b) => compare(a.path, b.path)).map((f) => ({ ...f })),
  }));
  const missing = [...report.missing].sort(byKindKey).map((o) => ({ ...o }));
  const unmanaged = [...report.unmanaged].sort(byKindKey).map((o) => ({ ...o }));
  const digest = sha256(canonicalJson({ target: report.target, drifted, missing, unmanaged }));
  const truncated = [drifted, missing, unmanaged].some((list) => list.length > MAX_ITEMS_PER_LIST);
  const data: DriftDetectedData = {
    target: report.target,
    drifted: drifted.slice(0, MAX_ITEMS_PER_LIST),
    missing: missing.slice(0, MAX_ITEMS_PER_LIST),
    unmanaged: unmanaged.slice(0, MAX_ITEMS_PER_LIST),
    counts: { drifted: drifted.length, missing: missing.length, unmanaged: unmanaged.length },
    truncated,
  };
  return {
    id: deriveWebhookId('drift.detected', digest),
    event: { type: 'drift.detected', timestamp, data },
  };
}

// Code-unit order, independent of the process locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
