/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/, spec 1.0.0, symmetric scheme).
 *
 * - Secret: `whsec_` + standard base64 of 24..64 random bytes; the HMAC key is the decoded bytes.
 * - `webhook-signature: v1,<base64(HMAC-SHA256(key, "${id}.${timestamp}.${body}"))>`.
 * - `webhook-timestamp`: unix seconds of the delivery attempt (re-signed on every retry).
 * - `webhook-id`: one per event, the same on every retry and on a re-run of the same apply
 *   (see {@link deriveWebhookId}); receivers use it as an idempotency key.
 */
import { createHash, createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { CxctlError } from '../errors.js';
import { registerSecret } from '../secrets.js';

/** The prefix that marks a Standard Webhooks symmetric secret. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** Smallest and largest key the spec allows (192 and 512 bits). */
export const MIN_WEBHOOK_KEY_BYTES = 24;
export const MAX_WEBHOOK_KEY_BYTES = 64;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A decoded signing key. The bytes are held in a private field and the object prints and
 * serialises as `[webhook signing key]`, so a key that ends up in a log call or a JSON dump
 * cannot leak.
 */
export class WebhookSigningKey {
  readonly #key: Buffer;

  /** Use {@link parseWebhookSecret}; this takes already-validated key bytes. */
  constructor(key: Uint8Array) {
    this.#key = Buffer.from(key);
  }

  /** `v1,<base64 HMAC-SHA256>` over `${id}.${timestampSeconds}.${body}`. */
  sign(id: string, timestampSeconds: number, body: string): string {
    const mac = createHmac('sha256', this.#key)
      .update(`${id}.${timestampSeconds}.`)
      .update(body, 'utf8')
      .digest('base64');
    return `v1,${mac}`;
  }

  toJSON(): string {
    return '[webhook signing key]';
  }
  toString(): string {
    return '[webhook signing key]';
  }
  [inspect.custom](): string {
    return '[webhook signing key]';
  }
}

/**
 * Decode a `whsec_` secret into a signing key, registering the secret (and its base64 body) with
 * the redactor so neither can appear in any later output.
 *
 * @param where names the secret's origin in the error, e.g. `webhook 1 (https://hooks.example.com/x)`;
 *   it must not contain the secret.
 * @throws CxctlError `WEBHOOK_SECRET_INVALID` describing what is wrong with the secret's shape,
 *   never its value.
 */
export function parseWebhookSecret(secret: string, where = 'webhook'): WebhookSigningKey {
  registerSecret(secret);
  const fail = (problem: string): never => {
    throw new CxctlError(
      'WEBHOOK_SECRET_INVALID',
      `The secret of ${where} is not a Standard Webhooks secret: ${problem}.`,
      {
        hint: `Use "${WEBHOOK_SECRET_PREFIX}" followed by the base64 of ${MIN_WEBHOOK_KEY_BYTES} to ${MAX_WEBHOOK_KEY_BYTES} random bytes, e.g. from: node -e "console.log('whsec_'+require('crypto').randomBytes(32).toString('base64'))"`,
      },
    );
  };
  if (typeof secret !== 'string' || secret.trim() === '') return fail('it is empty');
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    return fail(`it does not start with "${WEBHOOK_SECRET_PREFIX}"`);
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  registerSecret(encoded);
  if (!BASE64.test(encoded) || encoded.length % 4 === 1) {
    return fail(`the part after "${WEBHOOK_SECRET_PREFIX}" is not standard base64`);
  }
  const key = Buffer.from(encoded, 'base64');
  // Buffer's decoder skips junk silently; a round trip proves every character was meaningful.
  if (key.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) {
    return fail(`the part after "${WEBHOOK_SECRET_PREFIX}" is not standard base64`);
  }
  if (key.length < MIN_WEBHOOK_KEY_BYTES || key.length > MAX_WEBHOOK_KEY_BYTES) {
    return fail(
      `it decodes to ${key.length} bytes, and the key must be ${MIN_WEBHOOK_KEY_BYTES} to ${MAX_WEBHOOK_KEY_BYTES} bytes`,
    );
  }
  return new WebhookSigningKey(key);
}

/** The three Standard Webhooks headers of one delivery attempt. */
export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Headers for one attempt of one delivery. `timestampSeconds` is the attempt time (unix seconds);
 * `body` must be the exact bytes sent.
 */
export function signedHeaders(
  key: WebhookSigningKey,
  webhookId: string,
  timestampSeconds: number,
  body: string,
): StandardWebhookHeaders {
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': key.sign(webhookId, timestampSeconds, body),
  };
}

/**
 * A deterministic `webhook-id`: `msg_` + 32 hex characters of
 * sha256("cxctl-webhook\0" + type + "\0" + basis + "\0" + subject).
 *
 * `basis` is the plan digest for apply events (the drift content digest for `drift.detected`) and
 * `subject` names what the event is about within it (e.g. a rule's campaign and name), so every
 * retry, and a re-run of the same saved plan, sends the same id for the same event, and receivers
 * deduplicating on webhook-id process it once. The id never contains `.`, as the spec requires.
 */
export function deriveWebhookId(type: string, basis: string, subject = ''): string {
  const digest = createHash('sha256')
    .update(`cxctl-webhook\0${type}\0${basis}\0${subject}`)
    .digest('hex');
  return `msg_${digest.slice(0, 32)}`;
}
