/**
 * The slow path: turns a file parsed by yaml's document API into plain values, and reports every
 * problem the loader refuses with its exact position: YAML syntax errors, duplicate keys, keys that
 * are not plain values, forbidden keys, tags, merge keys, unknown or circular aliases, alias
 * expansion beyond the limits, nesting beyond the limit, and `${env:...}` references that cannot be
 * resolved (at the `${` of the reference).
 *
 * Nothing is evaluated: tags are refused rather than interpreted, and aliases are expanded as plain
 * copies of the anchored value.
 */
import type { Alias, Document, Node } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { interpolateEnv, mayNeedInterpolation } from '../util/interpolate.js';
import {
  FORBIDDEN_KEYS,
  MAX_ALIAS_EXPANSION_NODES,
  MAX_ALIASES_PER_DOCUMENT,
  MAX_NESTING_DEPTH,
} from './limits.js';
import type { SecretGuard } from './secretReferences.js';
import { forbiddenValueCharacter } from './streamCharacters.js';
import { keyString, positionOf, type YamlFile } from './yamlFile.js';
import { yamlLib } from './yamlLib.js';

/** Environment used for `${env:...}` interpolation. */
type Env = Readonly<Record<string, string | undefined>>;

/** Values of a file's non-empty documents; `undefined` where a document failed to load. */
export interface SlowParseResult {
  documents: unknown[];
  diagnostics: Diagnostic[];
}

/**
 * Convert every non-empty document of `file` to plain values, collecting loader diagnostics. With
 * a `guard`, a string that would bring a secret into the desired state is reported at its scalar.
 */
export function convertYamlFile(file: YamlFile, env: Env, guard?: SecretGuard): SlowParseResult {
  const diagnostics: Diagnostic[] = [];
  for (const error of file.streamErrors) {
    diagnostics.push(
      diagnosticAt(file, error.offset, 'yaml.syntax', `YAML syntax error: ${error.message}`),
    );
  }
  const documents = file.documents.map((document) => {
    const converter = new DocumentConverter(file, document, env, guard);
    const value = converter.run();
    diagnostics.push(...converter.diagnostics);
    return converter.diagnostics.length > 0 ? undefined : value;
  });
  return { documents, diagnostics };
}

function diagnosticAt(
  file: YamlFile,
  offset: number,
  code: string,
  message: string,
  hint?: string,
): Diagnostic {
  const { line, column } = positionOf(file, offset);
  return {
    severity: 'error',
    code,
    message,
    file: file.file,
    line,
    column,
    ...(hint === undefined ? {} : { hint }),
  };
}

/** Converts one document; a fresh instance per document keeps the alias budget per document. */
class DocumentConverter {
  readonly diagnostics: Diagnostic[] = [];
  private aliasCount = 0;
  private expandedNodes = 0;
  private aliasLimitReported = false;
  private readonly sizes = new Map<Node, number>();
  private readonly converted = new Map<Node, unknown>();
  private readonly inProgress = new Set<Node>();

  constructor(
    private readonly file: YamlFile,
    private readonly document: Document.Parsed,
    private readonly env: Env,
    private readonly guard: SecretGuard | undefined,
  ) {}

  run(): unknown {
    let tooDeep = false;
    for (const error of this.document.errors) {
      // yaml reports running out of stack on absurd nesting as an error of its own; say it once.
      if (error.message.includes('call stack')) {
        if (!tooDeep)
          this.report(error.pos[0], 'yaml.depth', 'the document is nested too deeply to be read');
        tooDeep = true;
        continue;
      }
      this.report(error.pos[0], 'yaml.syntax', `YAML syntax error: ${error.message}`);
    }
    for (const warning of this.document.warnings) {
      // Tags are reported below, at the tag, with advice.
      if (warning.code === 'TAG_RESOLVE_FAILED') continue;
      this.report(warning.pos[0], 'yaml.syntax', `YAML error: ${warning.message}`);
    }
    if (this.diagnostics.length > 0) return undefined;
    try {
      return this.convert(this.document.contents, 0);
    } catch (error: unknown) {
      // The yaml composer and this converter recurse; absurd nesting ends here rather than crashing.
      if (error instanceof RangeError) {
        this.report(0, 'yaml.depth', `the document is nested too deeply to be read`);
        return undefined;
      }
      throw error;
    }
  }

  private report(offset: number, code: string, message: string, hint?: string): void {
    this.diagnostics.push(diagnosticAt(this.file, offset, code, message, hint));
  }

  private convert(node: unknown, depth: number): unknown {
    const { isAlias, isMap, isScalar, isSeq } = yamlLib();
    if (node === null || node === undefined) return null;
    const yamlNode = node as Node;
    if (yamlNode.tag !== undefined && !isAlias(node)) {
      this.report(
        tagOffset(this.file.text, yamlNode.range?.[0] ?? 0),
        'yaml.tag',
        `tags such as ${yamlNode.tag.startsWith('tag:yaml.org,2002:') ? `!!${yamlNode.tag.slice(18)}` : yamlNode.tag} are not supported in manifests`,
        'remove the tag; quote the value if it must be a string',
      );
      return null;
    }
    if (isAlias(node)) return this.convertAlias(node, depth);
    if (isScalar(node)) return this.convertScalar(node);
    if (depth >= MAX_NESTING_DEPTH) {
      this.report(
        yamlNode.range?.[0] ?? 0,
        'yaml.depth',
        `mappings and lists are nested more than ${MAX_NESTING_DEPTH} levels deep`,
      );
      return null;
    }
    if (isSeq(node)) return node.items.map((item) => this.convert(item, depth + 1));
    if (isMap(node)) return this.convertMap(node.items, depth);
    return null;
  }

  private convertScalar(node: Node & { value: unknown; source?: string }): unknown {
    const value = node.value;
    if (typeof value !== 'string') return value;
    if (!this.acceptsCharacters(node, value)) return null;
    const decodedProblem = this.guard?.decoded(value);
    if (decodedProblem !== undefined) return this.refuseSecret(node, decodedProblem);
    if (!mayNeedInterpolation(value)) return value;
    const result = interpolateEnv(value, this.env);
    if (result.ok) {
      if (!this.acceptsCharacters(node, result.value)) return null;
      const problem = this.guard?.interpolated(result.value);
      return problem === undefined ? result.value : this.refuseSecret(node, problem);
    }
    const references = referenceOffsets(value);
    const start = node.range?.[0] ?? 0;
    const end = node.range?.[1] ?? start;
    const sourceReferences = referenceOffsets(this.file.text.slice(start, end));
    for (const error of result.errors) {
      const index = references.indexOf(error.offset);
      const inSource =
        sourceReferences.length === references.length ? sourceReferences[index] : undefined;
      const offset = inSource === undefined ? start : start + inSource;
      if (error.reason === 'unset') {
        this.report(
          offset,
          'env.unset',
          `environment variable ${error.name} is not set (referenced as \${env:${error.name}})`,
          `set ${error.name}, or give a default: \${env:${error.name}:-default}`,
        );
      } else {
        this.report(
          offset,
          'env.malformed',
          `${error.name} is not a valid reference; write \${env:NAME} or \${env:NAME:-default}`,
          'write $${ for a literal ${',
        );
      }
    }
    return value;
  }

  /** False (and reported at the scalar) when `value` holds a control character. */
  private acceptsCharacters(node: Node, value: string): boolean {
    const forbidden = forbiddenValueCharacter(value);
    if (forbidden === undefined) return true;
    this.report(
      node.range?.[0] ?? 0,
      'value.character',
      `the value holds the character ${forbidden.name}, which is not allowed in manifest values`,
      'remove the escape sequence (or the character from the environment variable) that produces it',
    );
    return false;
  }

  /** Report a secret at the start of its scalar; the value handed on holds nothing of it. */
  private refuseSecret(node: Node, problem: { message: string; hint: string }): null {
    this.report(node.range?.[0] ?? 0, 'manifest.secret', problem.message, problem.hint);
    return null;
  }

  private convertMap(items: readonly unknown[], depth: number): Record<string, unknown> {
    const { isAlias, isPair, isScalar } = yamlLib();
    const result: Record<string, unknown> = {};
    const seen = new Map<string, number>();
    for (const item of items) {
      if (!isPair(item)) continue;
      const key = item.key;
      const keyNode = key as Node | null;
      const keyOffset = keyNode?.range?.[0] ?? startOfPair(item.value);
      if (isAlias(key)) {
        this.report(keyOffset, 'yaml.key', 'an alias cannot be used as a mapping key');
        continue;
      }
      if (!isScalar(key)) {
        this.report(
          keyOffset,
          'yaml.key',
          'mapping keys must be plain values such as names, not lists or mappings',
        );
        continue;
      }
      if (key.tag !== undefined) {
        this.convert(key, depth);
        continue;
      }
      if (key.value === null && (key.source ?? '') === '') {
        this.report(keyOffset, 'yaml.key', 'this mapping entry has no key before its ":"');
        continue;
      }
      const name = keyString(key.value);
      const forbidden = forbiddenValueCharacter(name);
      if (forbidden !== undefined) {
        // The key is not shown: messages would carry the control character to the terminal.
        this.report(
          keyOffset,
          'value.character',
          `the key holds the character ${forbidden.name}, which is not allowed in manifests`,
          'remove the escape sequence that produces it',
        );
        continue;
      }
      if (FORBIDDEN_KEYS.has(name)) {
        this.report(
          keyOffset,
          'yaml.forbiddenKey',
          `the key "${name}" is not allowed in manifests`,
          'rename or remove it',
        );
        continue;
      }
      if (name === '<<' && key.type === 'PLAIN') {
        this.report(
          keyOffset,
          'yaml.mergeKey',
          'merge keys (<<) are not supported in manifests',
          'write the fields out, or use an alias (*name) for a whole value',
        );
        continue;
      }
      const firstOffset = seen.get(name);
      if (firstOffset !== undefined) {
        const first = positionOf(this.file, firstOffset);
        this.report(
          keyOffset,
          'yaml.duplicateKey',
          `duplicate key "${name}" (first defined at line ${first.line}, column ${first.column})`,
          'remove one of the two entries',
        );
        continue;
      }
      seen.set(name, keyOffset);
      result[name] = this.convert(item.value, depth + 1);
    }
    return result;
  }

  private convertAlias(node: Alias, depth: number): unknown {
    const offset = node.range?.[0] ?? 0;
    this.aliasCount += 1;
    if (this.aliasCount > MAX_ALIASES_PER_DOCUMENT) {
      this.reportAliasLimit(
        offset,
        `more than ${MAX_ALIASES_PER_DOCUMENT} aliases in one document`,
      );
      return null;
    }
    const target = node.resolve(this.document);
    if (!target) {
      this.report(
        offset,
        'yaml.alias',
        `alias *${node.source} refers to no anchor &${node.source} before it`,
      );
      return null;
    }
    if (this.inProgress.has(target)) {
      this.report(offset, 'yaml.alias', `alias *${node.source} refers to a value that contains it`);
      return null;
    }
    this.expandedNodes += this.sizeOf(target);
    if (this.expandedNodes > MAX_ALIAS_EXPANSION_NODES) {
      this.reportAliasLimit(
        offset,
        `aliases in one document expand to more than ${MAX_ALIAS_EXPANSION_NODES} values`,
      );
      return null;
    }
    const cached = this.converted.get(target);
    if (cached !== undefined) return structuredClone(cached);
    this.inProgress.add(target);
    const value = this.convert(target, depth);
    this.inProgress.delete(target);
    this.converted.set(target, value);
    return structuredClone(value);
  }

  private reportAliasLimit(offset: number, what: string): void {
    if (this.aliasLimitReported) return;
    this.aliasLimitReported = true;
    this.report(
      offset,
      'yaml.aliasLimit',
      `${what}; the loader refuses this to stay safe from "billion laughs" documents`,
      'write the repeated values out, or split the document',
    );
  }

  /** Number of nodes a node stands for once its aliases are expanded (memoised, so linear). */
  private sizeOf(node: unknown): number {
    const { isAlias, isMap, isPair, isSeq } = yamlLib();
    if (node === null || typeof node !== 'object') return 1;
    const yamlNode = node as Node;
    const known = this.sizes.get(yamlNode);
    if (known !== undefined) return known;
    this.sizes.set(yamlNode, 1); // a cycle counts once; it is reported as circular elsewhere
    let size = 1;
    if (isAlias(node)) {
      const target = node.resolve(this.document);
      size = target ? this.sizeOf(target) : 1;
    } else if (isSeq(node)) {
      for (const item of node.items) size += this.sizeOf(item);
    } else if (isMap(node)) {
      for (const item of node.items) {
        if (isPair(item)) size += this.sizeOf(item.key) + this.sizeOf(item.value);
      }
    }
    size = Math.min(size, Number.MAX_SAFE_INTEGER);
    this.sizes.set(yamlNode, size);
    return size;
  }
}

/** Offsets of the `${...}` references in `text` (not `$${` escapes), as interpolate.ts finds them. */
function referenceOffsets(text: string): number[] {
  const offsets: number[] = [];
  const pattern = /\$\$\{|\$\{([^}]*)\}/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0] !== '$${') offsets.push(match.index);
  }
  return offsets;
}

/** Offset of the tag written before the node that starts at `nodeStart`. */
function tagOffset(text: string, nodeStart: number): number {
  const bang = text.lastIndexOf('!', nodeStart);
  if (bang < 0) return nodeStart;
  let start = bang;
  while (start > 0 && !/[\s[{,]/.test(text[start - 1] ?? ' ')) start--;
  return start;
}

function startOfPair(value: unknown): number {
  const node = value as Node | null;
  return node?.range?.[0] ?? 0;
}
