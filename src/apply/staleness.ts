/**
 * Checking a saved plan against the live state before applying it: every touched object must
 * still be at the version the plan read, or already be exactly as the plan would leave it (a
 * re-run after a partial or killed apply converges instead of being refused), or be half-way
 * through a two-step default move this plan started. Anything else is stale.
 */
import type { CxoneClient } from '../cxone/client.js';
import type { KindName, Plan, PlannedBody, PlannedChange } from '../plan/types.js';
import { changeId, type ResumePoint } from './executor.js';
import { executionStages } from './order.js';
import { describeObject } from './results.js';
import { kindWriters, type KindWriter, type LiveObject } from './writes/index.js';

/** A touched object that moved since the plan. */
export interface StaleObject {
  kind: KindName;
  key: string;
  /** One sentence: what changed. */
  reason: string;
}

/** Outcome of {@link checkPlanAgainstLive}. */
export interface LiveCheck {
  /** Changes already applied, or half-way, by change id. */
  resume: Map<string, ResumePoint>;
  /** Objects that moved; when non-empty the plan must not be applied. */
  stale: StaleObject[];
}

/** Read the live objects the plan touches and classify every change. Sends no write. */
export async function checkPlanAgainstLive(
  client: CxoneClient,
  plan: Pick<Plan, 'changes'>,
  writers: Record<KindName, KindWriter> = kindWriters,
  signal?: AbortSignal,
): Promise<LiveCheck> {
  const byKind = new Map<KindName, PlannedChange[]>();
  for (const change of plan.changes) {
    const list = byKind.get(change.kind) ?? [];
    list.push(change);
    byKind.set(change.kind, list);
  }
  const liveByKind = new Map<KindName, Map<string, LiveObject>>();
  await Promise.all(
    [...byKind].map(async ([kind, changes]) => {
      liveByKind.set(kind, await writers[kind].readAll(client, changes, signal));
    }),
  );

  // The intermediate body of two-step default moves (their release step).
  const releaseBodies = new Map<PlannedChange, PlannedBody>();
  for (const stage of executionStages(plan)) {
    for (const write of stage.writes) {
      if (write.step === 'release' && write.body) releaseBodies.set(write.change, write.body);
    }
  }

  const resume = new Map<string, ResumePoint>();
  const stale: StaleObject[] = [];
  for (const change of plan.changes) {
    const writer = writers[change.kind];
    const live = liveByKind.get(change.kind)?.get(change.key);
    const verdict = classify(change, live, writer, releaseBodies.get(change));
    if (verdict.kind === 'stale') {
      stale.push({ kind: change.kind, key: change.key, reason: verdict.reason });
    } else if (verdict.kind === 'done') {
      resume.set(changeId(change), live ? { state: 'done', live } : { state: 'done' });
    } else if (verdict.kind === 'claim' && live) {
      resume.set(changeId(change), { state: 'claim', live });
    }
  }
  return { resume, stale };
}

type Verdict =
  { kind: 'pending' } | { kind: 'done' } | { kind: 'claim' } | { kind: 'stale'; reason: string };

function classify(
  change: PlannedChange,
  live: LiveObject | undefined,
  writer: KindWriter,
  releaseBody: PlannedBody | undefined,
): Verdict {
  const name = describeObject(change.kind, change.key);
  if (change.action === 'create') {
    if (!live) return { kind: 'pending' };
    if (change.body !== undefined && writer.matches(live, change.body)) return { kind: 'done' };
    return {
      kind: 'stale',
      reason: `${name} was created by someone else since the plan was made, with other values`,
    };
  }
  const planned = change.live;
  const untouched =
    live !== undefined &&
    planned !== undefined &&
    live.id === planned.id &&
    live.version === planned.version;
  if (change.action === 'delete' && change.deleteMode !== 'deactivate') {
    if (!live || (planned !== undefined && live.id !== planned.id)) return { kind: 'done' };
    if (untouched) return { kind: 'pending' };
    return {
      kind: 'stale',
      reason: `${name} changed since the plan was made (version ${planned?.version}, now ${live.version})`,
    };
  }
  if (!live) {
    return { kind: 'stale', reason: `${name} was deleted since the plan was made` };
  }
  if (untouched) return { kind: 'pending' };
  if (change.body !== undefined && writer.matches(live, change.body)) return { kind: 'done' };
  if (releaseBody !== undefined && writer.matches(live, releaseBody)) return { kind: 'claim' };
  return {
    kind: 'stale',
    reason:
      planned !== undefined && live.id !== planned.id
        ? `${name} was deleted and created again since the plan was made`
        : `${name} changed since the plan was made (version ${planned?.version}, now ${live.version})`,
  };
}
