/**
 * The id cxctl chooses for a compliance rule it creates: a name-based UUID (version 5, RFC 9562
 * section 5.5) of the campaign id and the rule name. Every attempt to create the same rule sends
 * the same id, so the API answers a repeated create with 409 instead of making a second rule, even
 * when the idempotency key is new (another plan, another run).
 */
import { createHash } from 'node:crypto';

/**
 * The namespace of cxctl's rule ids (docs/cxone-api.md). Fixed forever: changing it would give
 * every rule a new id and break the adoption of rules created by earlier versions.
 */
export const RULE_ID_NAMESPACE = '53d368b6-3e4c-457e-8d0f-7f2d26f15afc';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A version 5 UUID: SHA-1 of the namespace's 16 bytes and the UTF-8 of `name` (RFC 9562 §5.5). */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID_PATTERN.test(namespace)) throw new RangeError(`not a UUID: ${namespace}`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10xx
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of rule `ruleName` in campaign `campaignId`. The name hashed is the JSON array
 * `[campaignId, ruleName]`, so no pair of inputs can run together into the same text.
 */
export function clientRuleId(campaignId: string, ruleName: string): string {
  return uuidV5(RULE_ID_NAMESPACE, JSON.stringify([campaignId, ruleName]));
}
