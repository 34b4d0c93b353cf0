/**
 * Which writes must wait for which: a failure in one write never stops independent writes, but a
 * write whose precondition another change was meant to establish is skipped (reported, not sent)
 * when that change did not succeed. The rules, per stage (docs/apply.md):
 *
 * - claim (second step of a default moved across categories): needs its own release step;
 * - any write that makes a code the default of category C (upsert or claim): needs every change
 *   that releases C's old default to have succeeded, or the server would refuse a second default;
 * - compliance rule deletes in a campaign: need every create and update of rules in that campaign
 *   to have succeeded, so a failed replacement (a renamed rule) never leaves a campaign with fewer
 *   rules than before;
 * - hard deletes of wrap-up codes (`--prune=delete`): need every other wrap-up code change to have
 *   succeeded, for the same reason.
 */
import type { PlannedChange } from '../plan/types.js';
import { liveDefaultSlot, nextDefaultSlot, type PlannedWrite, type StageName } from './order.js';
import { describeObject } from './results.js';

/** How far a change got. */
export type ChangeProgress = 'pending' | 'succeeded' | 'failed';

/** Read access to the progress of every change of the plan. */
export interface ProgressView {
  /** Whether the change as a whole (all its writes) succeeded. */
  progress(change: PlannedChange): ChangeProgress;
  /** Whether the write that gives up the change's live default (its release) succeeded. */
  releasedDefault(change: PlannedChange): boolean;
}

/** Why `write` cannot run now, or undefined when it can. */
export function blockingReason(
  write: PlannedWrite,
  stage: StageName,
  changes: readonly PlannedChange[],
  view: ProgressView,
): string | undefined {
  const { change } = write;
  if (change.kind === 'wrapUpCode') {
    const claims = claimedCategory(write);
    if (claims !== undefined) {
      for (const other of changes) {
        if (other === change || other.kind !== 'wrapUpCode') continue;
        if (liveDefaultSlot(other) !== claims) continue;
        if (!view.releasedDefault(other)) {
          return `the default of category ${JSON.stringify(claims)} is still held by ${describeObject(other.kind, other.key)}, whose change did not succeed`;
        }
      }
    }
    if (stage === 'delete') {
      const failed = changes.find(
        (other) =>
          other.kind === 'wrapUpCode' &&
          other !== change &&
          !isHardDelete(other) &&
          view.progress(other) !== 'succeeded',
      );
      if (failed) {
        return `deletes of wrap-up codes wait until every other wrap-up code change succeeded, and ${describeObject(failed.kind, failed.key)} did not`;
      }
    }
  }
  if (change.kind === 'complianceRule' && change.action === 'delete') {
    const failed = changes.find(
      (other) =>
        other.kind === 'complianceRule' &&
        other.action !== 'delete' &&
        other.parentId === change.parentId &&
        view.progress(other) !== 'succeeded',
    );
    if (failed) {
      return `rule deletes in a campaign wait until every create and update of its rules succeeded, and ${describeObject(failed.kind, failed.key)} did not`;
    }
  }
  return undefined;
}

/** The category whose default this write takes over from another code, if any. */
function claimedCategory(write: PlannedWrite): string | undefined {
  const body = write.body;
  if (body === undefined || !('isDefault' in body) || body.isDefault !== true) return undefined;
  const next = nextDefaultSlot(write.change);
  if (next === undefined) return undefined;
  // A code that already holds this default (and keeps it) claims nothing.
  if (write.step === 'main' && liveDefaultSlot(write.change) === next) return undefined;
  return next;
}

function isHardDelete(change: PlannedChange): boolean {
  return change.action === 'delete' && change.deleteMode !== 'deactivate';
}
