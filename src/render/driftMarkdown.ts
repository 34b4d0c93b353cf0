import type { DriftReport } from '../plan/drift.js';
import { KIND_NAMES } from '../plan/types.js';
import type { TextSink } from '../util/log.js';
import { MARKDOWN_LIMIT } from './planMarkdown.js';
import { renderSections, type MarkdownSection } from './markdownSections.js';
import { formatValue, KIND_LABELS } from './values.js';
import { driftSummary } from './driftText.js';

/**
 * `cxctl drift --format markdown` (a job summary or an issue): a table of counts per kind first,
 * then one `<details>` block per section, cut with a note to stay under the limit.
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
      lines: report.drifted.flatMap((object) => [
        `! ${KIND_LABELS[object.kind].singular} ${object.key}`,
        ...object.fields.map(
          (f) => `!     ${f.path}: live ${formatValue(f.live)}, manifest ${formatValue(f.desired)}`,
        ),
      ]),
    });
  }
  if (report.missing.length > 0) {
    sections.push({
      summary: `Missing live: ${report.missing.length}`,
      lines: report.missing.map((o) => `+ ${KIND_LABELS[o.kind].singular} ${o.key}`),
    });
  }
  if (report.unmanaged.length > 0) {
    sections.push({
      summary: `Not in manifests: ${report.unmanaged.length}`,
      lines: report.unmanaged.map((o) => `- ${KIND_LABELS[o.kind].singular} ${o.key}`),
    });
  }
  const { body, omitted } = renderSections(sections, limit - head.length - 200);
  const note =
    omitted > 0
      ? `> **Truncated:** ${omitted} line(s) not shown to stay under the size limit. Run \`cxctl drift --format json\` for everything.\n`
      : '';
  out.write(`${head}\n${body}${note}`);
}
