/**
 * Loading `cxctl.yaml`: YAML with source positions, `${env:...}` interpolation in string values,
 * validation against schemas/cxctl.schema.json, and a few checks the schema cannot express. Every
 * problem is reported as file:line:col.
 */
import { existsSync } from 'node:fs';
import { readInputFile } from '../io/readInputFile.js';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Document, Node as YamlNode } from 'yaml';
import { yamlLib } from '../manifest/yamlLib.js';
import type { Diagnostic } from '../diagnostics.js';
import { interpolateEnv } from '../util/interpolate.js';
import { ConfigFileError, TargetConfigError } from './errors.js';
import { plainHttpProblem } from './url.js';
import { validateConfigSchema, type SchemaProblem } from './schema.js';
import type { CxctlConfig, DeferredProblems, LoadedConfig } from './types.js';

/** Largest cxctl.yaml read: profiles and webhooks fit in a few KiB. */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** The file looked for in the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = 'cxctl.yaml';

/** Where to look for the configuration. */
export interface LoadConfigOptions {
  /** `--config FILE`, relative to `cwd`; it must exist. */
  configPath?: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Load the configuration: the `--config` file, else `./cxctl.yaml` when present, else nothing
 * (undefined). Throws {@link ConfigFileError} naming file:line:col for any problem in the file.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig | undefined {
  const explicit = options.configPath !== undefined;
  const path = resolve(options.cwd, options.configPath ?? DEFAULT_CONFIG_FILE);
  const file = displayPath(path, options.cwd);
  if (!existsSync(path)) {
    if (!explicit) return undefined;
    throw new TargetConfigError(
      'CONFIG_NOT_FOUND',
      `the configuration file ${file} does not exist`,
      'check the --config path, or run cxctl init to create a cxctl.yaml',
    );
  }
  const read = readInputFile(path, MAX_CONFIG_FILE_BYTES);
  if (!read.ok) {
    throw new TargetConfigError(
      'CONFIG_UNREADABLE',
      `cannot read the configuration file ${file}: ${read.message}`,
    );
  }
  const text = read.bytes.toString('utf8');
  return { file, path, config: parseConfig(text, file, options.env) };
}

/** Parse and validate the text of a cxctl.yaml; `file` is the name used in messages. */
export function parseConfig(
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): CxctlConfig {
  // yaml is loaded only when there is a cxctl.yaml to read.
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const diagnostic = (
    code: string,
    message: string,
    offset: number,
    hint?: string,
  ): Diagnostic => ({
    severity: 'error',
    code,
    message,
    file,
    ...at(offset),
    ...(hint !== undefined ? { hint } : {}),
  });

  const problems: Diagnostic[] = [];
  for (const error of doc.errors) {
    const pos = error.linePos?.[0];
    problems.push({
      severity: 'error',
      code: 'yaml.syntax',
      message: firstLine(error.message),
      file,
      line: pos?.line ?? 1,
      column: pos?.col ?? 1,
    });
  }
  if (problems.length > 0) throw new ConfigFileError(problems);

  // An unset variable inside a profile or webhook matters only when that profile or webhook is
  // used: the value is left out and the problem is kept for target resolution to raise.
  const deferred: DeferredProblems = { profiles: {}, webhooks: {} };
  const unresolved: (string | number)[][] = [];
  interpolateScalars(doc, env, (message, offset, path) => {
    const problem = diagnostic('config.env', message, offset);
    const [top, owner] = path;
    if (top === 'profiles' && typeof owner === 'string' && path.length >= 3) {
      (deferred.profiles[owner] ??= []).push(problem);
      unresolved.push(path);
    } else if (top === 'webhooks' && typeof owner === 'number' && path.length >= 3) {
      (deferred.webhooks[owner] ??= []).push(problem);
      unresolved.push(path);
    } else {
      problems.push(problem);
    }
  });
  if (problems.length > 0) throw new ConfigFileError(problems);
  // The raw `${env:...}` text of those values stays in place; schema complaints about it are moot.
  const unresolvedPaths = new Set(unresolved.map((path) => path.join('/')));

  const data: unknown = doc.toJS() ?? {};
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigFileError([
      diagnostic('config.type', 'cxctl.yaml must be a mapping with `version: 1`', 0),
    ]);
  }
  for (const problem of validateConfigSchema(data)) {
    if (problem.key === undefined && unresolvedPaths.has(problem.path.join('/'))) continue;
    problems.push(
      diagnostic('config.schema', problem.message, offsetOf(doc, problem), problem.hint),
    );
  }
  if (problems.length > 0) throw new ConfigFileError(sortProblems(problems));

  const raw = data as Partial<CxctlConfig>;
  const config: CxctlConfig = {
    version: 1,
    ...(raw.defaultProfile !== undefined ? { defaultProfile: raw.defaultProfile } : {}),
    profiles: raw.profiles ?? {},
    webhooks: raw.webhooks ?? [],
    deferred,
  };

  // Checks across fields that the schema cannot say.
  if (config.defaultProfile !== undefined && !(config.defaultProfile in config.profiles)) {
    const names = Object.keys(config.profiles);
    problems.push(
      diagnostic(
        'config.defaultProfile',
        `defaultProfile "${config.defaultProfile}" is not one of the profiles (${names.length > 0 ? names.join(', ') : 'none defined'})`,
        offsetOf(doc, { path: ['defaultProfile'] }),
      ),
    );
  }
  for (const [name, profile] of Object.entries(config.profiles)) {
    for (const field of ['apiBase', 'tokenUrl'] as const) {
      const value = profile[field];
      const problem = value === undefined ? undefined : plainHttpProblem(value);
      if (problem) {
        problems.push(
          diagnostic(
            'config.insecureUrl',
            `${field} of profile "${name}": ${problem}`,
            offsetOf(doc, { path: ['profiles', name, field] }),
          ),
        );
      }
    }
  }
  config.webhooks.forEach((webhook, index) => {
    const problem = plainHttpProblem(webhook.url);
    if (problem) {
      problems.push(
        diagnostic(
          'config.insecureUrl',
          `webhook url: ${problem}`,
          offsetOf(doc, { path: ['webhooks', index, 'url'] }),
        ),
      );
    }
  });
  if (problems.length > 0) throw new ConfigFileError(sortProblems(problems));
  return config;
}

/**
 * Replace `${env:...}` in every string value (map keys are left alone). Errors are reported at the
 * scalar holding the reference.
 */
function interpolateScalars(
  doc: Document,
  env: Readonly<Record<string, string | undefined>>,
  report: (message: string, offset: number, path: (string | number)[]) => void,
): void {
  const { visit } = yamlLib();
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string') return;
      const result = interpolateEnv(node.value, env);
      if (result.ok) {
        if (result.changed) node.value = result.value;
        return;
      }
      for (const error of result.errors) {
        const message =
          error.reason === 'unset'
            ? `environment variable ${error.name} is not set (referenced as \${env:${error.name}}); set it, or write \${env:${error.name}:-default}`
            : `malformed reference ${error.name}: write \${env:NAME} or \${env:NAME:-default} (and $\${ for a literal \${)`;
        report(message, node.range?.[0] ?? 0, pathOf(ancestors, key, node));
      }
    },
  });
}

/** The data path of a scalar from the visitor's ancestor chain (map keys and sequence indexes). */
function pathOf(
  ancestors: readonly unknown[],
  key: number | 'key' | 'value' | null,
  node: unknown,
): (string | number)[] {
  const { isPair, isScalar, isSeq } = yamlLib();
  const path: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let index = 1; index < chain.length; index++) {
    const parent = chain[index - 1];
    const child = chain[index];
    if (isPair(parent) && isScalar(parent.key)) {
      path.push(String(parent.key.value));
    } else if (isSeq(parent)) {
      path.push(parent.items.indexOf(child));
    }
  }
  void key;
  return path;
}

/**
 * Source offset of the node a schema problem is about: the key itself for an unknown key, else
 * the value at the path, else the nearest ancestor that exists.
 */
function offsetOf(doc: Document, problem: Pick<SchemaProblem, 'path' | 'key'>): number {
  const { isMap, isNode, isPair, isScalar } = yamlLib();
  const path = [...problem.path];
  for (;;) {
    const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (isNode(node)) {
      if (problem.key !== undefined && path.length === problem.path.length && isMap(node)) {
        const pair = node.items.find(
          (item) => isPair(item) && isScalar(item.key) && item.key.value === problem.key,
        );
        const keyNode = pair?.key as YamlNode | undefined;
        if (keyNode?.range) return keyNode.range[0];
      }
      const range = (node as YamlNode).range;
      if (range) return range[0];
    }
    if (path.length === 0) return 0;
    path.pop();
  }
}

function sortProblems(problems: Diagnostic[]): Diagnostic[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The parser's message without its own position suffix (the diagnostic carries the position). */
function firstLine(text: string): string {
  return text
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?\s*$/, '')
    .trim();
}

/** `path` relative to `cwd` when it lies inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
