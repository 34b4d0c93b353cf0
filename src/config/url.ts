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
    return `"${maskUrlCredentials(value)}" is not an absolute URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return undefined;
    return `plain http:// is refused for ${url.host} (credentials would travel unencrypted); use https://, or http:// only for a loopback host such as 127.0.0.1`;
  }
  return `"${maskUrlCredentials(value)}" must be an https:// URL`;
}

/** `value` without trailing slashes (so `{apiBase}/api/...` joins cleanly). */
export function trimTrailingSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

/**
 * The password of a URL (`https://user:password@host`), decoded, or undefined; registered as a
 * secret so that it is masked wherever the URL or parts of it are printed.
 */
export function urlPassword(value: string): string | undefined {
  try {
    const password = new URL(value.trim()).password;
    if (password === '') return undefined;
    try {
      return decodeURIComponent(password);
    } catch {
      return password;
    }
  } catch {
    return undefined;
  }
}

/**
 * `value` with its user information masked (`https://***@host/...`), for labels and messages.
 * Text that does not parse as a URL is returned as it is (nothing in it can be told apart).
 */
export function maskUrlCredentials(value: string): string {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, '$1***@');
}
