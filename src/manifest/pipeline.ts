/**
 * From manifest bytes to the validated, normalised desired state: load (fast or slow path), check
 * each document against the JSON Schema, merge all documents, let extensions add derived objects
 * (CRM mappings produce wrap-up codes), run each kind's checks across all files, normalise, digest.
 * Diagnostics are positioned only at the end, and only those that are reported. Pure: bytes,
 * environment and defaults come in; nothing is read or written.
 */
import { isJsonObject } from '../util/json.js';
import { compareDiagnostics, hasErrors, type Diagnostic } from '../diagnostics.js';
import {
  RESOURCE_KIND_KEYS,
  resourceKinds,
  type DesiredByKind,
  type DesiredComplianceRule,
  type DesiredWrapUpCode,
} from '../kinds/index.js';
import { compareStrings, type KindDefaults } from '../kinds/types.js';
import { manifestDocumentValidator } from '../schema/compile.js';
import { schemaErrorsToDiagnostics } from '../schema/messages.js';
import { manifestDigest } from './digest.js';
import { STANDARD_EXTENSIONS } from './extensions.js';
import { loadManifestSources, type LoadOptions } from './load.js';
import { secretProblems } from './secretReferences.js';
import type {
  ExtensionContext,
  ManifestExtension,
  ManifestResult,
  MergedManifest,
  ReferencedFileReader,
} from './pipelineTypes.js';
import {
  MANIFEST_LIST_KEYS,
  type ManifestPointer,
  type ManifestScope,
  type ManifestSource,
  type PendingDiagnostic,
  type Located,
} from './types.js';

export type {
  ExtensionContext,
  ExtensionResult,
  ManifestExtension,
  ManifestFileReport,
  ManifestResult,
  MergedManifest,
  ReferencedFileReader,
} from './pipelineTypes.js';

/** Options of {@link buildDesiredState}. */
export interface ManifestOptions extends LoadOptions {
  defaults?: KindDefaults;
  /**
   * More steps that derive objects from other sections, run after the standard ones
   * ({@link STANDARD_EXTENSIONS}: CRM mappings, compliance test references).
   */
  extensions?: readonly ManifestExtension[];
  /**
   * Run the standard extensions (default true). Only tests of the pipeline itself turn them off:
   * every command must see CRM-generated codes, so callers cannot lose them by passing
   * `extensions`.
   */
  standardExtensions?: boolean;
  /** Handed to extensions, so the pipeline itself stays free of I/O. */
  readReferencedFile?: ReferencedFileReader;
}

/**
 * Load, check, merge, expand, validate and normalise manifests.
 *
 * The one rule for the fast path: its reading is used only when the whole run finds nothing to
 * report. Any diagnostic (error or warning) with a file read on the fast path runs everything again
 * with the position-keeping parser for every file, and only that run is reported. So every problem
 * shown comes from the tree yaml reads, with its positions, whatever js-yaml made of the text.
 */
export function buildDesiredState(
  sources: readonly ManifestSource[],
  options: ManifestOptions,
): ManifestResult {
  const result = buildOnce(sources, options);
  const fastFiles = result.files.some((file) => file.path === 'fast');
  if (result.diagnostics.length === 0 || !fastFiles) return result;
  return buildOnce(sources, { ...options, parser: 'slow' });
}

/** {@link buildDesiredState} with the parser `options` asks for. */
function buildOnce(sources: readonly ManifestSource[], options: ManifestOptions): ManifestResult {
  const defaults = options.defaults ?? {};
  const loaded = loadManifestSources(sources, options);
  const locator = loaded.locator;
  const pending: PendingDiagnostic[] = [];
  const merged: MergedManifest = {
    items: { wrapUpCodes: [], complianceRules: [], crmMappings: [], complianceTests: [] },
  };
  const validate = manifestDocumentValidator();

  for (const file of loaded.files) {
    file.documents.forEach((value, document) => {
      if (value === undefined) return;
      const where = { file: file.file, document };
      const valid = validate(value);
      const errors = valid ? [] : (validate.errors ?? []);
      pending.push(...schemaErrorsToDiagnostics(errors, where));
      if (!isJsonObject(value)) return;
      const invalidItems = new Set<string>();
      for (const error of errors) {
        const [key, index] = error.instancePath.split('/').slice(1);
        if (key !== undefined && index !== undefined) invalidItems.add(`${key}/${index}`);
      }
      mergeDocument(value, where, invalidItems, merged, pending);
    });
  }

  const context: ExtensionContext = {
    defaults,
    ...(options.readReferencedFile ? { readReferencedFile: options.readReferencedFile } : {}),
    secretsIn: (file, text) => secretProblems(file, text, options),
    locate: (location) => locator.locate(location),
    format: (location) => locator.format(location),
  };
  const extensionData: Record<string, unknown> = {};
  const extensionDigest: Record<string, unknown> = {};
  const extensions = [
    ...(options.standardExtensions === false ? [] : STANDARD_EXTENSIONS),
    ...(options.extensions ?? []),
  ];
  for (const extension of extensions) {
    const result = extension.expand(merged, context);
    merged.items.wrapUpCodes.push(...(result.wrapUpCodes ?? []));
    pending.push(...(result.diagnostics ?? []));
    if (result.data !== undefined) extensionData[extension.name] = result.data;
    Object.assign(extensionDigest, result.digest);
  }

  for (const key of RESOURCE_KIND_KEYS) {
    pending.push(...resourceKinds[key].validate(merged.items[key], defaults));
  }

  const diagnostics = uniqueDiagnostics([
    ...pending.map((diagnostic) => locator.resolve(diagnostic)),
    ...loaded.diagnostics,
  ]);

  const desired = {
    wrapUpCodes: desiredOf('wrapUpCodes', merged, defaults),
    complianceRules: desiredOf('complianceRules', merged, defaults),
  };
  const digest = manifestDigest({
    ...extensionDigest,
    wrapUpCodes: desired.wrapUpCodes.map((item) => item.value),
    complianceRules: desired.complianceRules.map((item) => item.value),
    scope: merged.scope?.value ?? null,
  });
  return {
    files: loaded.files.map(({ file, path, failed }) => ({ file, path, failed })),
    diagnostics,
    ok: !hasErrors(diagnostics),
    loadFailed: loaded.files.some((file) => file.failed),
    desired,
    merged,
    digest,
    extensions: extensionData,
    locator,
  };
}

/**
 * Sorted, without repeats: a value shared through an alias is reported once at its anchor, not
 * once per alias.
 */
function uniqueDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  diagnostics.sort(compareDiagnostics);
  return diagnostics.filter((diagnostic, index) => {
    const previous = diagnostics[index - 1];
    return !(
      previous &&
      compareDiagnostics(previous, diagnostic) === 0 &&
      previous.severity === diagnostic.severity
    );
  });
}

/** Add one document's lists and scope to the merged manifest. */
function mergeDocument(
  value: Record<string, unknown>,
  where: { file: string; document: number },
  invalidItems: ReadonlySet<string>,
  merged: MergedManifest,
  pending: PendingDiagnostic[],
): void {
  for (const key of MANIFEST_LIST_KEYS) {
    const list = value[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, index) => {
      if (!isJsonObject(item)) return;
      merged.items[key].push({
        value: item,
        at: { ...where, path: [key, index] },
        schemaValid: invalidItems.size === 0 || !invalidItems.has(`${key}/${index}`),
      });
    });
  }
  const scope = value.scope;
  if (isJsonObject(scope)) {
    const at: ManifestPointer = { ...where, path: ['scope'], target: 'key' };
    const first = merged.scope;
    if (first) {
      pending.push({
        severity: 'error',
        code: 'manifest.duplicateScope',
        message: (format) => `scope is declared more than once: here and at ${format(first.at)}`,
        at,
        hint: 'declare scope in one file only',
      });
    } else {
      const valid = ![...invalidItems].some((entry) => entry.startsWith('scope/'));
      merged.scope = { value: valid ? normaliseScope(scope) : {}, at };
    }
  }
}

/** Sorted lists; absent parts stay absent. */
function normaliseScope(scope: ManifestScope): ManifestScope {
  const result: ManifestScope = {};
  if (scope.wrapUpCodes) {
    const codes: NonNullable<ManifestScope['wrapUpCodes']> = {};
    if (scope.wrapUpCodes.codePrefix !== undefined) codes.codePrefix = scope.wrapUpCodes.codePrefix;
    if (scope.wrapUpCodes.categories !== undefined) {
      codes.categories = [...new Set(scope.wrapUpCodes.categories)].sort(compareStrings);
    }
    result.wrapUpCodes = codes;
  }
  if (scope.campaigns !== undefined) {
    result.campaigns = [...new Set(scope.campaigns)].sort(compareStrings);
  }
  return result;
}

/**
 * The desired objects of a kind: items the schema accepted, normalised; the first
 * of duplicates only, so identities are unique; sorted by the kind's order.
 */
function desiredOf<K extends keyof DesiredByKind>(
  key: K,
  merged: MergedManifest,
  defaults: KindDefaults,
): Located<DesiredByKind[K]>[] {
  const kind = resourceKinds[key];
  const result: Located<DesiredByKind[K]>[] = [];
  const seen = new Set<string>();
  for (const item of merged.items[key]) {
    // Items the schema accepted are normalised even when other checks failed; callers that act
    // on the desired state (plan, apply) refuse to run when `ok` is false anyway.
    if (!item.schemaValid) continue;
    const value = kind.normalise(item.value, defaults);
    const identity = kind.identity(value);
    if (seen.has(identity)) continue;
    seen.add(identity);
    result.push({ value, at: item.at });
  }
  result.sort((a, b) => kind.compare(a.value, b.value));
  return result;
}

/** Desired wrap-up codes and rules as plain lists (for callers that do not need locations). */
export function desiredValues(result: ManifestResult): {
  wrapUpCodes: DesiredWrapUpCode[];
  complianceRules: DesiredComplianceRule[];
} {
  return {
    wrapUpCodes: result.desired.wrapUpCodes.map((item) => item.value),
    complianceRules: result.desired.complianceRules.map((item) => item.value),
  };
}
