/**
 * Injected faults (`POST /__sim/faults`, SIMULATOR.md): scripted and probabilistic failures of
 * API requests, reproducible through a seeded PRNG.
 *
 * Rules are checked in order for every API request (never for `/__sim/`); the first rule that
 * matches and fires decides. A rule without `times` and `probability` always fires; `times: n`
 * fires n times; `probability: p` fires with probability p (both may be combined).
 */
import type { FieldError } from '../cxone/types.js';
import { isJsonObject } from '../util/json.js';
import { pointerSegment } from './rules.js';

/** What a fault does besides answering a status. */
export const FAULT_ACTIONS = ['drop', 'commit-then-drop', 'delay'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/** One fault rule as posted to `/__sim/faults`. */
export interface FaultRuleSpec {
  /** HTTP method to match (any when absent), case-insensitive. */
  method?: string;
  /** Regular expression over the request path (without the query); any path when absent. */
  path?: string;
  /** Answer this status with a JSON error body instead of processing. */
  status?: number;
  /** Or: `drop` the connection unprocessed, `commit-then-drop` after processing, or `delay`. */
  action?: FaultAction;
  /** For `delay`: how long to wait before processing normally. */
  delayMs?: number;
  /** Fire this many times, then never again. */
  times?: number;
  /** Fire with this probability (0..1), drawn from the seeded PRNG. */
  probability?: number;
  /** For `status`: the `Retry-After` header, seconds or an HTTP-date. */
  retryAfter?: number | string;
}

/** The body of `POST /__sim/faults`. */
export interface FaultSpec {
  /** PRNG seed for `probability` (default 0). */
  seed?: number;
  rules: FaultRuleSpec[];
}

/** A fault that fired for a request. */
export type FaultOutcome =
  | { kind: 'status'; status: number; retryAfter?: string; rule: number }
  | { kind: 'drop'; rule: number }
  | { kind: 'commit-then-drop'; rule: number }
  | { kind: 'delay'; delayMs: number; rule: number };

interface ActiveRule {
  spec: FaultRuleSpec;
  path: RegExp | undefined;
  method: string | undefined;
  fired: number;
}

/** Mulberry32: a small, fast PRNG with a 32-bit state; good enough to pick faults reproducibly. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RULE_KEYS = new Set([
  'method',
  'path',
  'status',
  'action',
  'delayMs',
  'times',
  'probability',
  'retryAfter',
]);
const MAX_DELAY_MS = 600_000;

/** Validate a fault spec; every problem is reported with a JSON Pointer. */
export function parseFaultSpec(
  input: unknown,
): { ok: true; spec: FaultSpec } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (!isJsonObject(input))
    return { ok: false, errors: [{ field: '', message: 'must be an object {seed?, rules}' }] };
  for (const key of Object.keys(input)) {
    if (key !== 'seed' && key !== 'rules') add(`/${pointerSegment(key)}`, 'unknown field');
  }
  if (
    input.seed !== undefined &&
    (typeof input.seed !== 'number' || !Number.isInteger(input.seed))
  ) {
    add('/seed', 'must be an integer');
  }
  if (!Array.isArray(input.rules)) {
    add('/rules', 'must be an array of fault rules');
    return { ok: false, errors };
  }
  const rules: FaultRuleSpec[] = [];
  input.rules.forEach((raw: unknown, index) => {
    const at = `/rules/${index}`;
    if (!isJsonObject(raw)) {
      add(at, 'must be an object');
      return;
    }
    for (const key of Object.keys(raw)) {
      if (!RULE_KEYS.has(key)) add(`${at}/${pointerSegment(key)}`, 'unknown field');
    }
    const rule = raw as FaultRuleSpec & Record<string, unknown>;
    if (
      rule.method !== undefined &&
      (typeof rule.method !== 'string' || !/^[A-Za-z]+$/.test(rule.method))
    ) {
      add(`${at}/method`, 'must be an HTTP method name');
    }
    if (rule.path !== undefined) {
      if (typeof rule.path !== 'string') add(`${at}/path`, 'must be a regular expression (string)');
      else {
        try {
          new RegExp(rule.path);
        } catch (error) {
          add(`${at}/path`, `is not a valid regular expression: ${(error as Error).message}`);
        }
      }
    }
    const hasStatus = rule.status !== undefined;
    const hasAction = rule.action !== undefined;
    if (hasStatus === hasAction) add(at, 'needs exactly one of status or action');
    if (
      hasStatus &&
      (typeof rule.status !== 'number' ||
        !Number.isInteger(rule.status) ||
        rule.status < 400 ||
        rule.status > 599)
    ) {
      add(`${at}/status`, 'must be an integer 400..599');
    }
    if (hasAction && !(FAULT_ACTIONS as readonly unknown[]).includes(rule.action)) {
      add(`${at}/action`, `must be one of ${FAULT_ACTIONS.join(', ')}`);
    }
    if (rule.action === 'delay') {
      if (
        typeof rule.delayMs !== 'number' ||
        !Number.isInteger(rule.delayMs) ||
        rule.delayMs < 0 ||
        rule.delayMs > MAX_DELAY_MS
      ) {
        add(`${at}/delayMs`, `is required for delay: an integer 0..${MAX_DELAY_MS}`);
      }
    } else if (rule.delayMs !== undefined) {
      add(`${at}/delayMs`, 'only applies to action "delay"');
    }
    if (
      rule.times !== undefined &&
      (typeof rule.times !== 'number' || !Number.isInteger(rule.times) || rule.times < 1)
    ) {
      add(`${at}/times`, 'must be an integer >= 1');
    }
    if (
      rule.probability !== undefined &&
      (typeof rule.probability !== 'number' || !(rule.probability >= 0 && rule.probability <= 1))
    ) {
      add(`${at}/probability`, 'must be a number 0..1');
    }
    if (rule.retryAfter !== undefined) {
      if (!hasStatus) add(`${at}/retryAfter`, 'only applies to a status fault');
      const ok =
        (typeof rule.retryAfter === 'number' &&
          Number.isInteger(rule.retryAfter) &&
          rule.retryAfter >= 0) ||
        (typeof rule.retryAfter === 'string' && /^[\x20-\x7e]{1,64}$/.test(rule.retryAfter));
      if (!ok)
        add(`${at}/retryAfter`, 'must be whole seconds (integer >= 0) or an HTTP-date string');
    }
    rules.push({ ...rule });
  });
  if (errors.length > 0) return { ok: false, errors };
  const spec: FaultSpec = { rules };
  if (typeof input.seed === 'number') spec.seed = input.seed;
  return { ok: true, spec };
}

/** The installed fault rules and their PRNG. */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private seed = 0;
  private random: () => number = mulberry32(0);

  /** Replace all rules (spec already validated by {@link parseFaultSpec}). */
  set(spec: FaultSpec): void {
    this.seed = spec.seed ?? 0;
    this.random = mulberry32(this.seed);
    this.rules = spec.rules.map((rule) => ({
      spec: { ...rule },
      path: rule.path === undefined ? undefined : new RegExp(rule.path),
      method: rule.method?.toUpperCase(),
      fired: 0,
    }));
  }

  /** Remove every rule. */
  clear(): void {
    this.set({ rules: [] });
  }

  /** The installed rules with how often each fired. */
  describe(): { seed: number; rules: (FaultRuleSpec & { fired: number })[] } {
    return { seed: this.seed, rules: this.rules.map((r) => ({ ...r.spec, fired: r.fired })) };
  }

  /** The fault for this request, if any rule fires. */
  evaluate(method: string, path: string): FaultOutcome | undefined {
    for (const [index, rule] of this.rules.entries()) {
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.path !== undefined && !rule.path.test(path)) continue;
      const { times, probability } = rule.spec;
      if (times !== undefined && rule.fired >= times) continue;
      if (probability !== undefined && !(this.random() < probability)) continue;
      rule.fired += 1;
      return outcomeOf(rule.spec, index);
    }
    return undefined;
  }
}

function outcomeOf(spec: FaultRuleSpec, rule: number): FaultOutcome {
  if (spec.status !== undefined) {
    const outcome: FaultOutcome = { kind: 'status', status: spec.status, rule };
    if (spec.retryAfter !== undefined) outcome.retryAfter = String(spec.retryAfter);
    return outcome;
  }
  if (spec.action === 'delay') return { kind: 'delay', delayMs: spec.delayMs ?? 0, rule };
  if (spec.action === 'drop') return { kind: 'drop', rule };
  return { kind: 'commit-then-drop', rule };
}
