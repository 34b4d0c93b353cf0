/**
 * CRM status lists: a CSV file with a `status,description` header (see docs/crm.md).
 */
import { excerpt } from '../util/excerpt.js';
import type { PendingDiagnostic, SourceLocation } from '../diagnostics.js';
import { parseCsv } from './csv.js';

/** One CRM status with where it was written. */
export interface CrmStatus {
  /** The CRM's status value, e.g. `CASE_CLOSED_RESOLVED`. */
  status: string;
  /** Human text; becomes the generated wrap-up code's name. */
  description: string;
  /** Where the status is written (the status field of a CSV row, or the inline list entry). */
  at: SourceLocation;
  /** Where the description is written, when it differs from `at`. */
  descriptionAt?: SourceLocation;
}

/** The statuses read from a file, and every problem found in it. */
export interface StatusListResult {
  statuses: CrmStatus[];
  problems: PendingDiagnostic[];
}

const REQUIRED_COLUMNS = ['status', 'description'] as const;
/** Header fields a message about a wrong header shows. */
const MAX_HEADER_FIELDS_SHOWN = 3;

/**
 * Read a status list from CSV text. The header must name the columns `status` and `description`
 * (in any order, matched case-insensitively with surrounding spaces ignored); other columns are
 * allowed and ignored, so a CRM export can be used as it is. `file` is used in locations only.
 */
export function parseStatusCsv(text: string, file: string): StatusListResult {
  const parsed = parseCsv(text);
  const problems: PendingDiagnostic[] = parsed.problems.map((problem) => ({
    severity: 'error',
    code: 'crm.csvSyntax',
    message: `malformed CSV: ${problem.message}`,
    at: { file, line: problem.line, column: problem.column },
  }));
  const [header, ...rows] = parsed.records;
  if (header === undefined) {
    if (problems.length === 0) {
      problems.push({
        severity: 'error',
        code: 'crm.csvHeader',
        message: 'the status list is empty; it needs a header row "status,description"',
        at: { file, line: 1, column: 1 },
      });
    }
    return { statuses: [], problems };
  }

  const columns = new Map<string, number>();
  header.fields.forEach((field, index) => {
    const name = field.value.trim().toLowerCase();
    if (columns.has(name) && (REQUIRED_COLUMNS as readonly string[]).includes(name)) {
      problems.push({
        severity: 'error',
        code: 'crm.csvHeader',
        message: `the header names the column "${name}" twice`,
        at: { file, line: field.line, column: field.column },
      });
    }
    if (!columns.has(name)) columns.set(name, index);
  });
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    // The file could be anything a manifest names: show a few of its first fields, each cut short.
    const shown = header.fields
      .slice(0, MAX_HEADER_FIELDS_SHOWN)
      .map((field) => excerpt(field.value));
    const more = header.fields.length - shown.length;
    const found = `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    problems.push({
      severity: 'error',
      code: 'crm.csvHeader',
      message: `the header row has no ${missing.map((name) => `"${name}"`).join(' or ')} column (found ${found}); it must name the columns status and description`,
      at: { file, line: header.line, column: 1 },
      hint: 'start the file with the line: status,description',
    });
  }
  if (problems.some((problem) => problem.code === 'crm.csvHeader')) {
    return { statuses: [], problems };
  }

  const statusColumn = columns.get('status') as number;
  const descriptionColumn = columns.get('description') as number;
  const statuses = rows.map((row): CrmStatus => {
    // Every row has as many fields as the header (parseCsv drops the others), so both exist.
    const status = row.fields[statusColumn] as (typeof row.fields)[number];
    const description = row.fields[descriptionColumn] as (typeof row.fields)[number];
    return {
      status: status.value,
      description: description.value,
      at: { file, line: status.line, column: status.column },
      descriptionAt: { file, line: description.line, column: description.column },
    };
  });
  return { statuses, problems };
}
