/**
 * URL checks shared by config loading and target resolution.
 */

/** Host names that only ever reach this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * Why `value` may not be used as a target or webhook URL, or undefined when it is fine: it must be
 * an absolute https:// URL, or http:// to a loopback host (a local simulator or test receiver).
 * Credentials and tokens never travel in clear text to another machine.
 */
export function plainHttpProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return undefined;
    return `plain http:// is refused for ${url.host} (credentials would travel unencrypted); use https://, or http:// only for a loopback host such as 127.0.0.1`;
  }
  return `"${value}" must be an https:// URL`;
}

/** `value` without trailing slashes (so `{apiBase}/api/...` joins cleanly). */
export function trimTrailingSlash(value: string): string {
  return value.replace(/\/+$/, '');
}
