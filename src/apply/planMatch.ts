/**
 * Proving that a saved plan is still the plan: planned afresh from the same manifests and the
 * current live state, it must give exactly the saved changes, so `apply --plan` does what the
 * reviewer saw and nothing else, whatever was edited in the file (digest recomputed or not).
 */
import { compareByKindAndKey } from '../plan/assemble.js';
import type { PlannedChange } from '../plan/types.js';
import { jsonEqual } from '../util/canonical.js';
import { isJsonObject } from '../util/json.js';
import { changeId, type ResumePoint } from './executor.js';
import { KIND_LABELS } from '../render/values.js';

/** The first way a saved plan differs from the plan made now. */
export interface PlanDifference {
  /** JSON pointer into the change (`/body/name`, `/live/version`); `''` for the whole change. */
  field: string;
  /** One sentence naming the change, the field and what differs. */
  reason: string;
}

/** Outcome of {@link matchSavedChanges}. */
export type PlanMatch =
  | {
      status: 'same';
      /** What to execute: the fresh change where there is one to make, else the saved one. */
      changes: PlannedChange[];
    }
  | { status: 'different'; difference: PlanDifference };

/**
 * Compare the saved changes with the changes planned now. A saved change already applied
 * (`resume` state `done`, as {@link checkPlanAgainstLive} found it) must be absent from the fresh
 * plan; one half-way through a default move (`claim`) must still send the same body to the same
 * object; every other one must be equal as canonical JSON, leaving out only where it is declared
 * (`source`, outside the plan digest too). Every fresh change must be in the saved plan, and the
 * saved changes must be in plan order, each object once. The first difference in plan order is
 * reported.
 */
export function matchSavedChanges(
  saved: readonly PlannedChange[],
  fresh: readonly PlannedChange[],
  resume: ReadonlyMap<string, ResumePoint>,
): PlanMatch {
  const freshById = new Map(fresh.map((change) => [changeId(change), change]));
  const changes: PlannedChange[] = [];
  const different = (field: string, reason: string): PlanMatch => ({
    status: 'different',
    difference: { field, reason },
  });
  for (const [index, change] of saved.entries()) {
    const previous = saved[index - 1];
    if (previous !== undefined && compareByKindAndKey(previous, change) >= 0) {
      return different(
        '',
        `${describe(change)} is out of plan order or listed twice (/changes/${index})`,
      );
    }
    const id = changeId(change);
    const now = freshById.get(id);
    freshById.delete(id);
    const point = resume.get(id);
    if (point?.state === 'done') {
      if (now !== undefined) {
        return different(
          '',
          `${describe(change)} is already applied, yet planning now gives a change for it`,
        );
      }
      changes.push(change);
      continue;
    }
    if (now === undefined) {
      return different(
        '',
        `${describe(change)} is in the plan, but planning now gives no change for it`,
      );
    }
    // Half-way through a default move the live version and the field differences have moved on;
    // what is left to send must not.
    const field =
      point?.state === 'claim'
        ? firstDifferingField(claimPart(change), claimPart(now))
        : firstDifferingField(withoutSource(change), withoutSource(now));
    if (field !== undefined)
      return different(field, `${describe(change)} differs at ${field || '/'}`);
    // What runs is typed honestly: the fresh change, or (mid default move) the saved one whose
    // kind, target and body are JSON-equal to the fresh one's. Applied (`done`) saved changes
    // above send nothing, and reports read their body only through runtime type checks.
    changes.push(point?.state === 'claim' ? change : now);
  }
  const missing = [...freshById.values()].sort(compareByKindAndKey)[0];
  if (missing !== undefined) {
    return different('', `${describe(missing)} is not in the plan, but planning now gives it`);
  }
  return { status: 'same', changes };
}

/** `the update of wrap-up code "RES_001"`; the key may come from a hostile file, so it is quoted. */
function describe(change: PlannedChange): string {
  return `the ${change.action} of ${KIND_LABELS[change.kind].singular} ${JSON.stringify(change.key)}`;
}

function withoutSource(change: PlannedChange): Omit<PlannedChange, 'source'> {
  const { source: _source, ...rest } = change;
  return rest;
}

function claimPart(change: PlannedChange): Record<string, unknown> {
  return {
    action: change.action,
    deleteMode: change.deleteMode,
    parentId: change.parentId,
    live: { id: change.live?.id },
    body: change.body,
  };
}

/**
 * The JSON pointer of the first member (array items in order, object members in sorted order)
 * where `saved` and `now` differ, or `undefined` when they are equal. Descends only while both
 * sides are containers of the same sort, so a deeply nested hostile value costs no more than the
 * depth of the fresh one.
 */
function firstDifferingField(saved: unknown, now: unknown, pointer = ''): string | undefined {
  if (jsonEqual(saved, now)) return undefined;
  const left = saved as Record<string, unknown>;
  const right = now as Record<string, unknown>;
  for (const key of memberNames(saved, now)) {
    const inner = firstDifferingField(left[key], right[key], `${pointer}/${escapePointer(key)}`);
    if (inner !== undefined) return inner;
  }
  return pointer;
}

/** The members to compare inside two arrays or two objects; none for anything else. */
function memberNames(saved: unknown, now: unknown): string[] {
  if (Array.isArray(saved) && Array.isArray(now)) {
    return Object.keys(saved.length >= now.length ? saved : now);
  }
  if (isJsonObject(saved) && isJsonObject(now)) {
    return [...new Set([...Object.keys(saved), ...Object.keys(now)])].sort();
  }
  return [];
}

/** RFC 6901: `~` and `/` inside a member name. */
function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
