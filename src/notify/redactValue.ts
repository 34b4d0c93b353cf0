import { redact } from '../secrets.js';

/**
 * A deep copy of `value` with every string passed through {@link redact}.
 *
 * Used instead of redacting serialised JSON: masking a registered secret inside JSON text could cut
 * through syntax (a secret `null` or `1234` would corrupt a number or a literal), whereas masking
 * string values keeps the document valid. Object keys are ours and are not redacted.
 */
export function redactValue<T>(value: T): T {
  return redactAny(value) as T;
}

function redactAny(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactAny);
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) copy[key] = redactAny(item);
    }
    return copy;
  }
  return value;
}
