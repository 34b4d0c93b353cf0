/**
 * The I/O edge of manifest loading: finds manifest files under the paths a user names and reads
 * their bytes. Everything after this (parsing, checks, positions) is pure.
 *
 * A directory means every `*.yaml`/`*.yml` file below it, recursively, except hidden entries
 * (names starting with `.`), `node_modules`, and the configuration file `cxctl.yaml`/`cxctl.yml`.
 * A file named explicitly is read whatever its name. Files are read once each, in the order of
 * their display paths (UTF-16 code units), so results never depend on directory listing order.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { MAX_MANIFEST_FILE_BYTES } from '../manifest/limits.js';
import type { ReferencedFileReader } from '../manifest/pipelineTypes.js';
import type { ManifestSource } from '../manifest/types.js';
import { readInputFile } from './readInputFile.js';

/** The sources found and read, and the problems finding or reading them. */
export interface ManifestFileSet {
  sources: ManifestSource[];
  diagnostics: Diagnostic[];
  /**
   * The repository root: files that manifests name must lie inside it (see
   * {@link repositoryRoot}).
   */
  root: string;
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
    walk(absolutePath, found, { cwd, visited: new Set(), diagnostics }, 0);
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
    const read = readInputFile(absolutePath, MAX_MANIFEST_FILE_BYTES);
    if (read.ok) {
      sources.push({ file, bytes: read.bytes });
      continue;
    }
    diagnostics.push(
      fileDiagnostic(
        file,
        read.reason === 'tooLarge' ? 'file.tooLarge' : 'file.unreadable',
        `${file} cannot be read: ${read.message}`,
        read.reason === 'tooLarge'
          ? 'split the manifests into several files'
          : read.reason === 'notRegular'
            ? 'manifests must be regular files; remove it or move it out of the manifest directories'
            : undefined,
      ),
    );
  }
  return { sources, diagnostics, root: repositoryRoot(paths, cwd) };
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

/** What a directory walk shares: display paths, the directories seen, the problems found. */
interface WalkState {
  cwd: string;
  visited: Set<string>;
  diagnostics: Diagnostic[];
}

/**
 * Collect the manifest files below `directory`. What cannot be walked or read is an error, not
 * skipped: a manifest missed in silence would look deleted (and `--prune` would remove its objects).
 */
function walk(
  directory: string,
  found: Map<string, string>,
  state: WalkState,
  depth: number,
): void {
  const { visited } = state;
  let real: string;
  let entries: string[];
  try {
    real = realpathSync(directory);
    if (visited.has(real) || depth > MAX_DIRECTORY_DEPTH) return; // symlink cycles end here
    visited.add(real);
    entries = readdirSync(directory);
  } catch (error: unknown) {
    const file = displayPath(state.cwd, directory);
    state.diagnostics.push(
      fileDiagnostic(file, 'file.unreadable', `${file} cannot be read: ${walkProblem(error)}`),
    );
    return;
  }
  for (const name of entries) {
    if (name.startsWith('.') || SKIPPED_NAMES.has(name)) continue;
    const path = join(directory, name);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error: unknown) {
      // A dangling link or a link loop: an error only where a manifest was meant.
      if (MANIFEST_EXTENSIONS.some((extension) => name.endsWith(extension))) {
        const file = displayPath(state.cwd, path);
        state.diagnostics.push(
          fileDiagnostic(file, 'file.unreadable', `${file} cannot be read: ${walkProblem(error)}`),
        );
      }
      continue;
    }
    if (isDirectory) walk(path, found, state, depth + 1);
    else if (MANIFEST_EXTENSIONS.some((extension) => name.endsWith(extension)))
      addFile(found, path);
  }
}

/** Why a walked entry could not be used, in words that follow its name. */
function walkProblem(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'it is a symbolic link to something that does not exist';
  if (code === 'ELOOP') return 'it is a loop of symbolic links';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `it cannot be read (${typeof code === 'string' ? code : 'error'})`;
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

/** Names of the configuration file whose directory is the repository root. */
const CONFIG_FILE_NAMES = ['cxctl.yaml', 'cxctl.yml'];

/**
 * The directory that files named inside manifests must stay in: the working directory when it
 * holds `cxctl.yaml` (or `cxctl.yml`) or when every manifest path lies inside it, else the deepest
 * directory that holds every manifest path.
 */
export function repositoryRoot(paths: readonly string[], cwd: string): string {
  const base = resolve(cwd);
  if (CONFIG_FILE_NAMES.some((name) => existsSync(join(base, name)))) return base;
  const absolute = paths.map((path) => resolve(base, path));
  if (absolute.every((path) => isInside(base, path))) return base;
  const directories = absolute.map((path) => {
    try {
      return statSync(path).isDirectory() ? path : dirname(path);
    } catch {
      return dirname(path);
    }
  });
  let root = directories[0] ?? base;
  for (const directory of directories) {
    while (!isInside(root, directory)) root = dirname(root);
  }
  return root;
}

/** True when `path` is `directory` or below it (both absolute). */
function isInside(directory: string, path: string): boolean {
  const rel = relative(directory, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Reads files that manifests name (such as CRM status lists), relative to the directory of the
 * manifest naming them; `manifestFile` is a display path, relative to `cwd`.
 * The path must be relative and must stay inside `root` (the repository root, see
 * {@link repositoryRoot}) once symbolic links are followed; only regular files are read, with the
 * same size cap as manifests.
 */
export function referencedFileReader(cwd: string, root: string = cwd): ReferencedFileReader {
  let realRoot: string | undefined;
  return (manifestFile, relativePath) => {
    const absolutePath = resolve(cwd, dirname(manifestFile), relativePath);
    const file = displayPath(cwd, absolutePath);
    if (isAbsolute(relativePath) || /^[A-Za-z]:/.test(relativePath)) {
      return {
        ok: false,
        file: relativePath,
        message:
          'the path is absolute; name the file relative to the manifest, inside the repository',
      };
    }
    if (relativePath.includes('\0')) {
      return { ok: false, file, message: 'the path holds a NUL character' };
    }
    if (!isInside(resolve(root), absolutePath)) {
      return {
        ok: false,
        file,
        message: `the path leads outside the repository (${displayPath(cwd, root)})`,
      };
    }
    let realPath: string;
    try {
      realRoot ??= realpathSync(root);
      realPath = realpathSync(absolutePath);
    } catch (error: unknown) {
      const code = (error as { code?: unknown } | null)?.code;
      return {
        ok: false,
        file,
        message:
          code === 'ENOENT'
            ? 'the file does not exist'
            : `the file cannot be read (${typeof code === 'string' ? code : 'error'})`,
      };
    }
    if (!isInside(realRoot, realPath)) {
      return {
        ok: false,
        file,
        message: `the path leads outside the repository (${displayPath(cwd, root)}) through a symbolic link`,
      };
    }
    const read = readInputFile(realPath, MAX_MANIFEST_FILE_BYTES);
    return read.ok
      ? { ok: true, file, bytes: read.bytes }
      : { ok: false, file, message: read.message };
  };
}
