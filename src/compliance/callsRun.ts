/**
 * Evaluates every attempt of a calls file (./callsFile.ts) against the rule it names, and writes
 * the verdicts as CSV or JSON Lines with a summary by reason. Pure: the caller reads and writes.
 */
import { csvRecord } from '../crm/csv.js';
import { evaluateCall } from './evaluate.js';
import type { CallRow, CallsFileProblem } from './callsFile.js';
import {
  missingRuleMessage,
  RuleIndex,
  type RuleReference,
  type RuleUnderTest,
} from './runTests.js';
import { REASON_PRECEDENCE, type BlockReason, type Evaluation } from './types.js';

/** The verdict of one row. */
export interface CallVerdict {
  line: number;
  phone: string;
  at: string;
  rule: RuleReference;
  verdict: 'allowed' | 'blocked';
  reason?: BlockReason;
  blockedBy: BlockReason[];
  detail: string;
}

/** Counts over all rows. */
export interface CallsSummary {
  total: number;
  allowed: number;
  blocked: number;
  /** Blocked rows by deciding reason, in precedence order. */
  byReason: Record<BlockReason, number>;
}

/** Verdicts of every row, or the rows that could not be judged. */
export type CallsRunResult =
  | { ok: true; verdicts: CallVerdict[]; summary: CallsSummary }
  | { ok: false; problems: CallsFileProblem[]; total: number };

/** How rows name their rule: a `--rule` fallback, and the default campaign. */
export interface RuleChoice {
  /** `Campaign/Rule` or `Rule`, for rows that name none. */
  fallback?: string;
  defaultCampaign?: string;
}

/**
 * The rule a row means. `campaign` and `rule` columns are taken as written; a `rule` of the form
 * `Campaign/Rule` is split at the first `/` that names a declared rule (campaign names may hold a
 * `/` too); a bare name takes the default campaign.
 */
export function resolveRuleText(
  text: string,
  campaign: string | undefined,
  index: RuleIndex<RuleUnderTest>,
  defaultCampaign: string | undefined,
): RuleReference {
  if (campaign !== undefined) return { campaign, name: text };
  for (let slash = text.indexOf('/'); slash > 0; slash = text.indexOf('/', slash + 1)) {
    const reference = { campaign: text.slice(0, slash), name: text.slice(slash + 1) };
    if (index.find(reference) !== undefined) return reference;
  }
  const slash = text.indexOf('/');
  if (defaultCampaign === undefined && slash > 0) {
    return { campaign: text.slice(0, slash), name: text.slice(slash + 1) };
  }
  return { campaign: defaultCampaign ?? '', name: text };
}

const MAX_PROBLEMS = 50;

/** Judge every row; any row naming no rule, an unknown rule or an invalid call fails the run. */
export function runCalls(
  rows: readonly CallRow[],
  rules: readonly RuleUnderTest[],
  choice: RuleChoice,
): CallsRunResult {
  const index = new RuleIndex(rules);
  const problems: CallsFileProblem[] = [];
  let total = 0;
  const problem = (line: number, message: string) => {
    total++;
    if (problems.length < MAX_PROBLEMS) problems.push({ line, message });
  };
  const verdicts: CallVerdict[] = [];
  const summary: CallsSummary = {
    total: rows.length,
    allowed: 0,
    blocked: 0,
    byReason: Object.fromEntries(REASON_PRECEDENCE.map((reason) => [reason, 0])) as Record<
      BlockReason,
      number
    >,
  };
  // Rows of one export usually name one rule: resolve each distinct text once.
  const resolved = new Map<string, RuleReference>();
  for (const row of rows) {
    const text = row.rule ?? choice.fallback;
    if (text === undefined) {
      problem(row.line, 'the row names no rule; add a rule column or pass --rule "Campaign/Rule"');
      continue;
    }
    const key = JSON.stringify([row.campaign ?? null, text]);
    let reference = resolved.get(key);
    if (reference === undefined) {
      reference = resolveRuleText(text, row.campaign, index, choice.defaultCampaign);
      resolved.set(key, reference);
    }
    const rule = index.find(reference);
    if (rule === undefined) {
      const hint = index.suggest(reference);
      problem(row.line, `${missingRuleMessage(reference)}${hint === undefined ? '' : `; ${hint}`}`);
      continue;
    }
    const evaluation: Evaluation = evaluateCall(rule, row.call);
    if (evaluation.verdict === 'invalid') {
      problem(row.line, `the call is invalid: ${evaluation.detail}`);
      continue;
    }
    const verdict: CallVerdict = {
      line: row.line,
      phone: row.call.phone ?? '',
      at: row.call.at,
      rule: { campaign: rule.campaign, name: rule.name },
      verdict: evaluation.verdict,
      blockedBy: evaluation.verdict === 'blocked' ? evaluation.blockedBy : [],
      detail: evaluation.detail,
    };
    if (evaluation.verdict === 'blocked') {
      verdict.reason = evaluation.reason;
      summary.blocked++;
      summary.byReason[evaluation.reason]++;
    } else {
      summary.allowed++;
    }
    verdicts.push(verdict);
  }
  if (total > 0) return { ok: false, problems, total };
  return { ok: true, verdicts, summary };
}

/** The CSV header of the verdicts. */
export const VERDICT_COLUMNS = [
  'line',
  'phone',
  'at',
  'campaign',
  'rule',
  'verdict',
  'reason',
  'blockedBy',
  'detail',
] as const;

/** Verdicts as RFC 4180 CSV (header first; `blockedBy` joined with `;`), in chunks. */
export function* verdictsCsv(verdicts: readonly CallVerdict[]): Generator<string> {
  yield csvRecord(VERDICT_COLUMNS);
  let chunk = '';
  for (const [position, verdict] of verdicts.entries()) {
    chunk += `${csvRecord([
      String(verdict.line),
      verdict.phone,
      verdict.at,
      verdict.rule.campaign,
      verdict.rule.name,
      verdict.verdict,
      verdict.reason ?? '',
      verdict.blockedBy.join(';'),
      verdict.detail,
    ])}`;
    if (position % 1000 === 999) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** Verdicts as JSON Lines, one object per row, in chunks for the writer. */
export function* verdictsJsonLines(verdicts: readonly CallVerdict[]): Generator<string> {
  let chunk = '';
  for (const [position, verdict] of verdicts.entries()) {
    chunk += `${JSON.stringify(verdict)}\n`;
    if (position % 1000 === 999) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** `3 calls: 1 allowed, 2 blocked (time-window 1, holiday 1)`. */
export function summaryLine(summary: CallsSummary): string {
  const reasons = REASON_PRECEDENCE.filter((reason) => summary.byReason[reason] > 0)
    .map((reason) => `${reason} ${summary.byReason[reason]}`)
    .join(', ');
  const noun = summary.total === 1 ? 'call' : 'calls';
  return `${summary.total} ${noun}: ${summary.allowed} allowed, ${summary.blocked} blocked${reasons === '' ? '' : ` (${reasons})`}`;
}
