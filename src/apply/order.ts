import type { WrapUpCodeFields } from '../cxone/types.js';
import {
  KIND_NAMES,
  type KindName,
  type Plan,
  type PlannedBody,
  type PlannedChange,
} from '../plan/types.js';

/**
 * The order in which apply writes, so that no intermediate state breaks a server rule.
 *
 * ```
 *  stage                         why
 *  1 wrapUpCode  release         clear a category's old default first (incl. deleting it)
 *  2 wrapUpCode  upsert          creates (batched) and updates; new defaults now have a free slot
 *  3 wrapUpCode  claim           codes that moved category *and* stay default: set the default
 *  4 complianceRule upsert       rules do not depend on codes; creates/updates top-down
 *  5 complianceRule delete       deletes bottom-up, after every create and update
 *  6 wrapUpCode  delete          hard deletes (`--prune=delete`) last
 * ```
 * Writes inside a stage are independent and may run concurrently; stages run one after another.
 * A code that moves to another category while staying default (possibly swapping defaults with
 * another code) is written twice: first without the default (stage 1), then with it (stage 3).
 */
export type StageName = 'release' | 'upsert' | 'claim' | 'delete';

/** One HTTP write to make. */
export interface PlannedWrite {
  change: PlannedChange;
  /** Body to send; differs from `change.body` for the first step of a two-step default move. */
  body?: PlannedBody;
  /** Distinguishes the writes of one change in idempotency keys: `main`, `release`, `claim`. */
  step: 'main' | 'release' | 'claim';
}

/** Writes that run together. */
export interface ExecutionStage {
  kind: KindName;
  name: StageName;
  writes: PlannedWrite[];
}

/** Order the plan's changes into stages (empty stages are left out). */
export function executionStages(plan: Pick<Plan, 'changes'>): ExecutionStage[] {
  const byKind = new Map<KindName, PlannedChange[]>(KIND_NAMES.map((kind) => [kind, []]));
  for (const change of plan.changes) byKind.get(change.kind)?.push(change);

  const codes = byKind.get('wrapUpCode') ?? [];
  const release: PlannedWrite[] = [];
  const upsert: PlannedWrite[] = [];
  const claim: PlannedWrite[] = [];
  const codeDeletes: PlannedWrite[] = [];
  for (const change of codes) {
    const live = liveDefaultSlot(change);
    const next = nextDefaultSlot(change);
    const releases = live !== undefined && live !== next;
    if (!releases) {
      if (change.action === 'delete' && change.deleteMode !== 'deactivate')
        codeDeletes.push(main(change));
      else upsert.push(main(change));
      continue;
    }
    // A next slot means a body that claims it.
    const body = codeBody(change);
    if (next === undefined || body === undefined) {
      release.push(main(change));
    } else {
      // Moving category while staying default: drop the old slot now, claim the new one later.
      release.push({ change, body: { ...body, isDefault: false }, step: 'release' });
      claim.push({ change, body, step: 'claim' });
    }
  }

  const rules = byKind.get('complianceRule') ?? [];
  const ruleUpserts = rules.filter((c) => c.action !== 'delete').map(main);
  const ruleDeletes = rules.filter((c) => c.action === 'delete').map(main);

  const stages: ExecutionStage[] = [
    { kind: 'wrapUpCode', name: 'release', writes: release },
    { kind: 'wrapUpCode', name: 'upsert', writes: upsert },
    { kind: 'wrapUpCode', name: 'claim', writes: claim },
    { kind: 'complianceRule', name: 'upsert', writes: ruleUpserts },
    { kind: 'complianceRule', name: 'delete', writes: ruleDeletes },
    { kind: 'wrapUpCode', name: 'delete', writes: codeDeletes },
  ];
  return stages.filter((stage) => stage.writes.length > 0);
}

function main(change: PlannedChange): PlannedWrite {
  return change.body === undefined
    ? { change, step: 'main' }
    : { change, body: change.body, step: 'main' };
}

/** The category whose default the live object holds before the change, if any. */
export function liveDefaultSlot(change: PlannedChange): string | undefined {
  if (change.action === 'create') return undefined;
  const body = codeBody(change);
  const isDefault = oldValueOf(change, 'isDefault') ?? body?.isDefault;
  if (isDefault !== true) return undefined;
  const category = oldValueOf(change, 'category') ?? body?.category;
  return typeof category === 'string' ? category : undefined;
}

/** The category whose default the object holds after the change, if any. */
export function nextDefaultSlot(change: PlannedChange): string | undefined {
  if (change.action === 'delete' && change.deleteMode !== 'deactivate') return undefined;
  const body = codeBody(change);
  if (body?.isDefault !== true) return undefined;
  return typeof body.category === 'string' ? body.category : undefined;
}

/** The body of a wrap-up code change; other kinds hold no default slot. */
function codeBody(change: PlannedChange): WrapUpCodeFields | undefined {
  return change.kind === 'wrapUpCode' ? change.body : undefined;
}

/** The live value of a top-level field, as recorded in the change's field list. */
function oldValueOf(change: PlannedChange, path: string): unknown {
  const field = change.fields.find((f) => f.path === path);
  return field && 'oldValue' in field ? field.oldValue : undefined;
}
