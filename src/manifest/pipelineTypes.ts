/**
 * The types of the manifest pipeline (pipeline.ts): its result, the merged manifest, and what an
 * extension is and gets (the standard ones: CRM mappings, compliance test references, see
 * extensions.ts). In a module of their own so the extensions need not import the pipeline that
 * runs them.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { DesiredByKind } from '../kinds/index.js';
import type { CheckedItem, KindDefaults } from '../kinds/types.js';
import type { ParsePath } from './load.js';
import type { Locator, Position } from './locate.js';
import type {
  Located,
  ManifestListKey,
  ManifestScope,
  PendingDiagnostic,
  SourceLocation,
} from './types.js';

/** All documents merged: the items of every list key, in file then document order, and the scope. */
export interface MergedManifest {
  items: Record<ManifestListKey, CheckedItem[]>;
  scope?: Located<ManifestScope>;
}

/**
 * Reads a file named inside a manifest (e.g. a CRM status list), relative to that manifest. `file`
 * is the file's display path; on failure `message` says why, without repeating the path
 * (e.g. `the file does not exist`).
 */
export type ReferencedFileReader = (
  manifestFile: string,
  relativePath: string,
) => { ok: true; file: string; bytes: Uint8Array } | { ok: false; file: string; message: string };

/** What an extension may use besides the merged manifest. */
export interface ExtensionContext {
  defaults: KindDefaults;
  /** Reads files that manifests refer to; absent when the caller allows no file access. */
  readReferencedFile?: ReferencedFileReader;
  /**
   * Where the text of a referenced file would bring a secret into the desired state (see
   * secretReferences.ts): such a file is refused like a manifest that does.
   */
  secretsIn(file: string, text: string): Diagnostic[];
  /** Line and column of a location, for messages that name other places. */
  locate(location: SourceLocation): Position;
  /** `file:line:col` of a location. */
  format(location: SourceLocation): string;
}

/** What an extension contributes: derived desired objects and problems. */
export interface ExtensionResult {
  /** Wrap-up codes derived from other sections, located where they come from. */
  wrapUpCodes?: CheckedItem[];
  diagnostics?: PendingDiagnostic[];
  /**
   * Members added to the manifest digest, for derived state that is not a desired object (e.g. the
   * CRM import table, so a changed status list changes the digest). Names must not be those of
   * the core members (`format`, `wrapUpCodes`, `complianceRules`, `scope`), which win.
   */
  digest?: Record<string, unknown>;
  /** What the extension worked out, for commands that show it (`ManifestResult.extensions`). */
  data?: unknown;
}

/**
 * A step that derives desired objects from other manifest sections (for example CRM mappings to
 * wrap-up codes). It runs after the schema check and before the kinds' checks, so what it adds is
 * checked for uniqueness like everything else.
 */
export interface ManifestExtension {
  name: string;
  expand(manifest: MergedManifest, context: ExtensionContext): ExtensionResult;
}

/** A file and how it was read. */
export interface ManifestFileReport {
  file: string;
  path: ParsePath;
  failed: boolean;
}

/** Everything validation found out. */
export interface ManifestResult {
  files: ManifestFileReport[];
  /** Every diagnostic, positioned and sorted (file, line, column, code). */
  diagnostics: Diagnostic[];
  /** True when there is no error (warnings allowed). */
  ok: boolean;
  /** True when some input could not be loaded at all (prune must be refused). */
  loadFailed: boolean;
  /**
   * Desired objects that passed the schema, normalised, sorted by identity, each located where it
   * is declared. `desired.wrapUpCodes` is the whole desired set of wrap-up codes: the explicit ones
   * plus those generated from CRM mappings (located at their mapping rule, path
   * `['crmMappings', i, 'rules', j]`), which is what plan, drift and apply work on.
   */
  desired: { [K in keyof DesiredByKind]: Located<DesiredByKind[K]>[] };
  /** Sections other modules interpret (CRM mappings, compliance tests), as checked items. */
  merged: MergedManifest;
  /** sha256 of the normalised desired state (docs/manifests.md). */
  digest: string;
  /** What each extension worked out, by extension name (e.g. the CRM table under `crmMappings`). */
  extensions: Readonly<Record<string, unknown>>;
  /** Turns locations into positions, for diagnostics found later (plan-time references). */
  locator: Locator;
}
