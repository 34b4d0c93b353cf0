import {
  KIND_NAMES,
  type FieldChange,
  type KindName,
  type Plan,
  type PlannedChange,
} from '../plan/types.js';
import type { TextSink } from '../util/log.js';
import { renderSections, truncationNote, type MarkdownSection } from './markdownSections.js';
import { formatValue, KIND_LABELS, summaryLine } from './values.js';

/** GitHub rejects comments over 65,536 characters; stay clearly below. */
export const MARKDOWN_LIMIT = 65_000;

/** Options of {@link renderPlanMarkdown}. */
export interface PlanMarkdownOptions {
  /** Maximum length of the whole document (default {@link MARKDOWN_LIMIT}). */
  limit?: number;
}

/**
 * Markdown for a pull-request comment: heading, summary table, one `<details>` block per kind with
 * a `diff` code block (GitHub colours `+`, `-` and `!` lines), objects not in the manifests, and the
 * digest the apply job enforces. Kept under the limit: compliance rule changes are shown whole, the
 * other sections share the rest (cut between changes), and a note names what was cut; the table
 * and the digest always stay.
 */
export function renderPlanMarkdown(
  plan: Plan,
  out: TextSink,
  options: PlanMarkdownOptions = {},
): void {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const head = [
    `### cxctl plan for \`${plan.target.label}\``,
    '',
    plan.changes.length === 0
      ? '**No changes.** Live configuration matches the manifests.'
      : `**${summaryLine(plan.counts)}**`,
    '',
    '| Kind | Create | Update | Delete | Deactivate | Unchanged | Not in manifests |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...KIND_NAMES.map((kind) => {
      const c = plan.countsByKind[kind];
      return `| ${KIND_LABELS[kind].plural} | ${c.create} | ${c.update} | ${c.delete} | ${c.deactivate ?? 0} | ${c.unchanged} | ${c.unmanaged} |`;
    }),
    '',
  ].join('\n');
  const tail = `\nPlan digest: \`${plan.digest}\`\n`;

  const sections = KIND_NAMES.map((kind) => kindSection(plan, kind)).filter(
    (s) => s.entries.length > 0,
  );
  if (plan.unmanaged.length > 0) {
    sections.push({
      summary: `Not in manifests: ${plan.unmanaged.length} (left as they are; \`--prune\` removes them)`,
      entries: plan.unmanaged.map((o) => `  ${KIND_LABELS[o.kind].singular} ${o.key}`),
      name: 'not in manifests',
      unit: 'objects',
    });
  }

  // Room for the note: one clause per section it can name.
  const noteRoom = 300 + sections.length * 120;
  const { body, cut } = renderSections(sections, limit - head.length - tail.length - noteRoom);
  const note = truncationNote(
    cut,
    'Run `cxctl plan --format json`, or save the plan with `cxctl plan --out FILE`, to see every change.',
  );
  out.write(`${head}\n${body}${note}${tail}`);
}

function kindSection(plan: Plan, kind: KindName): MarkdownSection {
  const changes = plan.changes.filter((c) => c.kind === kind);
  const counts = plan.countsByKind[kind];
  const parts = [
    counts.create > 0 ? `${counts.create} to create` : '',
    counts.update > 0 ? `${counts.update} to update` : '',
    counts.delete > 0 ? `${counts.delete} to delete` : '',
    (counts.deactivate ?? 0) > 0 ? `${counts.deactivate} to deactivate` : '',
  ].filter(Boolean);
  return {
    summary: `${KIND_LABELS[kind].plural}: ${parts.join(', ')}`,
    entries: changes.map((change) => changeLines(change).join('\n')),
    name: KIND_LABELS[kind].plural.toLowerCase(),
    unit: 'changes',
    // A rule is what decides who may be called when: its changes are never cut for space.
    keepWhole: kind === 'complianceRule',
  };
}

function changeLines(change: PlannedChange): string[] {
  const symbol = { create: '+', update: '!', delete: '-' }[change.action];
  const mode =
    change.action === 'delete' && change.deleteMode === 'deactivate' ? ' (deactivate)' : '';
  const where = change.source ? `  (${change.source.file}:${change.source.line})` : '';
  const lines = [`${symbol} ${KIND_LABELS[change.kind].singular} ${change.key}${mode}${where}`];
  for (const field of change.fields) lines.push(fieldLine(change, field));
  return lines;
}

function fieldLine(change: PlannedChange, field: FieldChange): string {
  if (change.action === 'create' || !('oldValue' in field)) {
    return `+     ${field.path} = ${formatValue(field.newValue)}`;
  }
  if (
    (change.action === 'delete' && change.deleteMode !== 'deactivate') ||
    !('newValue' in field)
  ) {
    return `-     ${field.path} = ${formatValue(field.oldValue)}`;
  }
  return `!     ${field.path}: ${formatValue(field.oldValue)} -> ${formatValue(field.newValue)}`;
}
