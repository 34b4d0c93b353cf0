/**
 * Secrets never go into manifests. Manifest values are shown in plans (which a pull request posts
 * as a comment), saved in plan files and written to the tenant, so a `${env:...}` reference to a
 * secret variable, a variable that holds a secret's value, or a secret's value pasted as text is
 * refused before the file is parsed. Messages name the variable, never its value.
 */
import type { Diagnostic } from '../diagnostics.js';
import { isSecretVariable } from '../secrets.js';
import { envReferences } from '../util/interpolate.js';
import { textPosition } from './decode.js';

/** Shortest secret value looked for in text and in other variables (shorter ones match by chance). */
const MIN_SECRET_VALUE_LENGTH = 8;

/** What {@link secretProblems} needs besides the text. */
export interface SecretCheckOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** More secret variables (those cxctl.yaml uses for client and webhook secrets). */
  secretVariables?: ReadonlySet<string>;
}

/** The secret values of `env`, by variable name (blank and short values left out). */
function secretValues(options: SecretCheckOptions): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(options.env)) {
    if (value === undefined || !isSecretVariable(name, options.secretVariables)) continue;
    const trimmed = value.trim();
    if (trimmed.length >= MIN_SECRET_VALUE_LENGTH) values.set(name, trimmed);
  }
  return values;
}

/** Every place in `text` that would put a secret into a manifest value, as diagnostics. */
export function secretProblems(
  file: string,
  text: string,
  options: SecretCheckOptions,
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const report = (offset: number, message: string, hint: string): void => {
    problems.push({
      severity: 'error',
      code: 'manifest.secret',
      message,
      file,
      ...textPosition(text, offset),
      hint,
    });
  };
  const values = secretValues(options);
  for (const reference of envReferences(text)) {
    if (isSecretVariable(reference.name, options.secretVariables)) {
      report(
        reference.offset,
        `\${env:${reference.name}} names a secret: manifest values are shown in plans and written to the tenant, so secrets may not be used in them`,
        'remove the reference; secrets belong in cxctl.yaml or the environment only',
      );
      continue;
    }
    const value = options.env[reference.name];
    if (value === undefined) continue;
    for (const [secretName, secret] of values) {
      if (value.includes(secret)) {
        report(
          reference.offset,
          `\${env:${reference.name}} holds the value of the secret ${secretName}: manifest values are shown in plans and written to the tenant`,
          `set ${reference.name} to a value that is not a secret`,
        );
        break;
      }
    }
  }
  for (const [secretName, secret] of values) {
    const offset = text.indexOf(secret);
    if (offset >= 0) {
      report(
        offset,
        `the file holds the value of the secret ${secretName}: manifest values are shown in plans and written to the tenant`,
        'remove the secret from the file (and rotate it, if the file was ever committed)',
      );
    }
  }
  return problems;
}

/** What {@link SecretGuard} found in a decoded string: the message and hint, never the value. */
export interface DecodedSecretProblem {
  message: string;
  hint: string;
}

/**
 * Checks decoded strings, where YAML escapes (`"\x24{env:CXONE_CLIENT_SECRET}"`, a secret
 * written with `\x` escapes, a `\` line continuation) can produce what the raw-text scan of
 * {@link secretProblems} never sees. Both parsers call it on every string they decode and on
 * the result of interpolating it.
 */
export class SecretGuard {
  private readonly values: Map<string, string>;

  constructor(private readonly options: SecretCheckOptions) {
    this.values = secretValues(options);
  }

  /** The problem with the decoded string `value` (before interpolation), if any. */
  decoded(value: string): DecodedSecretProblem | undefined {
    for (const reference of envReferences(value)) {
      if (isSecretVariable(reference.name, this.options.secretVariables)) {
        return {
          message: `\${env:${reference.name}} (written with YAML escapes) names a secret: manifest values are shown in plans and written to the tenant, so secrets may not be used in them`,
          hint: 'remove the reference; secrets belong in cxctl.yaml or the environment only',
        };
      }
      const variable = this.options.env[reference.name];
      const secretName = variable === undefined ? undefined : this.secretIn(variable);
      if (secretName !== undefined) {
        return {
          message: `\${env:${reference.name}} holds the value of the secret ${secretName}: manifest values are shown in plans and written to the tenant`,
          hint: `set ${reference.name} to a value that is not a secret`,
        };
      }
    }
    return this.interpolated(value);
  }

  /** The problem with a string as it goes into the desired state, if any. */
  interpolated(value: string): DecodedSecretProblem | undefined {
    const secretName = this.secretIn(value);
    if (secretName === undefined) return undefined;
    return {
      message: `a value holds the value of the secret ${secretName}: manifest values are shown in plans and written to the tenant`,
      hint: 'remove the secret from the file (and rotate it, if the file was ever committed)',
    };
  }

  private secretIn(text: string): string | undefined {
    for (const [secretName, secret] of this.values) if (text.includes(secret)) return secretName;
    return undefined;
  }
}
