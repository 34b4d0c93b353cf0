/**
 * The secrets of the process environment, known before any manifest is read: every command that
 * reads manifests registers them for redaction (src/secrets.ts) and refuses manifests that use them,
 * whether or not it resolves a target. Offline commands (validate, test, crm mappings) thus mask
 * the same values as plan does.
 */
import { resolve } from 'node:path';
import { isSecretVariable, registerSecret } from '../secrets.js';
import { readInputFile } from './readInputFile.js';
import { urlPassword } from '../config/url.js';

const CONFIG_FILE_NAMES = ['cxctl.yaml', 'cxctl.yml'];
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Variables whose value is a URL that may carry a password (`https://user:password@host`). */
const URL_VARIABLES = ['CXONE_API_BASE', 'CXONE_TOKEN_URL', 'WEBHOOK_URL'];
// `secret:` or `clientSecret:` followed by a `${env:NAME}` reference, in block or flow style.
const CONFIG_SECRET_REFERENCE =
  /\b(?:secret|clientSecret)\s*:\s*["']?\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g;

/**
 * The variables that the configuration file uses for client and webhook secrets: `configPath`
 * (relative to `cwd`, as `--config` gives it) when given, else the cxctl.yaml in `cwd`. The text is
 * scanned for `secret:`/`clientSecret:` references rather than parsed, so a broken file (reported
 * by the commands that use it) does not stop offline commands.
 */
export function configSecretVariables(cwd: string, configPath?: string): Set<string> {
  const names = new Set<string>();
  const files = configPath === undefined ? CONFIG_FILE_NAMES : [configPath];
  for (const name of files) {
    const read = readInputFile(resolve(cwd, name), MAX_CONFIG_BYTES);
    if (!read.ok) continue;
    for (const match of read.bytes.toString('utf8').matchAll(CONFIG_SECRET_REFERENCE)) {
      names.add(match[1]!);
    }
  }
  return names;
}

/**
 * Register for redaction every secret value of `env`: secret variables (see
 * {@link isSecretVariable}, plus `also`) and passwords inside URL variables.
 */
export function registerEnvironmentSecrets(
  env: Readonly<Record<string, string | undefined>>,
  also?: ReadonlySet<string>,
): void {
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isSecretVariable(name, also)) registerSecret(value.trim());
  }
  for (const name of URL_VARIABLES) {
    const value = env[name];
    if (value !== undefined) registerSecret(urlPassword(value));
  }
}
