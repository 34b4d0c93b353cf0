/**
 * Renderers of the resolved CRM status -> wrap-up code table (`cxctl crm mappings --format ...`).
 * They write to the stream they are given and compute nothing.
 *
 * - `csv`: RFC 4180 with CRLF, header `system,status,description,code,category`, mapped statuses
 *   only: the file the CRM side imports.
 * - `json`: `{"formatVersion": 1, "mappings": [{system, status, description, code, category}],
 *   "unmapped": [{system, status, description}]}`, two-space indented, stable key order.
 * - `text`: an aligned table, then the unmapped statuses and a summary line.
 */
import type { ChalkInstance } from 'chalk';
import { csvRecord } from '../crm/csv.js';
import type { StatusMappingRow, UnmappedStatus } from '../crm/mappings.js';
import type { TextSink } from '../util/log.js';

/** What the renderers show. */
export interface CrmMappingsView {
  table: readonly StatusMappingRow[];
  unmapped: readonly UnmappedStatus[];
}

/** Output formats of `cxctl crm mappings`. */
export type CrmMappingsFormat = 'csv' | 'json' | 'text';

/** Column order of the CSV and text table. */
export const CRM_TABLE_COLUMNS = ['system', 'status', 'description', 'code', 'category'] as const;

/** The import table as CSV. */
export function renderCrmMappingsCsv(view: CrmMappingsView, out: TextSink): void {
  let text = csvRecord(CRM_TABLE_COLUMNS);
  for (const row of view.table) text += csvRecord(CRM_TABLE_COLUMNS.map((column) => row[column]));
  out.write(text);
}

/** Version of the `cxctl crm mappings --format json` document (docs/crm.md describes it). */
export const CRM_MAPPINGS_JSON_VERSION = 1;

/** The table and the unmapped statuses as JSON. */
export function renderCrmMappingsJson(view: CrmMappingsView, out: TextSink): void {
  const document = {
    formatVersion: CRM_MAPPINGS_JSON_VERSION,
    mappings: view.table.map((row) => ({
      system: row.system,
      status: row.status,
      description: row.description,
      code: row.code,
      category: row.category,
    })),
    unmapped: view.unmapped.map((entry) => ({
      system: entry.system,
      status: entry.status,
      description: entry.description,
    })),
  };
  out.write(`${JSON.stringify(document, null, 2)}\n`);
}

/** Line breaks and tabs in a cell would break the alignment; show them escaped. */
function cell(value: string): string {
  return value.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** The table for people: aligned columns, then unmapped statuses, then a summary. */
export function renderCrmMappingsText(
  view: CrmMappingsView,
  out: TextSink,
  color?: ChalkInstance,
): void {
  const bold = (text: string): string => (color ? color.bold(text) : text);
  const dim = (text: string): string => (color ? color.dim(text) : text);
  const yellow = (text: string): string => (color ? color.yellow(text) : text);
  const lines: string[] = [];
  if (view.table.length > 0) {
    const rows = view.table.map((row) => CRM_TABLE_COLUMNS.map((column) => cell(row[column])));
    const headings = CRM_TABLE_COLUMNS.map((column) => column.toUpperCase());
    const widths = headings.map((heading, index) =>
      Math.max(heading.length, ...rows.map((row) => (row[index] ?? '').length)),
    );
    const format = (values: readonly string[]): string =>
      values
        .map((value, index) =>
          index === values.length - 1 ? value : value.padEnd(widths[index] ?? 0),
        )
        .join('  ');
    lines.push(bold(format(headings)));
    for (const row of rows) lines.push(format(row));
  }
  if (view.unmapped.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(yellow(`Unmapped (${view.unmapped.length}):`));
    for (const entry of view.unmapped) {
      lines.push(`  ${entry.system}  ${cell(entry.status)}  ${dim(cell(entry.description))}`);
    }
  }
  const systems = new Set(view.table.map((row) => row.system)).size;
  if (lines.length > 0) lines.push('');
  lines.push(
    `${plural(view.table.length, 'status', 'statuses')} mapped in ${plural(systems, 'system')}, ${view.unmapped.length} unmapped.`,
  );
  out.write(`${lines.join('\n')}\n`);
}

/** Dispatch on the format. */
export function renderCrmMappings(
  view: CrmMappingsView,
  format: CrmMappingsFormat,
  out: TextSink,
  color?: ChalkInstance,
): void {
  if (format === 'csv') renderCrmMappingsCsv(view, out);
  else if (format === 'json') renderCrmMappingsJson(view, out);
  else renderCrmMappingsText(view, out, color);
}
