/**
 * CRM mappings in the manifest pipeline: turns the merged `crmMappings` items into
 * {@link CrmMapping}s (status list files read through the pipeline's reader, relative to the
 * manifest that names them), resolves them against the explicit wrap-up codes, and hands the
 * generated codes back so they join the desired wrap-up codes before the wrap-up code kind's
 * cross-file checks (one default per category, unique codes).
 *
 * Pure: files are read by the reader the caller passes in (`readReferencedFile`), which is the I/O
 * edge's. The resolved table is the extension's `data`, and part of the manifest digest, so a
 * changed status list changes the digest even where it generates no code.
 */
import type { PendingDiagnostic, SourceLocation } from '../diagnostics.js';
import { pointerInside, type CheckedItem } from '../kinds/types.js';
import { decodeManifestBytes } from '../manifest/decode.js';
import type {
  ExtensionContext,
  ExtensionResult,
  ManifestExtension,
  ManifestResult,
  MergedManifest,
} from '../manifest/pipelineTypes.js';
import type { ManifestPointer } from '../manifest/types.js';
import {
  resolveCrmMappings,
  type CrmMapping,
  type CrmMappingRule,
  type CrmResolution,
  type ExplicitWrapUpCode,
  type StatusFileSource,
} from './mappings.js';
import { isJsonObject } from '../util/json.js';
import type { CrmStatus } from './statusList.js';

/** The extension's name, and the key of its data in `ManifestResult.extensions`. */
export const CRM_EXTENSION_NAME = 'crmMappings';

/** The CRM mappings step of the manifest pipeline. */
export const crmMappingsExtension: ManifestExtension = {
  name: CRM_EXTENSION_NAME,
  expand: expandCrmMappings,
};

/** The resolved CRM mappings of a pipeline run (empty when the manifests declare none). */
export function crmResolutionOf(result: Pick<ManifestResult, 'extensions'>): CrmResolution {
  const data = result.extensions[CRM_EXTENSION_NAME] as CrmResolution | undefined;
  return data ?? { generatedCodes: [], table: [], unmapped: [], problems: [] };
}

/** Resolve the mappings of the merged manifest. */
export function expandCrmMappings(
  manifest: MergedManifest,
  context: ExtensionContext,
): ExtensionResult {
  const items = manifest.items.crmMappings;
  if (items.length === 0) return {};

  const mappings: CrmMapping[] = [];
  // Where each rule is declared, as the pipeline's pointer, and whether the schema accepted it.
  const ruleItems = new Map<SourceLocation, { at: ManifestPointer; schemaValid: boolean }>();
  for (const item of items) {
    const mapping = toMapping(item, context);
    if (mapping === undefined) continue;
    mappings.push(mapping);
    for (const rule of mapping.rules) {
      ruleItems.set(rule.at, { at: rule.at as ManifestPointer, schemaValid: item.schemaValid });
    }
  }

  const explicitCodes: ExplicitWrapUpCode[] = [];
  // Codes whose explicit declaration the schema rejected: that error comes first, and generating
  // a competing code would only add a misleading "declared twice".
  const rejectedExplicit = new Set<string>();
  for (const item of manifest.items.wrapUpCodes) {
    const value = item.value;
    if (typeof value.code !== 'string') continue;
    if (!item.schemaValid) {
      rejectedExplicit.add(value.code);
      continue;
    }
    const explicit: ExplicitWrapUpCode = {
      code: value.code,
      name: value.name as string,
      category: value.category as string,
      duration: value.duration as number,
      at: item.at,
    };
    if (value.isActive !== undefined) explicit.isActive = value.isActive as boolean;
    if (value.isDefault !== undefined) explicit.isDefault = value.isDefault as boolean;
    if (value.description !== undefined) explicit.description = value.description as string;
    explicitCodes.push(explicit);
  }

  // Unmapped statuses are warnings here; `--strict` promotes every warning where it is reported.
  const resolution = resolveCrmMappings(mappings, explicitCodes);
  const wrapUpCodes: CheckedItem[] = [];
  for (const generated of resolution.generatedCodes) {
    if (rejectedExplicit.has(generated.code)) continue;
    const rule = ruleItems.get(generated.origin.at);
    if (rule === undefined) continue; // cannot happen: every origin is one of our rules
    const { origin: _origin, ...fields } = generated;
    wrapUpCodes.push({ value: { ...fields }, at: rule.at, schemaValid: rule.schemaValid });
  }
  return {
    wrapUpCodes,
    diagnostics: resolution.problems,
    digest: {
      crm: {
        mappings: resolution.table,
        unmapped: resolution.unmapped.map(({ system, status, description }) => ({
          system,
          status,
          description,
        })),
      },
    },
    data: resolution,
  };
}

/**
 * One `crmMappings` item as a {@link CrmMapping}, or undefined when its system or status list is
 * not even well-typed (the schema has reported it). Rules are taken when their status and code are
 * text; the schema reports anything else about them, and codes from a mapping the schema rejected
 * never reach the desired state.
 */
function toMapping(item: CheckedItem, context: ExtensionContext): CrmMapping | undefined {
  const value = item.value;
  if (typeof value.system !== 'string' || value.system === '') return undefined;
  const statuses = toStatuses(value.statuses, item.at, context, value.system);
  if (statuses === undefined) return undefined;
  const rules: CrmMappingRule[] = [];
  if (Array.isArray(value.rules)) {
    value.rules.forEach((rule: unknown, index) => {
      if (!isJsonObject(rule) || typeof rule.status !== 'string' || typeof rule.code !== 'string') {
        return;
      }
      const entry: CrmMappingRule = {
        status: rule.status,
        code: rule.code,
        category: rule.category as string,
        duration: rule.duration as number,
        at: pointerInside(item.at, 'rules', index),
      };
      if (rule.isActive !== undefined) entry.isActive = rule.isActive as boolean;
      if (rule.isDefault !== undefined) entry.isDefault = rule.isDefault as boolean;
      rules.push(entry);
    });
  }
  return { system: value.system, statuses, rules, at: pointerInside(item.at, 'system') };
}

/** The inline list, or the file (read now, relative to the manifest), or undefined. */
function toStatuses(
  statuses: unknown,
  at: ManifestPointer,
  context: ExtensionContext,
  system: string,
): CrmMapping['statuses'] | undefined {
  if (Array.isArray(statuses)) {
    const list: CrmStatus[] = [];
    for (const [index, entry] of statuses.entries()) {
      if (!isJsonObject(entry)) return undefined;
      const { status, description } = entry;
      if (typeof status !== 'string' || typeof description !== 'string') return undefined;
      list.push({
        status,
        description,
        at: pointerInside(at, 'statuses', index, 'status'),
        descriptionAt: pointerInside(at, 'statuses', index, 'description'),
      });
    }
    return list;
  }
  if (typeof statuses !== 'string' || statuses === '') return undefined;
  return readStatusFile(statuses, pointerInside(at, 'statuses'), context, system);
}

/** Read a status list file through the pipeline's reader. */
function readStatusFile(
  path: string,
  referencedAt: ManifestPointer,
  context: ExtensionContext,
  system: string,
): StatusFileSource {
  if (context.readReferencedFile === undefined) {
    return {
      file: path,
      readError: 'this command reads no files besides the manifests',
      referencedAt,
    };
  }
  const read = context.readReferencedFile(referencedAt.file, path);
  if (!read.ok) return { file: read.file, readError: read.message, referencedAt };
  const decoded = decodeManifestBytes(read.file, read.bytes);
  if (decoded.ok) {
    const secrets = context.secretsIn(read.file, decoded.text);
    if (secrets.length === 0) return { file: read.file, text: decoded.text, referencedAt };
    const readProblems = secrets.map(({ file, line, column, ...problem }): PendingDiagnostic => ({
      ...problem,
      at: { file, line, column },
    }));
    return { file: read.file, readProblems, referencedAt };
  }
  const problem: PendingDiagnostic = {
    severity: 'error',
    code: 'crm.statusFileEncoding',
    message: `cannot read the ${system} status list: ${decoded.message}`,
    at: { file: read.file, line: decoded.line, column: decoded.column },
    hint: decoded.code === 'file.tooLarge' ? 'split the status list' : decoded.hint,
  };
  return { file: read.file, readProblems: [problem], referencedAt };
}
