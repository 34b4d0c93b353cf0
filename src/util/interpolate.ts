/**
 * `${env:NAME}` and `${env:NAME:-default}` interpolation in string values.
 *
 * Pure: the environment is passed in. Nothing is evaluated; only this one form is recognised, and
 * `$${` escapes a literal `${`.
 */

/** A reference that could not be resolved, with its offset inside the input string. */
export interface InterpolationError {
  /** 0-based offset of the `${` that starts the bad reference. */
  offset: number;
  /** The variable name, or the raw reference text when it is malformed. */
  name: string;
  reason: 'unset' | 'malformed';
}

/** Result of {@link interpolateEnv}: the new string, or every reference that failed. */
export type InterpolationResult =
  { ok: true; value: string; changed: boolean } | { ok: false; errors: InterpolationError[] };

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** A `${env:NAME}` reference found in text (see {@link envReferences}). */
export interface EnvReference {
  /** 0-based offset of the `${`. */
  offset: number;
  /** The variable name. */
  name: string;
}

/**
 * Every well-formed `${env:NAME}` / `${env:NAME:-default}` reference in `text`, as
 * {@link interpolateEnv} would resolve them (`$${` escapes are not references).
 */
export function envReferences(text: string): EnvReference[] {
  if (!mayNeedInterpolation(text)) return [];
  const references: EnvReference[] = [];
  const pattern = new RegExp(REFERENCE.source, 'g');
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0] === '$${') continue;
    const parsed = ENV_REFERENCE.exec(match[1] ?? '');
    if (parsed) references.push({ offset: match.index, name: parsed[1]! });
  }
  return references;
}

/** True when `text` contains something that looks like a reference (a cheap pre-check). */
export function mayNeedInterpolation(text: string): boolean {
  return text.includes('${');
}

/** Replace every `${env:...}` reference in `text` using `env`. */
export function interpolateEnv(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): InterpolationResult {
  if (!mayNeedInterpolation(text)) return { ok: true, value: text, changed: false };
  const errors: InterpolationError[] = [];
  const value = text.replace(
    REFERENCE,
    (match: string, body: string | undefined, offset: number) => {
      if (match === '$${') return '${';
      const parsed = ENV_REFERENCE.exec(body ?? '');
      if (!parsed) {
        errors.push({ offset, name: match, reason: 'malformed' });
        return match;
      }
      const name = parsed[1]!;
      const fallback = parsed[2];
      const resolved = env[name];
      if (resolved !== undefined && resolved !== '') return resolved;
      if (fallback !== undefined) return fallback;
      errors.push({ offset, name, reason: 'unset' });
      return match;
    },
  );
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value, changed: value !== text };
}
