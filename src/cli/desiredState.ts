/**
 * The one place where the desired state of a run is assembled from manifest files: find and read
 * the files, then load, check, expand and normalise them (src/manifest/pipeline.ts). Commands that
 * act on the desired state (`plan`, `drift`) call this, so they all see the same objects.
 */
import type { CliContext } from './context.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import {
  defaultManifestPaths,
  readManifestFiles,
  referencedFileReader,
  type ManifestFileSet,
} from '../io/manifestFiles.js';
import type { KindDefaults, RawItem } from '../kinds/types.js';
import {
  buildDesiredState,
  type ManifestExtension,
  type ManifestResult,
} from '../manifest/pipeline.js';
import type { ManifestPointer } from '../manifest/types.js';

/**
 * Steps that derive desired objects from other manifest sections, run after the schema check and
 * before the kinds' checks. Wrap-up codes generated from CRM mappings join the explicit ones here.
 */
export const MANIFEST_EXTENSIONS: readonly ManifestExtension[] = [];

/** The desired state of a run and every problem found reading it. */
export interface DesiredState {
  result: ManifestResult;
  /** Problems finding or reading files, then the pipeline's, sorted by the pipeline. */
  diagnostics: Diagnostic[];
  /** False when any diagnostic is an error. */
  ok: boolean;
  /** True when some input could not be read or parsed (prune must be refused). */
  loadFailed: boolean;
}

/** `PATH..` as given, else `manifests/` if it exists, else `.` (SPEC section 2). */
export function manifestPaths(paths: readonly unknown[] | undefined, cwd: string): string[] {
  return paths && paths.length > 0 ? paths.map(String) : defaultManifestPaths(cwd);
}

/** Read and validate the manifests under `paths`. */
export function loadDesiredState(
  paths: readonly string[],
  context: Pick<CliContext, 'cwd' | 'env'>,
  defaults: KindDefaults,
): DesiredState {
  return buildDesired(readManifestFiles(paths, context.cwd), context, defaults);
}

/** Validate manifests already read (see {@link readManifestFiles}). */
export function buildDesired(
  read: ManifestFileSet,
  context: Pick<CliContext, 'cwd' | 'env'>,
  defaults: KindDefaults,
): DesiredState {
  const result = buildDesiredState(read.sources, {
    env: context.env,
    defaults,
    extensions: MANIFEST_EXTENSIONS,
    readReferencedFile: referencedFileReader(context.cwd),
  });
  const diagnostics = [...read.diagnostics, ...result.diagnostics];
  return {
    result,
    diagnostics,
    ok: !hasErrors(diagnostics),
    loadFailed: result.loadFailed || read.diagnostics.some((d) => d.severity === 'error'),
  };
}

/** Look up manifest items as written, by the pointer the pipeline gave them. */
export function rawItemLookup(
  result: ManifestResult,
): (at: ManifestPointer) => RawItem | undefined {
  // One index per list, built on first use: only rules ask, so a plan of codes never builds one.
  const indexes = new Map<string, Map<string, RawItem>>();
  const keyOf = (at: ManifestPointer): string =>
    `${at.file}\u0000${at.document}\u0000${at.path.join('\u0000')}`;
  return (at) => {
    const list = at.path[0];
    if (typeof list !== 'string' || !(list in result.merged.items)) return undefined;
    let index = indexes.get(list);
    if (!index) {
      index = new Map();
      for (const item of result.merged.items[list as keyof typeof result.merged.items]) {
        index.set(keyOf(item.at), item.value);
      }
      indexes.set(list, index);
    }
    return index.get(keyOf(at));
  };
}
