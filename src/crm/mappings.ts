/**
 * CRM mappings (`crmMappings`, docs/crm.md): CRM status lists plus mapping rules become wrap-up
 * codes, merged with the explicitly declared ones, and the status -> code table the CRM side imports.
 *
 * Pure: status files arrive as text (the caller reads them). Every problem comes back as data with
 * a location; docs/crm.md describes each one. Field formats (code pattern, duration range, ...) are
 * the manifest schema's job; this module adds what needs more than one object to check.
 */
import type { PendingDiagnostic, SourceLocation } from '../diagnostics.js';
import { closestMatch } from '../util/suggest.js';
import { parseStatusCsv, type CrmStatus } from './statusList.js';

/** A status list file named by a mapping, with its text as the caller read it. */
export interface StatusFileSource {
  /** The file's path as shown to the user (already resolved relative to the manifest). */
  file: string;
  /** The file's contents; absent when it could not be read. */
  text?: string;
  /** Why the file could not be read (e.g. `no such file`), when `text` is absent. */
  readError?: string;
  /**
   * Problems found in the file's bytes before it became text (e.g. invalid UTF-8, at its own
   * line and column), when `text` is absent; reported instead of `readError`.
   */
  readProblems?: readonly PendingDiagnostic[];
  /** Where the manifest names the file. */
  referencedAt: SourceLocation;
}

/** One mapping rule: CRM status -> wrap-up code. */
export interface CrmMappingRule {
  status: string;
  code: string;
  category: string;
  duration: number;
  isActive?: boolean;
  isDefault?: boolean;
  at: SourceLocation;
}

/** One `crmMappings` entry. */
export interface CrmMapping {
  /** The CRM's name, e.g. `salesforce`; unique across mappings. */
  system: string;
  /** An inline list, or a CSV file. */
  statuses: readonly CrmStatus[] | StatusFileSource;
  rules: readonly CrmMappingRule[];
  at: SourceLocation;
}

/** A wrap-up code declared in `wrapUpCodes`. */
export interface ExplicitWrapUpCode {
  code: string;
  name: string;
  category: string;
  duration: number;
  isActive?: boolean;
  isDefault?: boolean;
  description?: string;
  at: SourceLocation;
}

/** A wrap-up code produced by a mapping rule, with defaults filled in. */
export interface GeneratedWrapUpCode {
  code: string;
  /** The status description. */
  name: string;
  category: string;
  duration: number;
  isActive: boolean;
  isDefault: boolean;
  /** `Synced from <system> status <status>`. */
  description: string;
  /** Which mapping produced it. */
  origin: { system: string; status: string; at: SourceLocation };
}

/** One row of the table `cxctl crm mappings` prints. */
export interface StatusMappingRow {
  system: string;
  status: string;
  description: string;
  code: string;
  category: string;
}

/** A status no rule maps. */
export interface UnmappedStatus {
  system: string;
  status: string;
  description: string;
  at: SourceLocation;
}

/** Everything resolved from the mappings. */
export interface CrmResolution {
  /**
   * Codes to add to the desired wrap-up codes: one per mapped status, except codes that
   * `wrapUpCodes` declares explicitly with the same fields (the explicit declaration stands).
   * Sorted by code.
   */
  generatedCodes: GeneratedWrapUpCode[];
  /** The resolved table, by system (sorted) and then in the order of the system's status list. */
  table: StatusMappingRow[];
  /** Statuses without a rule, in the same order. */
  unmapped: UnmappedStatus[];
  /** Every problem; errors make the mappings unusable. */
  problems: PendingDiagnostic[];
}

/** Options of {@link resolveCrmMappings}. */
export interface CrmResolveOptions {
  /** Report unmapped statuses as errors instead of warnings (`--strict`). */
  strict?: boolean;
}

/** Longest wrap-up code name and description the API accepts, in characters (code points). */
export const MAX_NAME_LENGTH = 100;
export const MAX_DESCRIPTION_LENGTH = 500;

/** The description a generated code carries. */
export function syncedDescription(system: string, status: string): string {
  return `Synced from ${system} status ${status}`;
}

/** Length in code points, as JSON Schema `maxLength` (and so the manifest schema) counts. */
function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function isFileSource(statuses: CrmMapping['statuses']): statuses is StatusFileSource {
  return !Array.isArray(statuses);
}

/** The fields compared between an explicit and a generated code, in message order. */
const COMPARED_FIELDS = [
  'name',
  'category',
  'duration',
  'isActive',
  'isDefault',
  'description',
] as const;

/** Collects problems. */
class Problems {
  readonly list: PendingDiagnostic[] = [];

  add(problem: PendingDiagnostic): void {
    this.list.push(problem);
  }

  error(
    code: string,
    message: PendingDiagnostic['message'],
    at: SourceLocation,
    extra: Partial<PendingDiagnostic> = {},
  ): void {
    this.list.push({ severity: 'error', code, message, at, ...extra });
  }
}

/** A mapped status: the rule, the status it maps, and the code it generates. */
interface Mapped {
  rule: CrmMappingRule;
  status: CrmStatus;
  generated: GeneratedWrapUpCode;
  /** False when the generated code itself is invalid (name too long, ...). */
  valid: boolean;
}

/** The statuses of one mapping, or undefined when its list has errors (reported). */
function loadStatuses(mapping: CrmMapping, problems: Problems): readonly CrmStatus[] | undefined {
  const source = mapping.statuses;
  if (!isFileSource(source)) return source;
  if (source.text === undefined) {
    if (source.readProblems !== undefined && source.readProblems.length > 0) {
      for (const problem of source.readProblems) problems.add(problem);
      return undefined;
    }
    problems.error(
      'crm.statusFileUnreadable',
      `cannot read the ${mapping.system} status list ${source.file}: ${source.readError ?? 'no contents'}`,
      source.referencedAt,
      { hint: 'the path is relative to the manifest that names it' },
    );
    return undefined;
  }
  const parsed = parseStatusCsv(source.text, source.file);
  for (const problem of parsed.problems) problems.add(problem);
  return parsed.problems.length > 0 ? undefined : parsed.statuses;
}

/** Check the statuses themselves; returns the first entry per status value. */
function indexStatuses(
  mapping: CrmMapping,
  statuses: readonly CrmStatus[],
  problems: Problems,
): Map<string, CrmStatus> {
  const byStatus = new Map<string, CrmStatus>();
  for (const entry of statuses) {
    if (entry.status === '') {
      problems.error('crm.emptyStatus', `a ${mapping.system} status is empty`, entry.at);
      continue;
    }
    if (entry.status.trim() !== entry.status) {
      problems.error(
        'crm.statusWhitespace',
        `${mapping.system} status ${JSON.stringify(entry.status)} starts or ends with white space`,
        entry.at,
        { hint: 'statuses are matched exactly; remove the spaces' },
      );
    }
    const first = byStatus.get(entry.status);
    if (first !== undefined) {
      problems.error(
        'crm.duplicateStatus',
        (where) =>
          `${mapping.system} status ${entry.status} is listed twice; first at ${where(first.at)}`,
        entry.at,
        { related: [first.at] },
      );
      continue;
    }
    byStatus.set(entry.status, entry);
  }
  return byStatus;
}

/** The code a rule generates, checking the parts that come from the status list. */
function generate(
  mapping: CrmMapping,
  rule: CrmMappingRule,
  status: CrmStatus,
  problems: Problems,
): Mapped {
  const generated: GeneratedWrapUpCode = {
    code: rule.code,
    name: status.description,
    category: rule.category,
    duration: rule.duration,
    isActive: rule.isActive ?? true,
    isDefault: rule.isDefault ?? false,
    description: syncedDescription(mapping.system, status.status),
    origin: { system: mapping.system, status: status.status, at: rule.at },
  };
  let valid = true;
  const descriptionAt = status.descriptionAt ?? status.at;
  const length = characters(status.description);
  if (status.description.trim() === '') {
    problems.error(
      'crm.emptyDescription',
      `${mapping.system} status ${status.status} has no description, but wrap-up code ${rule.code} takes its name from it`,
      descriptionAt,
      { hint: 'give the status a description (1 to 100 characters)', related: [rule.at] },
    );
    valid = false;
  } else if (length > MAX_NAME_LENGTH) {
    problems.error(
      'crm.descriptionTooLong',
      `${mapping.system} status ${status.status} has a description of ${length} characters, but wrap-up code ${rule.code} takes its name from it and names have at most ${MAX_NAME_LENGTH}`,
      descriptionAt,
      { hint: 'shorten the description in the status list', related: [rule.at] },
    );
    valid = false;
  }
  const synced = characters(generated.description);
  if (synced > MAX_DESCRIPTION_LENGTH) {
    problems.error(
      'crm.syncedDescriptionTooLong',
      `the description "${syncedDescription('<system>', '<status>')}" of wrap-up code ${rule.code} would be ${synced} characters; at most ${MAX_DESCRIPTION_LENGTH}`,
      rule.at,
      { hint: 'use a shorter system name or status' },
    );
    valid = false;
  }
  return { rule, status, generated, valid };
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

/** Fields where the explicit declaration differs from the generated code. */
function differences(explicit: ExplicitWrapUpCode, generated: GeneratedWrapUpCode): string[] {
  const normalised = {
    name: explicit.name,
    category: explicit.category,
    duration: explicit.duration,
    isActive: explicit.isActive ?? true,
    isDefault: explicit.isDefault ?? false,
    // An empty description is no description, as the API stores it.
    description: explicit.description === '' ? undefined : explicit.description,
  };
  return COMPARED_FIELDS.filter((field) => normalised[field] !== generated[field]).map(
    (field) =>
      `${field} ${show(normalised[field])} here vs ${show(generated[field])} from the mapping`,
  );
}

/**
 * Resolve every CRM mapping against the explicit wrap-up codes.
 *
 * Problems (all with locations): unreadable or malformed status files, empty, padded or duplicate
 * statuses, duplicate systems, orphan mappings (a rule whose status is not listed), two rules for
 * one status, one code generated from two statuses, a generated code that disagrees with its
 * explicit declaration, a description unusable as a name, and unmapped statuses (warnings, or
 * errors with `strict`). A system whose status list has errors contributes nothing else, so one
 * broken file does not cascade into a page of orphan mappings.
 */
export function resolveCrmMappings(
  mappings: readonly CrmMapping[],
  explicitCodes: readonly ExplicitWrapUpCode[],
  options: CrmResolveOptions = {},
): CrmResolution {
  const problems = new Problems();
  const systems = new Map<string, CrmMapping>();
  const mapped: Mapped[] = [];
  const table: StatusMappingRow[] = [];
  const unmapped: UnmappedStatus[] = [];

  const ordered = mappings
    .map((mapping, order) => ({ mapping, order }))
    .sort((a, b) =>
      a.mapping.system < b.mapping.system
        ? -1
        : a.mapping.system > b.mapping.system
          ? 1
          : a.order - b.order,
    );
  // Duplicate systems are reported in declaration order, before anything else is looked at.
  for (const mapping of mappings) {
    const first = systems.get(mapping.system);
    if (first !== undefined) {
      problems.error(
        'crm.duplicateSystem',
        (where) =>
          `CRM system ${mapping.system} has two mappings; the first is at ${where(first.at)}`,
        mapping.at,
        { hint: 'merge the two into one crmMappings entry', related: [first.at] },
      );
      continue;
    }
    systems.set(mapping.system, mapping);
  }

  for (const { mapping } of ordered) {
    if (systems.get(mapping.system) !== mapping) continue; // a duplicate, reported above
    const statuses = loadStatuses(mapping, problems);
    if (statuses === undefined) continue;
    const byStatus = indexStatuses(mapping, statuses, problems);

    const ruleFor = new Map<string, CrmMappingRule>();
    for (const rule of mapping.rules) {
      const status = byStatus.get(rule.status);
      if (status === undefined) {
        const suggestion = closestMatch(rule.status, byStatus.keys());
        problems.error(
          'crm.orphanMapping',
          `mapping rule for ${mapping.system} status ${rule.status} is an orphan: the status list has no such status`,
          rule.at,
          suggestion === undefined
            ? { hint: 'add the status to the list, or remove the rule' }
            : { hint: `did you mean ${suggestion}?` },
        );
        continue;
      }
      const earlier = ruleFor.get(rule.status);
      if (earlier !== undefined) {
        problems.error(
          'crm.duplicateMapping',
          (where) =>
            `${mapping.system} status ${rule.status} is mapped twice; the first rule (to ${earlier.code}) is at ${where(earlier.at)}`,
          rule.at,
          { related: [earlier.at] },
        );
        continue;
      }
      ruleFor.set(rule.status, rule);
      mapped.push(generate(mapping, rule, status, problems));
    }

    for (const entry of byStatus.values()) {
      const rule = ruleFor.get(entry.status);
      if (rule !== undefined) {
        table.push({
          system: mapping.system,
          status: entry.status,
          description: entry.description,
          code: rule.code,
          category: rule.category,
        });
        continue;
      }
      unmapped.push({
        system: mapping.system,
        status: entry.status,
        description: entry.description,
        at: entry.at,
      });
      problems.add({
        severity: options.strict === true ? 'error' : 'warning',
        code: 'crm.unmappedStatus',
        message: `${mapping.system} status ${entry.status} has no mapping rule, so no wrap-up code is synced for it`,
        at: entry.at,
        hint: 'add a rule for it, or remove it from the status list',
      });
    }
  }

  // One code per CRM status: the table must read the same in both directions.
  const byCode = new Map<string, Mapped>();
  for (const entry of mapped) {
    const first = byCode.get(entry.rule.code);
    if (first !== undefined) {
      problems.error(
        'crm.codeConflict',
        (where) =>
          `wrap-up code ${entry.rule.code} is generated both from ${entry.generated.origin.system} status ${entry.status.status} and from ${first.generated.origin.system} status ${first.status.status} (${where(first.rule.at)})`,
        entry.rule.at,
        {
          hint: 'map each CRM status to its own wrap-up code',
          related: [first.rule.at],
        },
      );
      continue;
    }
    byCode.set(entry.rule.code, entry);
  }

  const explicitByCode = new Map<string, ExplicitWrapUpCode>();
  for (const code of explicitCodes) {
    // Duplicate explicit codes are the wrap-up code kind's to report; the first one counts here.
    if (!explicitByCode.has(code.code)) explicitByCode.set(code.code, code);
  }

  const generatedCodes: GeneratedWrapUpCode[] = [];
  for (const entry of byCode.values()) {
    if (!entry.valid) continue;
    const explicit = explicitByCode.get(entry.rule.code);
    if (explicit === undefined) {
      generatedCodes.push(entry.generated);
      continue;
    }
    const differing = differences(explicit, entry.generated);
    if (differing.length > 0) {
      problems.error(
        'crm.explicitConflict',
        (where) =>
          `wrap-up code ${entry.rule.code} is declared here and also generated from ${entry.generated.origin.system} status ${entry.status.status} (${where(entry.rule.at)}), and they differ: ${differing.join('; ')}`,
        explicit.at,
        {
          hint: 'make the declaration match the mapping, or remove it and let the mapping generate the code',
          related: [entry.rule.at],
        },
      );
    }
  }
  generatedCodes.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { generatedCodes, table, unmapped, problems: problems.list };
}
