/**
 * Drift: how live state differs from the manifests, read from a plan made without `--prune`.
 * An update is a drifted object (its fields, live against manifest), a create is a missing object
 * (declared, absent live), and an owned live object no manifest declares is unmanaged. Pure.
 */
import type { DriftReport as DriftEventReport } from '../notify/events.js';
import { KIND_NAMES, type KindName, type Plan, type SourceRef } from './types.js';

/** One field whose live value differs from the manifest. A missing side is absent. */
export interface DriftedField {
  /** Readable path, as in plans: `duration`, `timeZoneRestrictions[America/New_York].endHour`. */
  path: string;
  live?: unknown;
  desired?: unknown;
}

/** Counts of one kind or of all kinds. */
export interface DriftCounts {
  drifted: number;
  missing: number;
  unmanaged: number;
}

/** What `cxctl drift` reports (`--format json` prints this). */
export interface DriftReport {
  formatVersion: 1;
  target: string;
  /** True when anything differs: the command exits 2. */
  hasDrift: boolean;
  drifted: {
    kind: KindName;
    key: string;
    liveId: string;
    fields: DriftedField[];
    source?: SourceRef;
  }[];
  missing: { kind: KindName; key: string; source?: SourceRef }[];
  unmanaged: { kind: KindName; key: string; id: string }[];
  counts: DriftCounts;
  countsByKind: Record<KindName, DriftCounts>;
  /** The plan digest of the same comparison (what `cxctl plan` would show). */
  planDigest: string;
}

/** The drift in a plan made without prune. */
export function driftFromPlan(plan: Plan): DriftReport {
  const countsByKind = Object.fromEntries(
    KIND_NAMES.map((kind) => [kind, { drifted: 0, missing: 0, unmanaged: 0 }]),
  ) as Record<KindName, DriftCounts>;
  const report: DriftReport = {
    formatVersion: 1,
    target: plan.target.label,
    hasDrift: false,
    drifted: [],
    missing: [],
    unmanaged: [],
    counts: { drifted: 0, missing: 0, unmanaged: 0 },
    countsByKind,
    planDigest: plan.digest,
  };
  for (const change of plan.changes) {
    const source = change.source ? { source: change.source } : {};
    if (change.action === 'create') {
      report.missing.push({ kind: change.kind, key: change.key, ...source });
      countsByKind[change.kind].missing++;
    } else if (change.action === 'update') {
      report.drifted.push({
        kind: change.kind,
        key: change.key,
        liveId: change.live?.id ?? '',
        fields: change.fields.map((field) => ({
          path: field.path,
          ...('oldValue' in field ? { live: field.oldValue } : {}),
          ...('newValue' in field ? { desired: field.newValue } : {}),
        })),
        ...source,
      });
      countsByKind[change.kind].drifted++;
    }
    // Deletes only exist with --prune, which drift never uses.
  }
  for (const object of plan.unmanaged) {
    report.unmanaged.push({ kind: object.kind, key: object.key, id: object.liveId });
    countsByKind[object.kind].unmanaged++;
  }
  report.counts = {
    drifted: report.drifted.length,
    missing: report.missing.length,
    unmanaged: report.unmanaged.length,
  };
  report.hasDrift = report.counts.drifted + report.counts.missing + report.counts.unmanaged > 0;
  return report;
}

/**
 * The report in the shape of the `drift.detected` webhook (docs/webhooks.md): field paths as JSON
 * Pointers (`/duration`, `/timeZoneRestrictions/America~1New_York/endHour`: a keyed list member is
 * named by its key, not its position).
 */
export function driftEventReport(report: DriftReport): DriftEventReport {
  return {
    target: report.target,
    drifted: report.drifted.map((object) => ({
      kind: object.kind,
      key: object.key,
      fields: object.fields.map((field) => ({
        path: pathToPointer(field.path),
        live: field.live,
        desired: field.desired,
      })),
    })),
    missing: report.missing.map(({ kind, key }) => ({ kind, key })),
    unmanaged: report.unmanaged.map(({ kind, key, id }) => ({ kind, key, id })),
  };
}

/**
 * `timeZoneRestrictions[America/New_York].endHour` -> `/timeZoneRestrictions/America~1New_York/endHour`.
 * Field names are identifiers and member keys never contain `]`, so the readable path splits
 * unambiguously.
 */
export function pathToPointer(path: string): string {
  const segments: string[] = [];
  const pattern = /\[([^\]]*)\]|\.?([^.[]+)/g;
  for (const match of path.matchAll(pattern)) segments.push(match[1] ?? match[2] ?? '');
  return segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
