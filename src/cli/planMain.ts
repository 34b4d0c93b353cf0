/**
 * The implementation of `cxctl plan` (see plan.ts for its options), loaded when the command runs.
 */
import { resolve } from 'node:path';
import { maskUrlCredentials } from '../config/url.js';
import { CxctlError } from '../errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { unsafeDeletes } from '../plan/safety.js';
import type { Plan } from '../plan/types.js';
import {
  renderDiagnosticsJson,
  renderDiagnosticsMarkdown,
  renderDiagnosticsText,
  renderPlanStopText,
} from '../render/diagnostics.js';
import { planJsonText, renderPlanJson } from '../render/planJson.js';
import { renderPlanMarkdown } from '../render/planMarkdown.js';
import { renderPlanText } from '../render/planText.js';
import { KIND_LABELS } from '../render/values.js';
import type { CliContext } from './context.js';
import { planOptions, type PlanFormat } from './planOptions.js';
import { runPlanPipeline, type PlanRunArgs } from './planRun.js';

/** Parsed arguments of `cxctl plan`. */
export interface PlanArgs extends PlanRunArgs {
  format: string;
  out?: string;
  'detailed-exitcode': boolean;
  prune?: string;
  'max-delete-percent': number;
}

/** Run `cxctl plan`; returns the exit code. */
export async function planMain(args: PlanArgs, context: CliContext): Promise<number> {
  const { prune, maxDeletePercent } = planOptions(args);
  const format = args.format as PlanFormat;
  const outcome = await runPlanPipeline(args, context, { prune, webhooks: false });
  if (outcome.status === 'invalid') {
    renderFailure(format, 'cxctl plan failed', outcome.diagnostics, context);
    return 1;
  }
  const { plan, warnings } = outcome;
  if (warnings.length > 0) renderDiagnosticsText(warnings, context.stderr, context.color);
  renderPlan(format, plan, context);
  const unsafe = unsafeDeletes(plan, maxDeletePercent);
  if (unsafe.length > 0) {
    const parts = unsafe.map(
      (u) =>
        `${u.deletes} of ${u.managed} ${KIND_LABELS[u.kind].plural.toLowerCase()} (${formatPercent(u.percent)})`,
    );
    const needed = Math.ceil(Math.max(...unsafe.map((u) => u.percent)));
    throw new CxctlError(
      'PRUNE_UNSAFE',
      `refusing this plan: it would remove ${parts.join(' and ')}, over the ${maxDeletePercent}% limit for pruning`,
      {
        hint: `check the manifests are complete; to allow it, plan again with --max-delete-percent ${needed}`,
      },
    );
  }
  if (args.out !== undefined) {
    writeFileAtomic(resolve(context.cwd, args.out), planJsonText(plan), 'the plan file');
    // JSON and markdown on stdout are read by machines: the note goes beside them, on stderr.
    const sink = format === 'text' ? context.stdout : context.stderr;
    sink.write(savedPlanNote(args.out, applyArgsFor(args)));
  }
  if (!args['detailed-exitcode']) return 0;
  return plan.changes.length > 0 ? 2 : 0;
}

/** Render a plan in the chosen format on stdout. */
export function renderPlan(format: PlanFormat, plan: Plan, context: CliContext): void {
  if (format === 'json') renderPlanJson(plan, context.stdout);
  else if (format === 'markdown') renderPlanMarkdown(plan, context.stdout);
  else renderPlanText(plan, context.stdout, { color: context.color });
}

/** Problems that stopped the run, in the chosen format on stdout. */
export function renderFailure(
  format: PlanFormat,
  title: string,
  diagnostics: Parameters<typeof renderDiagnosticsText>[0],
  context: CliContext,
): void {
  if (format === 'json') renderDiagnosticsJson(diagnostics, context.stdout);
  else if (format === 'markdown') renderDiagnosticsMarkdown(title, diagnostics, context.stdout);
  else renderPlanStopText(diagnostics, context.stdout, context.color);
}

/**
 * The arguments that make `apply --plan` read what this plan read: the manifest paths and the
 * options that choose the target, as given. Without them the printed command would plan other
 * manifests or another target and be refused.
 */
export function applyArgsFor(args: PlanRunArgs): string[] {
  const words = (args.paths ?? []).map(String);
  if (args.config !== undefined) words.push('--config', args.config);
  if (args.profile !== undefined) words.push('--profile', args.profile);
  // A password in a target URL is a secret: the command shows the URL with it masked.
  if (args.target !== undefined) words.push('--target', maskUrlCredentials(args.target));
  return words;
}

/**
 * Where the plan went and the command that applies exactly it, with the path and `applyArgs` as
 * the user gave them (each quoted for a POSIX shell when it holds anything but plain path
 * characters).
 */
export function savedPlanNote(path: string, applyArgs: readonly string[] = []): string {
  const shown = shellWord(path);
  const command = ['cxctl apply --plan', shown, ...applyArgs.map(shellWord)].join(' ');
  return `Saved the plan to ${shown}. Apply exactly these changes with: ${command}\n`;
}

function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function formatPercent(percent: number): string {
  return `${percent >= 10 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}
