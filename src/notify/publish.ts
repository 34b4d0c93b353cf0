import type { AuditLog } from './audit.js';
import type { WebhookMessage } from './events.js';
import type { MetricsCollector } from './metrics.js';
import {
  assertWebhooksDelivered,
  deliverWebhooks,
  type DeliveryResult,
  type WebhookDeliveryOptions,
  type WebhookEndpoint,
} from './webhooks.js';

/** Options of {@link publishEvents}. */
export interface PublishOptions extends WebhookDeliveryOptions {
  /** Audit log to record each delivery in (`record: "webhook"`). */
  audit?: AuditLog;
  /** Collector to count deliveries in. */
  metrics?: MetricsCollector;
  /** Plan digest and target copied into the audit records. */
  context?: { planDigest?: string; target?: string };
  /** `--strict-webhooks`: throw when any delivery was not delivered. */
  strict?: boolean;
}

/**
 * What `cxctl apply` and `cxctl drift` call after their work is done: deliver the messages
 * (rule changes first, then the `apply.*` summary, as the caller orders them), audit every
 * delivery, count them, and in strict mode turn any failure into an error.
 *
 * @returns the delivery results (also when some failed, unless `strict`).
 * @throws CxctlError `WEBHOOK_DELIVERY_FAILED` in strict mode when a delivery failed (after all
 *   deliveries were attempted and audited); `AUDIT_LOG_WRITE_FAILED` when an audit line could not
 *   be written. Never for a delivery failure otherwise.
 */
export async function publishEvents(
  messages: readonly WebhookMessage[],
  endpoints: readonly WebhookEndpoint[],
  options: PublishOptions = {},
): Promise<DeliveryResult[]> {
  const { audit, metrics, context, strict, ...delivery } = options;
  if (messages.length === 0 || endpoints.length === 0) return [];
  const auditWrites: Promise<void>[] = [];
  const results = await deliverWebhooks(messages, endpoints, {
    ...delivery,
    onResult: (result) => {
      if (audit) auditWrites.push(audit.webhook(result, context));
      delivery.onResult?.(result);
    },
  });
  // Wait for every line, then surface the first failure (a rejected line must not go unhandled).
  const settled = await Promise.allSettled(auditWrites);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  metrics?.recordWebhooks(results);
  if (strict) assertWebhooksDelivered(results);
  return results;
}
