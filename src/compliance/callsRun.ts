/**
 * Evaluates every attempt of a calls file (./callsFile.ts) against the rule it names, and formats
 * the verdicts as CSV or JSON Lines with a summary by reason. Pure: the caller reads and writes.
 */
import { csvRecord } from '../crm/csv.js';
import { evaluateCall, validateCall } from './evaluate.js';
import type { CallRow } from './callsFile.js';
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

/** The rule a row names, or why it names none that exists. */
type RuleLookup = { ok: true; rule: RuleUnderTest } | { ok: false; message: string };

/**
 * Judges the rows of one calls file, one at a time, keeping only the summary counts. A run reads
 * the file twice: {@link check} every row first (nothing is written while any row is bad), then
 * {@link judge} every row and write its verdict at once.
 */
export class CallsRun {
  /** Counts over the rows judged so far. */
  readonly summary: CallsSummary = {
    total: 0,
    allowed: 0,
    blocked: 0,
    byReason: Object.fromEntries(REASON_PRECEDENCE.map((reason) => [reason, 0])) as Record<
      BlockReason,
      number
    >,
  };
  private readonly index: RuleIndex<RuleUnderTest>;
  // Rows of one export usually name one rule: find each distinct (campaign, rule) text once.
  private readonly found = new Map<string | undefined, Map<string, RuleLookup>>();

  constructor(
    rules: readonly RuleUnderTest[],
    private readonly choice: RuleChoice,
  ) {
    this.index = new RuleIndex(rules);
  }

  /** The rule a row names, or why it names none that exists. */
  private ruleOf(row: CallRow): RuleLookup {
    const text = row.rule ?? this.choice.fallback;
    if (text === undefined) {
      return {
        ok: false,
        message: 'the row names no rule; add a rule column or pass --rule "Campaign/Rule"',
      };
    }
    let byText = this.found.get(row.campaign);
    if (byText === undefined) {
      byText = new Map();
      this.found.set(row.campaign, byText);
    }
    let lookup = byText.get(text);
    if (lookup === undefined) {
      lookup = this.lookUp(text, row.campaign);
      byText.set(text, lookup);
    }
    return lookup;
  }

  private lookUp(text: string, campaign: string | undefined): RuleLookup {
    const reference = resolveRuleText(text, campaign, this.index, this.choice.defaultCampaign);
    const rule = this.index.find(reference);
    if (rule !== undefined) return { ok: true, rule };
    const hint = this.index.suggest(reference);
    return {
      ok: false,
      message: `${missingRuleMessage(reference)}${hint === undefined ? '' : `; ${hint}`}`,
    };
  }

  /** Why the row cannot be judged (no rule, an unknown rule, an invalid call), or undefined. */
  check(row: CallRow): string | undefined {
    const found = this.ruleOf(row);
    if (!found.ok) return found.message;
    const validated = validateCall(row.call);
    if (validated.ok) return undefined;
    return `the call is invalid: ${validated.problems.map((problem) => problem.message).join('; ')}`;
  }

  /** The verdict of a row, counted in the summary; the problem instead for a row {@link check} refuses. */
  judge(row: CallRow): CallVerdict | string {
    const found = this.ruleOf(row);
    if (!found.ok) return found.message;
    const { rule } = found;
    const evaluation: Evaluation = evaluateCall(rule, row.call);
    if (evaluation.verdict === 'invalid') return `the call is invalid: ${evaluation.detail}`;
    const verdict: CallVerdict = {
      line: row.line,
      phone: row.call.phone ?? '',
      at: row.call.at,
      rule: { campaign: rule.campaign, name: rule.name },
      verdict: evaluation.verdict,
      blockedBy: evaluation.verdict === 'blocked' ? evaluation.blockedBy : [],
      detail: evaluation.detail,
    };
    const summary = this.summary;
    summary.total++;
    if (evaluation.verdict === 'blocked') {
      verdict.reason = evaluation.reason;
      summary.blocked++;
      summary.byReason[evaluation.reason]++;
    } else {
      summary.allowed++;
    }
    return verdict;
  }
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

/** The CSV header line of the verdicts. */
export const VERDICTS_CSV_HEADER = csvRecord(VERDICT_COLUMNS);

/** One verdict as an RFC 4180 CSV record (`blockedBy` joined with `;`). */
export function verdictCsv(verdict: CallVerdict): string {
  return csvRecord([
    String(verdict.line),
    verdict.phone,
    verdict.at,
    verdict.rule.campaign,
    verdict.rule.name,
    verdict.verdict,
    verdict.reason ?? '',
    verdict.blockedBy.join(';'),
    verdict.detail,
  ]);
}

/** One verdict as a JSON Lines line. */
export function verdictJsonLine(verdict: CallVerdict): string {
  return `${JSON.stringify(verdict)}\n`;
}

/** `3 calls: 1 allowed, 2 blocked (time-window 1, holiday 1)`. */
export function summaryLine(summary: CallsSummary): string {
  const reasons = REASON_PRECEDENCE.filter((reason) => summary.byReason[reason] > 0)
    .map((reason) => `${reason} ${summary.byReason[reason]}`)
    .join(', ');
  const noun = summary.total === 1 ? 'call' : 'calls';
  return `${summary.total} ${noun}: ${summary.allowed} allowed, ${summary.blocked} blocked${reasons === '' ? '' : ` (${reasons})`}`;
}
