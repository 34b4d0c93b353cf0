/**
 * From an apply's results to its webhook messages: one `compliance.rule.changed` per rule that
 * the plan created, updated or deleted, then `apply.completed` or `apply.failed`
 * (docs/webhooks.md). Pure: delivery is the caller's.
 */
import {
  buildApplyEvent,
  buildRuleChangedEvents,
  type ApplyFailure,
  type ApplyOutcome,
  type RuleChange,
  type RuleChangeAction,
  type TouchedIds,
  type WebhookMessage,
} from '../notify/events.js';
import { countResults, type ChangeResult } from './results.js';

/** Context of the messages. */
export interface ApplyContext {
  target: string;
  planDigest: string;
  latencyMs: number;
  now?: () => number;
}

/** The summary an `apply.*` event carries. Skipped changes are listed with the failures. */
export function applyOutcome(
  results: readonly ChangeResult[],
  context: ApplyContext,
): ApplyOutcome {
  const counts = countResults(results);
  const ids: Record<string, Partial<TouchedIds>> = {};
  const failures: ApplyFailure[] = [];
  for (const result of results) {
    if (result.outcome !== 'success') {
      failures.push({
        kind: result.kind,
        key: result.key,
        action: result.action,
        code: result.error?.code ?? 'FAILED',
        message: result.error?.message ?? `${result.action} ${result.key} failed`,
      });
      continue;
    }
    if (result.id === undefined) continue;
    const touched = (ids[result.kind] ??= { created: [], updated: [], deleted: [] });
    const list =
      result.action === 'create'
        ? touched.created
        : result.action === 'update'
          ? touched.updated
          : touched.deleted;
    list?.push(result.id);
  }
  return {
    target: context.target,
    planDigest: context.planDigest,
    counts: {
      created: counts.created,
      updated: counts.updated,
      // The event's `deleted` counts deactivations too (docs/webhooks.md).
      deleted: counts.deleted + counts.deactivated,
      failed: counts.failed,
      skipped: counts.skipped,
    },
    latencyMs: context.latencyMs,
    ids,
    failures,
  };
}

/** The rule changes to announce: every compliance rule change that succeeded. */
export function ruleChanges(results: readonly ChangeResult[]): RuleChange[] {
  const changes: RuleChange[] = [];
  for (const result of results) {
    if (result.kind !== 'complianceRule' || result.outcome !== 'success') continue;
    if (result.id === undefined || result.parentId === undefined) continue;
    const action: RuleChangeAction =
      result.action === 'create' ? 'created' : result.action === 'update' ? 'updated' : 'deleted';
    const campaignName = result.labels?.campaign;
    changes.push({
      action,
      ruleId: result.id,
      campaignId: result.parentId,
      ...(campaignName !== undefined ? { campaignName } : {}),
      ruleName: result.name ?? result.key,
      jurisdiction: result.jurisdiction ?? '',
    });
  }
  return changes;
}

/** Every message of an apply, in delivery order: rule changes first, then the summary. */
export function applyMessages(
  results: readonly ChangeResult[],
  context: ApplyContext,
): WebhookMessage[] {
  const options = context.now ? { now: context.now } : {};
  return [
    ...buildRuleChangedEvents(
      ruleChanges(results),
      { planDigest: context.planDigest, target: context.target },
      options,
    ),
    buildApplyEvent(applyOutcome(results, context), options),
  ];
}
