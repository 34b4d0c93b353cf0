import type { DriftReport } from '../plan/drift.js';
import { KIND_NAMES } from '../plan/types.js';
import type { TextSink } from '../util/log.js';
import { MARKDOWN_LIMIT } from './planMarkdown.js';
import { renderSections, truncationNote, type MarkdownSection } from './markdownSections.js';
import { formatValue, KIND_LABELS } from './values.js';
import { driftSummary } from './driftText.js';

/**
 * `cxctl drift --format markdown` (a job summary or an issue): a table of counts per kind first,
 * then one `<details>` block per section; the sections share the room under the limit, and a note
 * names those that were cut.
 */
export function renderDriftMarkdown(
  report: DriftReport,
  out: TextSink,
  options: { limit?: number } = {},
): void {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const head = [
    `### cxctl drift for \`${report.target}\``,
    '',
    report.hasDrift
      ? `**${driftSummary(report)}**`
      : '**No drift.** Live configuration matches the manifests.',
    '',
    '| Kind | Changed | Missing | Not in manifests |',
    '|---|---:|---:|---:|',
    ...KIND_NAMES.map((kind) => {
      const c = report.countsByKind[kind];
      return `| ${KIND_LABELS[kind].plural} | ${c.drifted} | ${c.missing} | ${c.unmanaged} |`;
    }),
    '',
  ].join('\n');
  const sections: MarkdownSection[] = [];
  if (report.drifted.length > 0) {
    sections.push({
      summary: `Changed outside the manifests: ${report.drifted.length}`,
      entries: report.drifted.map((object) =>
        [
          `! ${KIND_LABELS[object.kind].singular} ${object.key}`,
          ...object.fields.map(
            (f) =>
              `!     ${f.path}: live ${formatValue(f.live)}, manifest ${formatValue(f.desired)}`,
          ),
        ].join('\n'),
      ),
      name: 'changed outside the manifests',
      unit: 'objects',
    });
  }
  if (report.missing.length > 0) {
    sections.push({
      summary: `Missing live: ${report.missing.length}`,
      entries: report.missing.map((o) => `+ ${KIND_LABELS[o.kind].singular} ${o.key}`),
      name: 'missing live',
      unit: 'objects',
    });
  }
  if (report.unmanaged.length > 0) {
    sections.push({
      summary: `Not in manifests: ${report.unmanaged.length}`,
      entries: report.unmanaged.map((o) => `- ${KIND_LABELS[o.kind].singular} ${o.key}`),
      name: 'not in manifests',
      unit: 'objects',
    });
  }
  const { body, cut } = renderSections(sections, limit - head.length - 300 - 120 * sections.length);
  const note = truncationNote(cut, 'Run `cxctl drift --format json` to see everything.');
  out.write(`${head}\n${body}${note}`);
}
