/**
 * The typed contents of `cxctl.yaml` (schema: schemas/cxctl.schema.json) and of the resolved
 * target every network command runs against.
 */
import type { Diagnostic } from '../diagnostics.js';

/** Events a webhook can subscribe to. */
export const WEBHOOK_EVENTS = [
  'apply.completed',
  'apply.failed',
  'compliance.rule.changed',
  'drift.detected',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** One profile: the embedded simulator, or a tenant reached over HTTPS. */
export interface Profile {
  /** `embedded` runs the simulator in-process; `http` (default) talks to a tenant. */
  target?: 'embedded' | 'http';
  tenant?: string;
  apiBase?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  campaignId?: string;
  concurrency?: number;
  rateLimit?: number;
  timeoutSeconds?: number;
}

/** A webhook endpoint as written in cxctl.yaml. */
export interface WebhookConfig {
  url: string;
  /** `whsec_...` Standard Webhooks secret. */
  secret: string;
  /** Subscribed events; absent means all. */
  events?: WebhookEvent[];
}

/**
 * Problems that matter only when a part of the file is used: an unset `${env:...}` inside a
 * profile (raised when that profile is selected) or a webhook (raised when webhooks are resolved).
 */
export interface DeferredProblems {
  profiles: Record<string, Diagnostic[]>;
  webhooks: Record<number, Diagnostic[]>;
}

/** A parsed, validated and interpolated cxctl.yaml. */
export interface CxctlConfig {
  version: 1;
  defaultProfile?: string;
  profiles: Record<string, Profile>;
  webhooks: WebhookConfig[];
  deferred?: DeferredProblems;
}

/** A config file as loaded: where it came from and what it says. */
export interface LoadedConfig {
  /** The path as shown to the user (relative to the working directory when inside it). */
  file: string;
  /** Absolute path. */
  path: string;
  config: CxctlConfig;
}

/** Request limits of a run against one target. */
export interface TargetLimits {
  /** Requests in flight at once. */
  concurrency: number;
  /** Requests per second. */
  rateLimit: number;
  /** Whole-run deadline in seconds, if any. */
  timeoutSeconds?: number;
}

/** What a run talks to, before anything is started or connected. */
export interface TargetSpec {
  kind: 'http' | 'embedded';
  /** How plans and messages name the target, e.g. `acme (https://acme.api.cxone.com)` or `embedded`. */
  label: string;
  /** Profile it came from, if any. */
  profile?: string;
  /** For `http`: the API base URL without a trailing slash. */
  apiBase?: string;
  /** For `http`: the OAuth2 token URL. */
  tokenUrl?: string;
  /** For `http`: the client credentials. */
  clientId?: string;
  clientSecret?: string;
  /** Default campaign for rules that name none. */
  campaignId?: string;
  limits: TargetLimits;
  /** Webhook endpoints (from cxctl.yaml and WEBHOOK_URL/WEBHOOK_SECRET), events filled in. */
  webhooks: ResolvedWebhook[];
}

/** A webhook endpoint with its events resolved. */
export interface ResolvedWebhook {
  url: string;
  secret: string;
  events: WebhookEvent[];
  /** Where it was configured: `cxctl.yaml` or `WEBHOOK_URL`. */
  source: string;
}

/** A target ready for requests: connection details known, simulator started if embedded. */
export interface Target {
  kind: 'http' | 'embedded';
  label: string;
  profile?: string;
  apiBase: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  campaignId?: string;
  limits: TargetLimits;
  webhooks: ResolvedWebhook[];
  /** Stop what the target started (the embedded simulator flushes its state file). Idempotent. */
  close(): Promise<void>;
}
