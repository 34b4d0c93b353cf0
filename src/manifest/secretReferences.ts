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
