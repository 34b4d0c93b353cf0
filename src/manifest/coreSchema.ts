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

/** Converts a plain scalar the way yaml's core schema does, or returns undefined for a string. */
export function resolveCorePlainScalar(text: string): null | boolean | number | undefined {
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
  resolve: (data: string | null) => data === null || NULL.test(data),
  construct: () => null,
});
const boolType = new jsYaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && BOOL.test(data),
  construct: (data: string) => data[0] === 't' || data[0] === 'T',
});
const intType = new jsYaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    data !== null && (INT_OCT.test(data) || INT.test(data) || INT_HEX.test(data)),
  construct: (data: string) => resolveCorePlainScalar(data),
});
const floatType = new jsYaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    data !== null && (FLOAT_NAN.test(data) || FLOAT_EXP.test(data) || FLOAT.test(data)),
  construct: (data: string) => resolveCorePlainScalar(data),
});

/** js-yaml schema equivalent to yaml's `core` schema for untagged documents. */
export const JS_YAML_CORE_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [nullType, boolType, intType, floatType],
});
