/**
 * The parsed arguments of `cxctl apply`, in a module of their own so the command definition
 * (apply.ts) and its implementation (applyMain.ts) use them without importing each other.
 */
import type { TargetArgs } from './targetOptions.js';

/** Output formats of `cxctl apply`. */
export const APPLY_FORMATS = ['text', 'json'] as const;

/** Parsed arguments of `cxctl apply`. */
export interface ApplyArgs extends TargetArgs {
  paths?: string[];
  plan?: string;
  autoApprove: boolean;
  expectPlanDigest?: string;
  prune?: string;
  maxDeletePercent?: number;
  auditLog?: string;
  metricsFile?: string;
  format: (typeof APPLY_FORMATS)[number];
  strictWebhooks: boolean;
  webhookTimeout?: number;
}
