import { diff, Operation, type IChange } from 'json-diff-ts';
import type { FieldChange } from './types.js';

/**
 * How members of an array field are matched between live and desired: by a property name
 * (`timeZone`) or by a function of the member. Arrays not listed here are compared as whole values
 * (right for sets of scalars such as DNC list names, which kinds sort during normalisation).
 */
export type ArrayMemberKeys = Readonly<Record<string, string | ((member: never) => string)>>;

type Plain = Record<string, unknown>;

/**
 * Field-level differences between two normalised objects, with readable paths, sorted by path.
 *
 * Uses json-diff-ts with array members matched by key, so a changed end hour in one time-zone
 * restriction is one change (`timeZoneRestrictions[America/New_York].endHour: 20 -> 21`), not a
 * positional cascade. Objects are small (one resource each); the plan compares whole collections
 * with Maps before calling this, so the cost stays linear in the number of objects.
 */
export function fieldDiff(
  live: object,
  desired: object,
  memberKeys: ArrayMemberKeys = {},
): FieldChange[] {
  const changes = diff(live, desired, {
    embeddedObjKeys: usableMemberKeys(live, desired, memberKeys),
  });
  const fields: FieldChange[] = [];
  for (const change of changes)
    collect(change, change.key, childOf(live, change.key), childOf(desired, change.key), fields);
  return fields.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type MemberKey = string | ((member: unknown) => string);

/**
 * The member keys whose arrays have unique keys on both sides. json-diff-ts keeps the last of
 * members with equal keys and silently loses the others, so such an array is compared as a whole
 * value instead (still exact, only less detailed).
 */
function usableMemberKeys(
  live: object,
  desired: object,
  memberKeys: ArrayMemberKeys,
): Record<string, MemberKey> {
  const usable: Record<string, MemberKey> = {};
  for (const [field, key] of Object.entries(memberKeys) as [string, MemberKey][]) {
    const keyOf = (member: unknown): string =>
      typeof key === 'function' ? key(member) : String((member as Plain | null)?.[key]);
    const unique = (value: unknown): boolean => {
      if (!Array.isArray(value)) return true;
      const seen = new Set<string>();
      for (const member of value) {
        const memberKey = keyOf(member);
        if (seen.has(memberKey)) return false;
        seen.add(memberKey);
      }
      return true;
    };
    if (unique(childOf(live, field)) && unique(childOf(desired, field))) usable[field] = key;
  }
  return usable;
}

/** Turn one json-diff-ts change (possibly nested) into flat field changes. */
function collect(
  change: IChange,
  path: string,
  oldWhole: unknown,
  newWhole: unknown,
  out: FieldChange[],
): void {
  // Arrays matched by position are reported as one whole-value change: positions mean nothing to a reviewer.
  if (change.embeddedKey === '$index') {
    out.push({ path, oldValue: oldWhole, newValue: newWhole });
    return;
  }
  if (change.changes && change.changes.length > 0) {
    const keyed = change.embeddedKey !== undefined;
    for (const child of change.changes) {
      const childPath = keyed ? `${path}[${child.key}]` : `${path}.${child.key}`;
      collect(child, childPath, childOf(oldWhole, child.key), childOf(newWhole, child.key), out);
    }
    return;
  }
  switch (change.type) {
    case Operation.ADD:
      out.push({ path, newValue: change.value as unknown });
      return;
    case Operation.REMOVE:
      out.push({ path, oldValue: change.value as unknown });
      return;
    default:
      out.push({ path, oldValue: change.oldValue as unknown, newValue: change.value as unknown });
  }
}

function childOf(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return (value as Plain)[key];
  }
  return undefined;
}

/** All fields of an object as additions (how a create is shown), sorted by name. */
export function fieldsAdded(desired: object): FieldChange[] {
  return definedFields(desired).map(([key, value]) => ({ path: key, newValue: value }));
}

/** All fields of an object as removals (how a hard delete is shown), sorted by name. */
export function fieldsRemoved(live: object): FieldChange[] {
  return definedFields(live).map(([key, value]) => ({ path: key, oldValue: value }));
}

/** The own fields of an object that hold a value, sorted by name. */
function definedFields(value: object): [string, unknown][] {
  return Object.entries(value)
    .filter((entry) => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
