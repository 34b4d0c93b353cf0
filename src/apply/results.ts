/**
 * What apply reports: one {@link ChangeResult} per planned change (what the user reads, what the
 * webhooks count) and one {@link WriteRecord} per HTTP write (what the audit log and the metrics
 * count; a batch create is one write for up to 100 changes).
 */
import type { WriteOutcome } from '../notify/audit.js';
import type { WriteAction } from '../notify/events.js';
import type { KindName, PlannedChange } from '../plan/types.js';
import { KIND_LABELS } from '../render/values.js';

/**
 * Which write of a change: most changes take one; a default moved across categories takes two;
 * `adopt` is the update that brings a rule a create met already there (its own id, other values)
 * to the plan.
 */
export type WriteStep = 'main' | 'release' | 'claim' | 'adopt';

/**
 * How a change reached its outcome:
 * - `written`: the write was sent and succeeded;
 * - `replayed`: the server answered from its idempotency store (an earlier attempt had applied it);
 * - `reconciled`: the write's outcome was unclear or refused (a retried write, a 409, a 412, an
 *   existing object) and a fresh read showed the object already as the plan wants it;
 * - `already-applied`: re-running a saved plan, the object already was as the plan wants it, so
 *   nothing was sent.
 */
export type SettledVia = 'written' | 'replayed' | 'reconciled' | 'already-applied';

/**
 * Error code of a failed or skipped change: the API's own code (`CODE_EXISTS`, `VALIDATION_FAILED`,
 * ...) or one of apply's: `VERSION_MISMATCH` (412: changed since read), `EXISTS_DIFFERENT` (a create
 * found the object already there with other values), `DEPENDENCY_FAILED` and `RUN_STOPPED` (skipped).
 */
export type ApplyErrorCode = string;

/** The outcome of one planned change. */
export interface ChangeResult {
  kind: KindName;
  key: string;
  action: WriteAction;
  outcome: WriteOutcome;
  /** Server id of the object (created, updated or deleted), when known. */
  id?: string;
  /** Present when `outcome` is `success`. */
  via?: SettledVia;
  /** Campaign id of a compliance rule. */
  parentId?: string;
  /** Jurisdiction of a compliance rule (for `compliance.rule.changed`). */
  jurisdiction?: string;
  /** Rule name (for `compliance.rule.changed`). */
  name?: string;
  /** Display labels from the plan (campaign name). */
  labels?: Record<string, string>;
  /** Present when `outcome` is not `success`. */
  error?: { code: ApplyErrorCode; message: string };
}

/** One HTTP write (or a change that was skipped), for the audit log and the metrics. */
export interface WriteRecord {
  kind: KindName;
  /** Natural key; the keys of a batch joined by `,`. */
  key: string;
  action: WriteAction;
  step: WriteStep;
  idempotencyKey: string;
  status: number | null;
  attempts: number;
  /** Server round trips of every attempt, ms. */
  latencyMs: number;
  /** Waits on cxctl's own concurrency and rate limits, ms. */
  queuedMs: number;
  requestBytes: number;
  outcome: WriteOutcome;
  /** 429 answers among the attempts. */
  rateLimited: number;
  error?: { code: string; message: string };
  /** How an unclear or refused write was settled by a fresh read (`reconciled` results). */
  note?: string;
}

/** The action name the notifications use: a prune that deactivates is `deactivate`. */
export function writeActionOf(change: PlannedChange): WriteAction {
  if (change.action === 'delete' && change.deleteMode === 'deactivate') return 'deactivate';
  return change.action;
}

/** `wrap-up code RES_001`, `compliance rule "Spring Renewals/US hours"`. */
export function describeObject(kind: KindName, key: string): string {
  const shown = kind === 'wrapUpCode' ? key : JSON.stringify(key);
  return `${KIND_LABELS[kind].singular} ${shown}`;
}

/** `create wrap-up code RES_001 failed: <reason>` (decK's wording). */
export function failureMessage(
  action: WriteAction,
  kind: KindName,
  key: string,
  reason: string,
): string {
  return `${action} ${describeObject(kind, key)} failed: ${reason}`;
}

/** `skipped update wrap-up code RES_001: <reason>`. */
export function skipMessage(
  action: WriteAction,
  kind: KindName,
  key: string,
  reason: string,
): string {
  return `${action} ${describeObject(kind, key)} skipped: ${reason}`;
}

/** Counts of an apply, as the summary line and the webhooks show them. */
export interface ResultCounts {
  created: number;
  updated: number;
  /** Objects deleted. */
  deleted: number;
  /** Objects deactivated by a prune (wrap-up codes without `--prune=delete`). */
  deactivated: number;
  failed: number;
  skipped: number;
  /** Successes that needed no write (part of created/updated/deleted/deactivated). */
  alreadyApplied: number;
}

/** Tally change results. A change with two writes is one change. */
export function countResults(results: readonly ChangeResult[]): ResultCounts {
  const counts: ResultCounts = {
    created: 0,
    updated: 0,
    deleted: 0,
    deactivated: 0,
    failed: 0,
    skipped: 0,
    alreadyApplied: 0,
  };
  for (const result of results) {
    if (result.outcome === 'skipped') counts.skipped++;
    else if (result.outcome !== 'success') counts.failed++;
    else {
      if (result.action === 'create') counts.created++;
      else if (result.action === 'update') counts.updated++;
      else if (result.action === 'deactivate') counts.deactivated++;
      else counts.deleted++;
      if (result.via === 'already-applied') counts.alreadyApplied++;
    }
  }
  return counts;
}
