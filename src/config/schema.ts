/**
 * Validation of cxctl.yaml against schemas/cxctl.schema.json (JSON Schema draft 2020-12), with
 * ajv errors turned into sentences that point at a path in the document.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type * as AjvModule from 'ajv/dist/2020.js';
import type AddFormatsModule from 'ajv-formats';
import { pointerToPath } from '../schema/messages.js';
import { packageRoot } from '../util/packageRoot.js';
import { closestMatch } from '../util/suggest.js';

/** One schema violation: where it is (path into the data; `key` for an offending key) and what. */
export interface SchemaProblem {
  path: (string | number)[];
  /** Set when the problem is a key of the map at `path` (unknown or forbidden key). */
  key?: string;
  message: string;
  hint?: string;
}

let compiled: ValidateFunction | undefined;

/** The compiled validator (compiled once per process). */
function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(
    readFileSync(join(packageRoot(), 'schemas', 'cxctl.schema.json'), 'utf8'),
  ) as object;
  // ajv is loaded only when there is a cxctl.yaml to check: most runs in CI have none.
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof AjvModule;
  const addFormats = require('ajv-formats') as typeof AddFormatsModule;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
  addFormats.default(ajv);
  compiled = ajv.compile(schema);
  return compiled;
}

/** Every violation of the schema by `data` (empty when valid). */
export function validateConfigSchema(data: unknown): SchemaProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = describe(error);
    if (!problem) continue;
    const id = `${problem.path.join('/')}|${problem.key ?? ''}|${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  return problems;
}

/** `profiles.prod.concurrency`, `webhooks[0].url`: how a place in the file is named in words. */
export function describePath(path: readonly (string | number)[]): string {
  let text = '';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text;
}

const SECRET_FIELDS = new Set(['secret', 'clientSecret']);

function got(error: ErrorObject, path: readonly (string | number)[]): string {
  const last = path[path.length - 1];
  if (typeof last === 'string' && SECRET_FIELDS.has(last)) return '';
  const data: unknown = error.data;
  if (data === undefined) return '';
  const text = JSON.stringify(data);
  return text.length > 60 ? '' : ` (got ${text})`;
}

function describe(error: ErrorObject): SchemaProblem | undefined {
  const path = pointerToPath(error.instancePath);
  const where = describePath(path);
  const last = path[path.length - 1];
  const params = error.params as Record<string, unknown>;
  // A sub-error of `propertyNames` (its own error says it better).
  if (error.keyword !== 'propertyNames' && params.propertyName !== undefined) return undefined;
  switch (error.keyword) {
    case 'if':
      return undefined; // reported by the `then` branch's own errors
    case 'required':
      return {
        path,
        message: `${where || 'the file'} is missing the required key "${String(params.missingProperty)}"`,
      };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      const suggestion = closest(key, known);
      return {
        path,
        key,
        message: `unknown key "${key}"${where ? ` in ${where}` : ''}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
        hint: `known keys: ${known.join(', ')}`,
      };
    }
    case 'false schema':
      return {
        path: path.slice(0, -1),
        key: String(last),
        message: `"${String(last)}" cannot be set in a profile with target: embedded (the embedded simulator needs no tenant or credentials)`,
      };
    case 'const':
      if (where === 'version') {
        return { path, message: `version must be 1${got(error, path)}` };
      }
      return { path, message: `${where} must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return {
        path,
        message: `${where} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}${got(error, path)}`,
      };
    case 'type':
      return {
        path,
        message: `${where || 'the file'} must be ${article(String(params.type))}${got(error, path)}`,
      };
    case 'format':
      return { path, message: `${where} must be an absolute URL${got(error, path)}` };
    case 'pattern':
      if (last === 'secret') {
        return {
          path,
          message: `${where} must be a Standard Webhooks secret: whsec_ followed by base64`,
        };
      }
      if (last === 'tenant') {
        return {
          path,
          message: `${where} must be a tenant name (letters, digits and hyphens)${got(error, path)}`,
        };
      }
      return { path, message: `${where} has an unexpected format${got(error, path)}` };
    case 'propertyNames':
      return {
        path,
        key: String(params.propertyName),
        message: `profile name "${String(params.propertyName)}" must start with a letter or digit and use only letters, digits, "_", "." and "-"`,
      };
    case 'uniqueItems':
      return { path, message: `${where} lists the same value twice` };
    default:
      return {
        path,
        message: `${where || 'the file'} ${error.message ?? 'is invalid'}${got(error, path)}`,
      };
  }
}

function article(type: string): string {
  if (type === 'integer') return 'a whole number';
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  return `a ${type}`;
}

/** The known key nearest to `word` by edit distance, when it is close enough to be a typo. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  // Configuration keys are short, so the tolerance follows the word alone (a third, at least 1).
  return closestMatch(word, candidates, {
    maxDistance: (wanted) => Math.max(1, Math.floor(wanted.length / 3)),
  });
}
