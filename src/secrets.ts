/**
 * Process-wide registry of secret values (client secrets, bearer tokens, webhook secrets).
 *
 * Every path that can print or persist text (log lines, error messages, audit records, webhook
 * bodies) passes it through {@link redact}, so a secret registered once can never leak, whatever
 * message it ends up inside.
 */
const MIN_SECRET_LENGTH = 4;
const registered = new Set<string>();
const MASK = '***';

/** Remember `value` as a secret; short or empty values are ignored (masking them would garble text). */
export function registerSecret(value: string | undefined | null): void {
  if (value == null || value.length < MIN_SECRET_LENGTH) return;
  registered.add(value);
  // URL-encoded and Base64 forms appear in form bodies and Basic auth headers.
  const encoded = encodeURIComponent(value);
  if (encoded !== value) registered.add(encoded);
}

// Patterns that are secret whatever their value: bearer tokens and Basic credentials in headers,
// and whsec_ webhook secrets.
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /\bwhsec_[A-Za-z0-9+/=_-]+/g,
  /\b(client_secret|access_token|refresh_token)=[^&\s"]+/gi,
  /("(?:client_?secret|access_token|refresh_token|clientSecret|secret|password)"\s*:\s*)"[^"]*"/gi,
];

/** Replace every registered secret and every token-shaped credential in `text` with `***`. */
export function redact(text: string): string {
  let result = text;
  for (const secret of registered) {
    if (result.includes(secret)) result = result.split(secret).join(MASK);
  }
  result = result
    .replace(SECRET_PATTERNS[0]!, (_m, scheme: string) => `${scheme} ${MASK}`)
    .replace(SECRET_PATTERNS[1]!, `whsec_${MASK}`)
    .replace(SECRET_PATTERNS[2]!, (_m, name: string) => `${name}=${MASK}`)
    .replace(SECRET_PATTERNS[3]!, (_m, prefix: string) => `${prefix}"${MASK}"`);
  return result;
}

/** Environment variables that hold a secret whatever cxctl.yaml says (docs/configuration.md). */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'CXONE_CLIENT_SECRET',
  'CXONE_ACCESS_KEY_SECRET',
  'WEBHOOK_SECRET',
]);

// Names that say "secret" by convention: ..._SECRET, ..._PASSWORD, ..._TOKEN, ..._ACCESS_KEY,
// ..._API_KEY, ..._PRIVATE_KEY (and those words alone).
const SECRET_NAME = /(?:^|_)(?:SECRET|PASSWORD|PASSWD|TOKEN|ACCESS_KEY|API_KEY|PRIVATE_KEY)$/i;

/**
 * True when the environment variable `name` holds a secret: one of {@link SECRET_VARIABLES}, a
 * name ending in `_SECRET`, `_PASSWORD`, `_TOKEN`, `_ACCESS_KEY`, `_API_KEY` or `_PRIVATE_KEY`,
 * or one of `also` (the variables cxctl.yaml uses for client and webhook secrets).
 */
export function isSecretVariable(name: string, also?: ReadonlySet<string>): boolean {
  return SECRET_VARIABLES.has(name) || SECRET_NAME.test(name) || (also?.has(name) ?? false);
}

/** Forget all registered secrets (tests only). */
export function clearSecretsForTests(): void {
  registered.clear();
}
