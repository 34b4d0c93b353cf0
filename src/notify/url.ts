import { isIP } from 'node:net';
import { redact } from '../secrets.js';

/**
 * True when `hostname` (as `URL.hostname` gives it) names this machine: `localhost` (and
 * `*.localhost`, RFC 6761), 127.0.0.0/8, or `::1`. Plain `http://` is allowed only to such hosts,
 * for webhook endpoints as for the API target, because anything else would send signed payloads
 * and credentials over the network in clear text.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) return host.split('.')[0] === '127';
  if (family === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * `url` with anything that may be a credential masked, for results, logs and the audit log:
 * user and password become `***`, every query value becomes `***` (tokens often travel as
 * `?token=`), the fragment is dropped, and the rest passes through {@link redact}. Text that does
 * not parse as a URL is redacted as plain text.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redact(url);
  }
  if (parsed.username !== '') parsed.username = '***';
  if (parsed.password !== '') parsed.password = '***';
  const keys = [...new Set(parsed.searchParams.keys())];
  for (const key of keys) parsed.searchParams.set(key, '***');
  parsed.hash = '';
  // URLSearchParams percent-encodes the mask; show it as typed.
  return redact(parsed.toString().replaceAll('%2A%2A%2A', '***'));
}
