/**
 * The I/O edge of manifest loading: finds manifest files under the paths a user names and reads
 * their bytes. Everything after this (parsing, checks, positions) is pure.
 *
 * A directory means every `*.yaml`/`*.yml` file below it, recursively, except hidden entries
 * (names starting with `.`), `node_modules`, and the configuration file `cxctl.yaml`/`cxctl.yml`.
 * A file named explicitly is read whatever its name. Files are read once each, in the order of
 * their display paths (UTF-16 code units), so results never depend on directory listing order.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { formatMiB } from '../manifest/decode.js';
import { MAX_MANIFEST_FILE_BYTES } from '../manifest/limits.js';
import type { ReferencedFileReader } from '../manifest/pipelineTypes.js';
import type { ManifestSource } from '../manifest/types.js';

/** The sources found and read, and the problems finding or reading them. */
export interface ManifestFileSet {
  sources: ManifestSource[];
  diagnostics: Diagnostic[];
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml'];
const SKIPPED_NAMES = new Set(['node_modules', 'cxctl.yaml', 'cxctl.yml']);
const MAX_DIRECTORY_DEPTH = 32;

/** PATH default of the manifest commands: `manifests/` if it exists, else `.`. */
export function defaultManifestPaths(cwd: string): string[] {
  return existsSync(join(cwd, 'manifests')) ? ['manifests'] : ['.'];
}

/** `PATH..` as given, else `manifests/` if it exists, else `.`. */
export function manifestPaths(paths: readonly unknown[] | undefined, cwd: string): string[] {
  return paths && paths.length > 0 ? paths.map(String) : defaultManifestPaths(cwd);
}

/** How a file is named in diagnostics: relative to `cwd` with `/` separators when inside it. */
export function displayPath(cwd: string, absolutePath: string): string {
  const relativePath = relative(cwd, absolutePath);
  if (relativePath === '') return '.';
  if (isAbsolute(relativePath)) return absolutePath;
  return sep === '/' ? relativePath : relativePath.split(sep).join('/');
}

/** Find and read the manifest files under `paths` (relative to `cwd`). */
export function readManifestFiles(paths: readonly string[], cwd: string): ManifestFileSet {
  const diagnostics: Diagnostic[] = [];
  const found = new Map<string, string>(); // real path -> absolute path as reached
  for (const path of paths) {
    const absolutePath = resolve(cwd, path);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolutePath).isDirectory();
    } catch {
      diagnostics.push(fileDiagnostic(path, 'file.notFound', `${path} does not exist`));
      continue;
    }
    if (!isDirectory) {
      addFile(found, absolutePath);
      continue;
    }
    const before = found.size;
    walk(absolutePath, found, new Set(), 0);
    if (found.size === before) {
      diagnostics.push(
        fileDiagnostic(
          path,
          'file.noManifests',
          `no manifest files (*.yaml, *.yml) found in ${path}`,
          'name a directory that holds manifests, or a manifest file',
        ),
      );
    }
  }
  const files = [...found.values()]
    .map((absolutePath) => ({ absolutePath, file: displayPath(cwd, absolutePath) }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const sources: ManifestSource[] = [];
  for (const { absolutePath, file } of files) {
    try {
      const size = statSync(absolutePath).size;
      if (size > MAX_MANIFEST_FILE_BYTES) {
        diagnostics.push(
          fileDiagnostic(
            file,
            'file.tooLarge',
            `${file} is ${formatMiB(size)}, over the ${formatMiB(MAX_MANIFEST_FILE_BYTES)} limit for one manifest file`,
            'split the manifests into several files',
          ),
        );
        continue;
      }
      sources.push({ file, bytes: readFileSync(absolutePath) });
    } catch (error: unknown) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'error';
      diagnostics.push(
        fileDiagnostic(file, 'file.unreadable', `${file} cannot be read (${reason})`),
      );
    }
  }
  return { sources, diagnostics };
}

function addFile(found: Map<string, string>, absolutePath: string): void {
  let real = absolutePath;
  try {
    real = realpathSync(absolutePath);
  } catch {
    // Keep the path as given; reading it reports the problem.
  }
  if (!found.has(real)) found.set(real, absolutePath);
}

function walk(
  directory: string,
  found: Map<string, string>,
  visited: Set<string>,
  depth: number,
): void {
  let real: string;
  try {
    real = realpathSync(directory);
  } catch {
    return;
  }
  if (visited.has(real) || depth > MAX_DIRECTORY_DEPTH) return; // symlink cycles end here
  visited.add(real);
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name.startsWith('.') || SKIPPED_NAMES.has(name)) continue;
    const path = join(directory, name);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      continue; // a dangling symlink
    }
    if (isDirectory) walk(path, found, visited, depth + 1);
    else if (MANIFEST_EXTENSIONS.some((extension) => name.endsWith(extension)))
      addFile(found, path);
  }
}

function fileDiagnostic(file: string, code: string, message: string, hint?: string): Diagnostic {
  return {
    severity: 'error',
    code,
    message,
    file,
    line: 1,
    column: 1,
    ...(hint === undefined ? {} : { hint }),
  };
}

/**
 * Reads files that manifests name (such as CRM status lists), relative to the directory of the
 * manifest naming them; `manifestFile` is a display path, relative to `cwd`.
 * Same size cap as manifests.
 */
export function referencedFileReader(cwd: string): ReferencedFileReader {
  return (manifestFile, relativePath) => {
    const absolutePath = resolve(cwd, dirname(manifestFile), relativePath);
    const file = displayPath(cwd, absolutePath);
    try {
      const size = statSync(absolutePath).size;
      if (size > MAX_MANIFEST_FILE_BYTES) {
        return {
          ok: false,
          file,
          message: `the file is ${formatMiB(size)}, over the ${formatMiB(MAX_MANIFEST_FILE_BYTES)} limit`,
        };
      }
      return { ok: true, file, bytes: readFileSync(absolutePath) };
    } catch (error: unknown) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'error';
      return {
        ok: false,
        file,
        message:
          reason === 'ENOENT'
            ? 'the file does not exist'
            : reason === 'EISDIR'
              ? 'it is a directory, not a file'
              : `the file cannot be read (${reason})`,
      };
    }
  };
}
