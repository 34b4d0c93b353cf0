/**
 * The fast path: js-yaml with a schema equal to yaml's core schema, no positions kept.
 *
 * It only answers for files that {@link fastPathEligible} admits, and only when nothing in them
 * needs reporting: any js-yaml error, forbidden key or failed `${env:...}` reference sends the file
 * to the slow path, which finds the same problems with their positions. The pipeline goes further
 * (pipeline.ts): a run with any problem at all is read again by the slow path alone. So every
 * diagnostic comes from one place, and the values handed on are the ones the slow path produces.
 */
import jsYaml from 'js-yaml';
import { interpolateEnv, mayNeedInterpolation } from '../util/interpolate.js';
import { JS_YAML_CORE_SCHEMA } from './coreSchema.js';
import { FORBIDDEN_KEYS, MAX_NESTING_DEPTH } from './limits.js';
import { fastPathEligible } from './prescan.js';
import { forbiddenValueCharacter } from './streamCharacters.js';
import type { SecretGuard } from './secretReferences.js';

/** Result of {@link fastParse}: the file's non-empty documents, or why the slow path must run. */
export type FastParseResult = { ok: true; documents: unknown[] } | { ok: false; reason: string };

/** Environment used for `${env:...}` interpolation. */
export type Env = Readonly<Record<string, string | undefined>>;

// js-yaml counts every node it enters (keys too) towards maxDepth; half the loader's own limit keeps
// everything js-yaml accepts well inside what the slow path accepts.
const JS_YAML_MAX_DEPTH = MAX_NESTING_DEPTH / 2;

/**
 * Parse `text` on the fast path, or say why it must take the slow path. With a `guard`, a string
 * that would bring a secret into the desired state sends the file to the slow path, which reports
 * it at its position.
 */
export function fastParse(text: string, env: Env, guard?: SecretGuard): FastParseResult {
  if (!fastPathEligible(text)) return { ok: false, reason: 'prescan' };
  let loaded: unknown[];
  try {
    loaded = jsYaml.loadAll(text, undefined, {
      schema: JS_YAML_CORE_SCHEMA,
      maxDepth: JS_YAML_MAX_DEPTH,
    } as jsYaml.LoadOptions);
  } catch {
    return { ok: false, reason: 'js-yaml' };
  }
  const documents: unknown[] = [];
  const walk = mayNeedWalk(text);
  // Without a backslash no escape can produce text that the raw-text scan has not seen.
  const walker: Walker = { env, guard, escapes: mayHoldEscapes(text) };
  for (const document of loaded) {
    if (document === null || document === undefined) continue;
    if (!walk) {
      documents.push(document);
      continue;
    }
    const checked = checkAndInterpolate(document, walker);
    if (!checked.ok) return { ok: false, reason: checked.reason };
    documents.push(checked.value);
  }
  return { ok: true, documents };
}

/**
 * False when no value in `text` can hold a `${` reference or be a forbidden key, so the walk of
 * {@link checkAndInterpolate} can be skipped (a tenth of a large file's parse). Without a
 * backslash no escape can produce a character the text does not contain, and explicit or
 * multi-line keys never take the fast path, so the raw text tells.
 */
function mayNeedWalk(text: string): boolean {
  if (text.includes('$') || mayHoldEscapes(text)) return true;
  for (const key of FORBIDDEN_KEYS) if (text.includes(key)) return true;
  return false;
}

/**
 * True when a decoded value may differ from the raw text in ways its scans cannot see: an escape,
 * or a NEL, which the stream allows but values may not hold.
 */
function mayHoldEscapes(text: string): boolean {
  return text.includes('\\') || text.includes('\u0085');
}

type Checked = { ok: true; value: unknown } | { ok: false; reason: string };

/** What the walk needs: the environment, the secret guard, and whether escapes are possible. */
interface Walker {
  env: Env;
  guard: SecretGuard | undefined;
  escapes: boolean;
}

/**
 * Walks a js-yaml value: refuses forbidden keys and (with a guard) strings that bring in a secret,
 * resolves `${env:...}` in strings, in place.
 */
function checkAndInterpolate(value: unknown, walker: Walker): Checked {
  if (typeof value === 'string') {
    const { env, guard, escapes } = walker;
    if (escapes && forbiddenValueCharacter(value) !== undefined) {
      return { ok: false, reason: 'character' };
    }
    if (escapes && guard?.decoded(value) !== undefined) return { ok: false, reason: 'secret' };
    if (!mayNeedInterpolation(value)) return { ok: true, value };
    const result = interpolateEnv(value, env);
    if (!result.ok) return { ok: false, reason: 'interpolation' };
    if (forbiddenValueCharacter(result.value) !== undefined) {
      return { ok: false, reason: 'character' };
    }
    if (guard?.interpolated(result.value) !== undefined) return { ok: false, reason: 'secret' };
    return { ok: true, value: result.value };
  }
  if (typeof value === 'object' && value !== null) {
    // Lists and mappings alike: members by key (a list's are its indices, never forbidden).
    const container = value as Record<string, unknown>;
    for (const key of Object.keys(container)) {
      if (FORBIDDEN_KEYS.has(key)) return { ok: false, reason: 'forbidden-key' };
      if (walker.escapes && forbiddenValueCharacter(key) !== undefined) {
        return { ok: false, reason: 'character' };
      }
      const item = container[key];
      const walk =
        (typeof item === 'object' && item !== null) ||
        (typeof item === 'string' && (walker.escapes || mayNeedInterpolation(item)));
      if (!walk) continue;
      const checked = checkAndInterpolate(item, walker);
      if (!checked.ok) return checked;
      container[key] = checked.value;
    }
  }
  return { ok: true, value };
}
