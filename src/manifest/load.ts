/**
 * Reads manifest sources into plain values per document, choosing per file between the fast path
 * (js-yaml, no positions) and the slow path (yaml's document API, positions), and collecting the
 * loader's diagnostics. Pure: the bytes and the environment are passed in.
 */
import type { Diagnostic } from '../diagnostics.js';
import { decodeManifestBytes } from './decode.js';
import { fastParse, type Env } from './fastParse.js';
import { Locator } from './locate.js';
import { SecretGuard, secretProblems } from './secretReferences.js';
import { convertYamlFile } from './slowParse.js';
import type { ManifestSource } from './types.js';
import { parseYamlFile } from './yamlFile.js';

/** Which parser read a file. */
export type ParsePath = 'fast' | 'slow' | 'unreadable';

/** One file after loading. */
export interface LoadedFile {
  file: string;
  path: ParsePath;
  /** Values of the non-empty documents, by ordinal; `undefined` where a document failed. */
  documents: unknown[];
  /** True when any part of the file could not be loaded (so prune must be refused). */
  failed: boolean;
}

/** Options of {@link loadManifestSources}. */
export interface LoadOptions {
  env: Env;
  /** `auto` (default) tries the fast path first; `slow` forces the position-keeping parse. */
  parser?: 'auto' | 'slow';
  /** File size from which list items are located by slice (default 128 KiB; tests use 0). */
  sliceThreshold?: number;
  /** More secret variables than the built-in ones (see secretReferences.ts). */
  secretVariables?: ReadonlySet<string>;
}

/** Everything loaded, the loader's diagnostics, and the locator for later diagnostics. */
export interface LoadResult {
  files: LoadedFile[];
  diagnostics: Diagnostic[];
  locator: Locator;
}

/** Load every source; sources are taken in the order given (callers sort them). */
export function loadManifestSources(
  sources: readonly ManifestSource[],
  options: LoadOptions,
): LoadResult {
  const locator = new Locator(options.sliceThreshold);
  const files: LoadedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const guard = new SecretGuard(options);
  for (const source of sources) {
    const decoded = decodeManifestBytes(source.file, source.bytes);
    if (!decoded.ok) {
      diagnostics.push({
        severity: 'error',
        code: decoded.code,
        message: decoded.message,
        file: source.file,
        line: decoded.line,
        column: decoded.column,
        hint: decoded.hint,
      });
      files.push({ file: source.file, path: 'unreadable', documents: [], failed: true });
      continue;
    }
    const text = decoded.text;
    const secrets = secretProblems(source.file, text, options);
    if (secrets.length > 0) {
      // Not parsed at all: nothing derived from a secret may reach a message or a value.
      diagnostics.push(...secrets);
      files.push({ file: source.file, path: 'unreadable', documents: [], failed: true });
      continue;
    }
    if (options.parser !== 'slow') {
      const fast = fastParse(text, options.env, guard);
      if (fast.ok) {
        locator.addText(source.file, text, fast.documents);
        files.push({ file: source.file, path: 'fast', documents: fast.documents, failed: false });
        continue;
      }
    }
    const parsed = parseYamlFile(source.file, text);
    locator.addParsed(parsed);
    const slow = convertYamlFile(parsed, options.env, guard);
    diagnostics.push(...slow.diagnostics);
    files.push({
      file: source.file,
      path: 'slow',
      documents: slow.documents,
      failed: slow.diagnostics.length > 0,
    });
  }
  return { files, diagnostics, locator };
}
