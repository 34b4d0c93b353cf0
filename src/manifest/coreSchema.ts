/**
 * The YAML 1.2 core schema, written for js-yaml so that it resolves plain scalars exactly as the
 * `yaml` package's `core` schema does (same patterns, same conversions, same order). js-yaml's own
 * CORE_SCHEMA is broader (binary and `+` prefixed hex/octal integers, `_` separators, ...); with
 * this one both parsers give the same value for every plain scalar.
 */
import jsYaml from 'js-yaml';

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * True when `text` may be something other than a string in the core schema: every null, bool, int
 * and float form starts with one of `~ n N t T f F + - . 0-9` (or is empty). A cheap filter that
 * spares most plain scalars (names, categories) the regular expressions.
 */
function mayBeNonString(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  return (
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2b || // +
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x7e || // ~
    c === 0x6e || // n
    c === 0x4e || // N
    c === 0x74 || // t
    c === 0x54 || // T
    c === 0x66 || // f
    c === 0x46 // F
  );
}

/** Converts a plain scalar the way yaml's core schema does, or returns undefined for a string. */
export function resolveCorePlainScalar(text: string): null | boolean | number | undefined {
  if (!mayBeNonString(text)) return undefined;
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT_OCT.test(text)) return parseInt(text.substring(2), 8);
  if (INT.test(text)) return parseInt(text, 10);
  if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  if (FLOAT_NAN.test(text)) {
    if (text.slice(-3).toLowerCase() === 'nan') return NaN;
    return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text);
  return undefined;
}

// One js-yaml type per result kind; each resolves only what resolveCorePlainScalar resolves to it.
const nullType = new jsYaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || (mayBeNonString(data) && NULL.test(data)),
  construct: () => null,
});
const boolType = new jsYaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && mayBeNonString(data) && BOOL.test(data),
  construct: (data: string) => data[0] === 't' || data[0] === 'T',
});
const intType = new jsYaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    data !== null &&
    mayBeNonString(data) &&
    (INT_OCT.test(data) || INT.test(data) || INT_HEX.test(data)),
  construct: (data: string) => resolveCorePlainScalar(data),
});
const floatType = new jsYaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    data !== null &&
    mayBeNonString(data) &&
    (FLOAT_NAN.test(data) || FLOAT_EXP.test(data) || FLOAT.test(data)),
  construct: (data: string) => resolveCorePlainScalar(data),
});

/** js-yaml schema equivalent to yaml's `core` schema for untagged documents. */
export const JS_YAML_CORE_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [nullType, boolType, intType, floatType],
});
