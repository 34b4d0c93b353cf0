/**
 * Notifications and records of a run: webhook events (Standard Webhooks), the JSON Lines audit log
 * and run metrics. See docs/webhooks.md, docs/audit-log.md and docs/metrics.md.
 */
export * from './audit.js';
export * from './clock.js';
export * from './events.js';
export * from './metrics.js';
export * from './publish.js';
export * from './signing.js';
export * from './url.js';
export * from './webhooks.js';
