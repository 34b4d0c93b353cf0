/**
 * ajv errors as sentences in the user's words, each at the place of the offending value:
 * "duration must be between 1 and 7200 seconds, got 7201" at the value; a missing property at the
 * object it is missing from; an unknown key at the key, with "did you mean" from the allowed names.
 */
import type { ErrorObject } from 'ajv';
import type { ManifestPointer, PathSegment, PendingDiagnostic } from '../manifest/types.js';
import { closestMatch } from '../util/suggest.js';

/** A JSON Schema object as ajv hands it back with `verbose: true`. */
type SchemaObject = Record<string, unknown>;

/** Turn the errors of one document's validation into diagnostics at their places. */
export function schemaErrorsToDiagnostics(
  errors: readonly ErrorObject[],
  where: { file: string; document: number },
): PendingDiagnostic[] {
  const diagnostics: PendingDiagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const diagnostic = describeError(error, where);
    if (!diagnostic) continue;
    const key = `${JSON.stringify(diagnostic.at.path)}|${diagnostic.at.target ?? ''}|${String(diagnostic.message)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

/** `/wrapUpCodes/3/duration` as `['wrapUpCodes', 3, 'duration']`. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment;
    });
}

function describeError(
  error: ErrorObject,
  where: { file: string; document: number },
): PendingDiagnostic | undefined {
  const path = pointerToPath(error.instancePath);
  const at = (extra: PathSegment[] = [], target?: 'key'): ManifestPointer => ({
    file: where.file,
    document: where.document,
    path: [...path, ...extra],
    ...(target ? { target } : {}),
  });
  const parent = (error.parentSchema ?? {}) as SchemaObject;
  const schemaValue = error.schema;
  const subject = subjectName(path, parent);
  const got = describeValue(error.data);
  const params = error.params as Record<string, unknown>;
  const unit = typeof parent['x-unit'] === 'string' ? ` ${parent['x-unit']}` : '';
  const pending = (code: string, message: string, hint?: string): PendingDiagnostic => ({
    severity: 'error',
    code,
    message,
    at: at(),
    ...(hint === undefined ? {} : { hint }),
  });

  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const property = propertySchema(parent, missing);
      const description = typeof property?.description === 'string' ? property.description : '';
      return pending(
        'schema.required',
        `${objectName(path, parent, error.data)} is missing the required property "${missing}"`,
        description ? `${missing}: ${description}` : undefined,
      );
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      const suggestion = closestMatch(key, allowed);
      return {
        severity: 'error',
        code: 'schema.unknownKey',
        message:
          path.length === 0
            ? `unknown top-level key "${key}"`
            : `unknown property "${key}" in ${objectName(path, parent, error.data)}`,
        at: at([key], 'key'),
        hint: suggestion
          ? `did you mean "${suggestion}"?`
          : `allowed here: ${allowed.map((name) => `"${name}"`).join(', ')}`,
      };
    }
    case 'type': {
      const expected = Array.isArray(schemaValue) ? schemaValue : [schemaValue];
      const hint =
        typeof error.data === 'string' &&
        expected.some((type) => type === 'integer' || type === 'number') &&
        /^[-+]?[0-9.]+$/.test(error.data)
          ? 'remove the quotes around the number'
          : undefined;
      return pending(
        'schema.type',
        `${subject} must be ${expected.map((type) => typeWords(String(type))).join(' or ')}, got ${got}`,
        hint,
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return pending('schema.range', `${subject} must be ${rangeWords(parent, unit)}, got ${got}`);
    case 'minLength':
    case 'maxLength': {
      const length = typeof error.data === 'string' ? error.data.length : 0;
      return pending(
        'schema.length',
        `${subject} must be ${lengthWords(parent)}, got ${length === 0 ? 'an empty string' : `${length} characters`}`,
      );
    }
    case 'pattern': {
      const description = parent['x-pattern-description'];
      return pending(
        'schema.pattern',
        typeof description === 'string'
          ? `${subject} ${got} is not valid: ${description}`
          : `${subject} must match ${String(schemaValue)}, got ${got}`,
      );
    }
    case 'enum': {
      const allowed = (Array.isArray(schemaValue) ? schemaValue : []).map(String);
      const suggestion =
        typeof error.data === 'string' ? closestMatch(error.data, allowed) : undefined;
      return pending(
        'schema.enum',
        `${subject} must be one of ${listWords(allowed)}, got ${got}`,
        suggestion ? `did you mean "${suggestion}"?` : undefined,
      );
    }
    case 'const':
      return pending(
        'schema.const',
        `${subject} must be ${JSON.stringify(schemaValue)}, got ${got}`,
      );
    case 'minItems': {
      const minimum = Number(schemaValue);
      return pending(
        'schema.minItems',
        minimum <= 1
          ? `${subject} must not be empty`
          : `${subject} must have at least ${minimum} entries, got ${Array.isArray(error.data) ? error.data.length : 0}`,
      );
    }
    case 'maxItems':
      return pending(
        'schema.maxItems',
        `${subject} must have at most ${String(schemaValue)} entries`,
      );
    case 'format':
      return pending(
        'schema.format',
        String(schemaValue) === 'date-time'
          ? `${subject} must be an RFC 3339 date-time with an offset (e.g. 2026-03-03T01:30:00Z), got ${got}`
          : `${subject} must be a valid ${String(schemaValue)}, got ${got}`,
      );
    case 'dependentRequired': {
      const property = String(params.property);
      const missing = String(params.missingProperty);
      return pending(
        'schema.required',
        `${objectName(path, parent, error.data)} has "${property}" but not "${missing}"; give both or neither`,
      );
    }
    default:
      return pending(`schema.${error.keyword}`, `${subject} ${error.message ?? 'is not valid'}`);
  }
}

/** The name a message uses for the value at `path`: its key, or its schema title for list items. */
function subjectName(path: readonly PathSegment[], schema: SchemaObject): string {
  if (path.length === 0) return 'a manifest document';
  const last = path[path.length - 1];
  if (typeof last === 'string') return last;
  if (typeof schema.title === 'string') return lowerFirst(schema.title);
  return path.length === 0 ? 'the manifest document' : 'this value';
}

/**
 * The name of the object at `path` in messages about its properties: its schema title and, when it
 * has one, its code or name (`wrap-up code RES_001`, `compliance rule "US-FCC hours"`).
 */
function objectName(path: readonly PathSegment[], schema: SchemaObject, data?: unknown): string {
  if (typeof schema.title === 'string' && path.length > 0) {
    const last = path[path.length - 1];
    if (typeof last !== 'number') return `"${String(last)}"`;
    const record = (typeof data === 'object' && data !== null ? data : {}) as Record<
      string,
      unknown
    >;
    const title = lowerFirst(schema.title);
    if (typeof record.code === 'string') return `${title} ${record.code}`;
    if (typeof record.name === 'string') return `${title} ${JSON.stringify(record.name)}`;
    return title;
  }
  return path.length === 0 ? 'the manifest document' : subjectName(path, schema);
}

function propertySchema(schema: SchemaObject, name: string): SchemaObject | undefined {
  const properties = schema.properties as Record<string, SchemaObject> | undefined;
  return properties?.[name];
}

function lowerFirst(text: string): string {
  // Keep acronyms such as "CRM" as they are.
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** How a value is quoted in "got ..." (strings quoted and shortened). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

function typeWords(type: string): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping';
    case 'null':
      return 'empty';
    default:
      return type;
  }
}

function rangeWords(schema: SchemaObject, unit: string): string {
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  const exclusiveMin = schema.exclusiveMinimum as number | undefined;
  const exclusiveMax = schema.exclusiveMaximum as number | undefined;
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}${unit}`;
  const parts: string[] = [];
  if (min !== undefined) parts.push(`at least ${min}${unit}`);
  if (exclusiveMin !== undefined) parts.push(`greater than ${exclusiveMin}${unit}`);
  if (max !== undefined) parts.push(`at most ${max}${unit}`);
  if (exclusiveMax !== undefined) parts.push(`less than ${exclusiveMax}${unit}`);
  return parts.join(' and ');
}

function lengthWords(schema: SchemaObject): string {
  const min = schema.minLength as number | undefined;
  const max = schema.maxLength as number | undefined;
  if (min !== undefined && max !== undefined) return `${min} to ${max} characters long`;
  if (min === 1) return 'non-empty text';
  if (min !== undefined) return `at least ${min} characters long`;
  return `at most ${max ?? 0} characters long`;
}

function listWords(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]!}`;
}
