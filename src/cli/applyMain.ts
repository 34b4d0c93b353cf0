/**
 * The implementation of `cxctl apply` (see apply.ts for its options), loaded when the command
 * runs: plan (or read a saved plan and check it against the manifests and the live state), show,
 * confirm, execute, notify, report. The steps live in src/apply/ and src/notify/.
 */
import { resolve } from 'node:path';
import { changeId, executePlan, type ResumePoint } from '../apply/executor.js';
import { applyMessages } from '../apply/notifications.js';
import { ApplyProgress } from '../apply/progress.js';
import { buildApplyReport } from '../apply/report.js';
import { readSavedPlan } from '../apply/savedPlan.js';
import { checkPlanAgainstLive } from '../apply/staleness.js';
import { matchSavedChanges } from '../apply/planMatch.js';
import { describeObject, type ChangeResult } from '../apply/results.js';
import { createClient, limitOptions, type CxoneClient } from '../cxone/client.js';
import { CxctlError } from '../errors.js';
import { AuditLog } from '../notify/audit.js';
import { MetricsCollector, writeMetricsFile } from '../notify/metrics.js';
import { publishEvents } from '../notify/publish.js';
import { assertWebhooksDelivered, type DeliveryResult } from '../notify/webhooks.js';
import { planDigest } from '../plan/assemble.js';
import { DEFAULT_MAX_DELETE_PERCENT, unsafeDeletes } from '../plan/safety.js';
import { KIND_NAMES, type Plan, type PruneMode } from '../plan/types.js';
import { renderApplyJson } from '../render/applyJson.js';
import { renderApplyText } from '../render/applyText.js';
import {
  renderDiagnosticsJson,
  renderDiagnosticsText,
  renderPlanStopText,
} from '../render/diagnostics.js';
import { renderPlanText } from '../render/planText.js';
import { redact } from '../secrets.js';
import { pruneMode } from './planOptions.js';
import type { ApplyArgs } from './applyOptions.js';
import type { Target } from '../config/types.js';
import { confirm } from './confirm.js';
import type { CliContext, CliStream, GlobalArgs } from './context.js';
import { planForApply, type ManifestSummary } from './applyPlanning.js';
import { openTargetFromArgs } from './targetOptions.js';

/** A plan ready to execute, with what is known about where its changes stand. */
interface PreparedPlan {
  plan: Plan;
  resume?: ReadonlyMap<string, ResumePoint>;
  manifests: ManifestSummary;
}

/** Run `cxctl apply`. */
export async function applyMain(
  args: ApplyArgs & GlobalArgs,
  context: CliContext,
): Promise<number> {
  const prune = pruneMode(args.prune);
  checkArguments(args, prune);
  // The audit trail must exist before the first write: a bad path stops here, nothing sent.
  const audit = args.auditLog
    ? await AuditLog.open(resolve(context.cwd, args.auditLog))
    : undefined;
  try {
    const target = await openTargetFromArgs(args, context);
    try {
      const client = createClient(target, {
        ...limitOptions(target.limits),
        logger: context.logger,
      });
      try {
        return await applyWith(args, context, { target, client, audit, prune });
      } finally {
        await client.close();
      }
    } finally {
      await target.close();
    }
  } finally {
    await audit?.close();
  }
}

interface Session {
  target: Target;
  client: CxoneClient;
  audit: AuditLog | undefined;
  prune: PruneMode;
}

async function applyWith(
  args: ApplyArgs & GlobalArgs,
  context: CliContext,
  session: Session,
): Promise<number> {
  const { target } = session;
  const json = args.format === 'json';
  const out = redacting(context.stdout);
  const metrics = new MetricsCollector({ kinds: KIND_NAMES });

  const prepared = args.plan
    ? await prepareSavedPlan(args, context, session)
    : await prepareFreshPlan(args, context, session);
  if (!prepared) return 1;
  const { plan } = prepared;
  for (const [kind, stats] of Object.entries(prepared.manifests.validation)) {
    metrics.recordValidation(kind, stats.objects, stats.violations);
  }
  // The plan is shown first, so a refusal below can be read against it.
  if (!json && plan.changes.length > 0) renderPlanText(plan, out, { color: context.color });
  checkDigest(args, plan);
  checkDeleteThreshold(args, plan);

  if (plan.changes.length === 0) {
    const report = buildApplyReport({
      target: target.label,
      planDigest: plan.digest,
      results: [],
      latencyMs: 0,
      webhooks: [],
      metrics: metrics.snapshot(),
    });
    if (json) renderApplyJson(report, out);
    else renderApplyText(report, out, { color: context.color });
    await writeMetrics(args, context, metrics, target, true);
    return 0;
  }

  // Ask (or require --auto-approve). A saved plan found already applied in full writes nothing,
  // so it needs no approval.
  const toWrite = plan.changes.filter(
    (change) => prepared.resume?.get(changeId(change))?.state !== 'done',
  ).length;
  if (toWrite === 0) {
    if (!json) out.write('\nEvery change of this plan is already applied; nothing to write.\n');
  } else if (!args.autoApprove) {
    if (!context.interactive || !context.stdin) {
      throw new CxctlError(
        'APPLY_NOT_APPROVED',
        'cxctl apply is not running in a terminal, so it cannot ask for confirmation; nothing was written.',
        {
          hint: 'review the plan (cxctl plan) and pass --auto-approve, ideally with --expect-plan-digest',
        },
      );
    }
    if (json) renderPlanText(plan, redacting(context.stderr), { color: context.color });
    const approved = await confirm(context.stdin, json ? context.stderr : context.stdout);
    if (!approved) {
      throw new CxctlError('APPLY_CANCELLED', 'Apply cancelled; nothing was written.', {
        hint: "only the answer 'yes' approves",
      });
    }
  }

  if (!json) out.write('\n');
  const progress = new ApplyProgress({
    ...(json ? {} : { lines: out }),
    bar: context.stderr,
    total: plan.changes.length,
    paint: (result, line) => paintResult(context, result, line),
  });
  // From here on, Ctrl-C lets the writes in flight finish and reports (exit 130).
  const interrupts = watchInterrupts(context.stderr);
  try {
    return await executeAndReport(args, context, session, prepared, {
      metrics,
      progress,
      out,
      interrupts,
    });
  } finally {
    interrupts.dispose();
  }
}

/** Execute the plan, notify, report; exit 130 when interrupted, else 0 or 1. */
async function executeAndReport(
  args: ApplyArgs & GlobalArgs,
  context: CliContext,
  session: Session,
  prepared: PreparedPlan,
  run: {
    metrics: MetricsCollector;
    progress: ApplyProgress;
    out: CliStream;
    interrupts: Interrupts;
  },
): Promise<number> {
  const { target, client, audit } = session;
  const { plan } = prepared;
  const { metrics, progress, out } = run;
  const json = args.format === 'json';
  const execution = await executePlan({
    client,
    plan,
    stop: run.interrupts.signal,
    maxInFlight: target.limits.concurrency,
    ...(prepared.resume ? { resume: prepared.resume } : {}),
    onResult: progress.onResult,
    onWrite: async (record) => {
      metrics.recordOperation({
        kind: record.kind,
        outcome: record.outcome,
        latencyMs: record.latencyMs,
        queuedMs: record.queuedMs,
        retries: Math.max(0, record.attempts - 1),
        rateLimited: record.rateLimited,
      });
      await audit?.write({
        kind: record.kind,
        key: record.key,
        action: record.action,
        idempotencyKey: record.idempotencyKey,
        status: record.status,
        attempts: record.attempts,
        latencyMs: record.latencyMs,
        queuedMs: record.queuedMs,
        requestBytes: record.requestBytes,
        planDigest: plan.digest,
        target: target.label,
        outcome: record.outcome,
        ...(record.error ? { error: record.error } : {}),
        ...(record.note !== undefined ? { note: record.note } : {}),
      });
    },
  });
  progress.finish();

  // Notifications come after every write, and never fail or undo the apply by themselves.
  const webhooks = await deliverWebhooks(args, context, session, plan, execution.results, {
    latencyMs: execution.latencyMs,
    metrics,
  });

  const report = buildApplyReport({
    target: target.label,
    planDigest: plan.digest,
    results: execution.results,
    latencyMs: execution.latencyMs,
    ...(execution.stoppedBy !== undefined ? { stoppedBy: execution.stoppedBy } : {}),
    ...(execution.interrupted === true ? { interrupted: true } : {}),
    webhooks,
    metrics: metrics.snapshot(),
  });
  if (json) renderApplyJson(report, out);
  else renderApplyText(report, out, { color: context.color, metricsLine: metrics.summaryLine() });
  await writeMetrics(args, context, metrics, target, report.status === 'applied');
  if (report.status === 'interrupted') return INTERRUPTED_EXIT_CODE;
  if (args.strictWebhooks) assertWebhooksDelivered(webhooks);
  return report.status === 'applied' ? 0 : 1;
}

/** The exit code of a run stopped by Ctrl-C, as shells report a process ended by SIGINT. */
const INTERRUPTED_EXIT_CODE = 130;

/** Ctrl-C while applying: a signal that stops the writes gently, and the handlers to remove. */
interface Interrupts {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * SIGINT (Ctrl-C) and SIGTERM during the writes. The first stops the run gently: the writes in
 * flight finish, no new one starts, the report says what was done and what not, exit 130. The
 * second exits at once (130), for an operator who cannot wait for a slow write.
 */
function watchInterrupts(stderr: CliStream): Interrupts {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      stderr.write(
        `\n${name} again: exiting now. Writes in flight may or may not have been applied; re-running is safe.\n`,
      );
      process.exit(INTERRUPTED_EXIT_CODE);
    }
    controller.abort();
    stderr.write(
      `\n${name}: finishing the writes in flight; no new write starts. Press Ctrl-C again to exit at once.\n`,
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Plan from the manifests and the live state (the same path as `cxctl plan`). Manifest and
 * plan-time problems are printed as diagnostics and end the command (exit 1, nothing written).
 */
async function prepareFreshPlan(
  args: ApplyArgs & GlobalArgs,
  context: CliContext,
  session: Session,
): Promise<PreparedPlan | undefined> {
  const outcome = await planForApply({
    args,
    context,
    target: session.target,
    client: session.client,
    prune: session.prune,
  });
  if (outcome.status === 'invalid') {
    if (args.format === 'json') renderDiagnosticsJson(outcome.diagnostics, context.stdout);
    else renderPlanStopText(outcome.diagnostics, context.stdout, context.color);
    return undefined;
  }
  if (outcome.warnings.length > 0) {
    renderDiagnosticsText(outcome.warnings, context.stderr, context.color);
  }
  return { plan: outcome.plan, manifests: outcome.manifests };
}

/**
 * Read a saved plan and refuse it (nothing written) unless planning again, with its prune setting,
 * from the manifests as they are now and the live state gives exactly its changes: made against
 * this target, from manifests with its manifest digest, every object it touches still as it was
 * read, already as the plan leaves it, or half-way through a default move this plan started.
 * What is then executed is the re-derived plan.
 */
async function prepareSavedPlan(
  args: ApplyArgs & GlobalArgs,
  context: CliContext,
  session: Session,
): Promise<PreparedPlan | undefined> {
  const file = args.plan!;
  const saved = readSavedPlan(file, context.cwd);
  if (saved.target.label !== session.target.label) {
    throw new CxctlError(
      'PLAN_TARGET_MISMATCH',
      `The plan ${file} was made for target ${saved.target.label}, not ${session.target.label}; nothing was written.`,
      { hint: 'apply it with the target it was made for, or plan again for this target' },
    );
  }
  const fresh = await prepareFreshPlan(args, context, { ...session, prune: saved.prune });
  if (!fresh) return undefined;
  if (fresh.manifests.digest !== saved.manifestDigest) {
    throw new CxctlError(
      'PLAN_MANIFESTS_CHANGED',
      `The manifests changed since the plan ${file} was made (manifest digest ${fresh.manifests.digest}, the plan has ${saved.manifestDigest}); nothing was written.`,
      { hint: 'run cxctl plan --out again and review the new plan' },
    );
  }
  const check = await checkPlanAgainstLive(session.client, saved);
  if (check.stale.length > 0) {
    const shown = check.stale.slice(0, 5).map((s) => s.reason);
    const more = check.stale.length > 5 ? `; and ${check.stale.length - 5} more` : '';
    throw new CxctlError(
      'PLAN_STALE',
      `The plan ${file} is stale: ${shown.join('; ')}${more}. Nothing was written.`,
      { hint: 'run cxctl plan --out again and review the new difference' },
    );
  }
  const match = matchSavedChanges(saved.changes, fresh.plan.changes, check.resume);
  if (match.status === 'different') {
    throw new CxctlError(
      'PLAN_MISMATCH',
      `The plan ${file} is not what planning gives now: ${match.difference.reason}. Nothing was written.`,
      { hint: 'run cxctl plan --out again and review the new plan' },
    );
  }
  return {
    // The digest leaves `source` out, so it is the saved one: the idempotency keys of a re-run stay.
    plan: {
      ...fresh.plan,
      digest: planDigest(fresh.plan.target, match.changes),
      changes: match.changes,
    },
    resume: check.resume,
    manifests: fresh.manifests,
  };
}

function checkDigest(args: ApplyArgs, plan: Plan): void {
  const expected = args.expectPlanDigest?.trim().toLowerCase();
  if (expected === undefined || expected === plan.digest) return;
  throw new CxctlError(
    'PLAN_DIGEST_MISMATCH',
    `The plan digest is ${plan.digest}, but --expect-plan-digest is ${expected}; nothing was written.`,
    {
      hint: 'the live state or the manifests changed since the reviewed plan; review the new plan (cxctl plan)',
    },
  );
}

function checkDeleteThreshold(args: ApplyArgs, plan: Plan): void {
  const maxPercent = args.maxDeletePercent ?? DEFAULT_MAX_DELETE_PERCENT;
  const unsafe = unsafeDeletes(plan, maxPercent);
  if (unsafe.length === 0) return;
  const parts = unsafe.map(
    (u) =>
      `${u.deletes} of ${u.managed} ${describeObject(u.kind, '').trim()}s (${u.percent.toFixed(1)}%)`,
  );
  throw new CxctlError(
    'PRUNE_UNSAFE',
    `The plan would remove ${parts.join(' and ')}, more than the ${maxPercent}% allowed; nothing was written.`,
    { hint: 'check the manifests and scope; raise --max-delete-percent if this is intended' },
  );
}

async function deliverWebhooks(
  args: ApplyArgs,
  context: CliContext,
  session: Session,
  plan: Plan,
  results: ChangeResult[],
  run: { latencyMs: number; metrics: MetricsCollector },
): Promise<DeliveryResult[]> {
  const endpoints = session.target.webhooks.map((w) => ({
    url: w.url,
    secret: w.secret,
    events: w.events,
  }));
  if (endpoints.length === 0) return [];
  const budgetMs = Math.max(1, Math.round((args.webhookTimeout ?? 30) * 1000));
  const messages = applyMessages(results, {
    target: session.target.label,
    planDigest: plan.digest,
    latencyMs: run.latencyMs,
  });
  const deliveries = await publishEvents(messages, endpoints, {
    totalTimeoutMs: budgetMs,
    attemptTimeoutMs: Math.min(5_000, budgetMs),
    ...(session.audit ? { audit: session.audit } : {}),
    metrics: run.metrics,
    context: { planDigest: plan.digest, target: session.target.label },
  });
  // The text report lists undelivered webhooks; with JSON on stdout, stderr says it too.
  for (const delivery of args.format === 'json' ? deliveries : []) {
    if (delivery.outcome !== 'delivered') {
      context.logger.warn(
        `webhook ${delivery.event} to ${delivery.endpoint} not delivered: ${delivery.error ?? delivery.outcome}`,
      );
    }
  }
  return deliveries;
}

async function writeMetrics(
  args: ApplyArgs,
  context: CliContext,
  metrics: MetricsCollector,
  target: Target,
  success: boolean,
): Promise<void> {
  if (args.metricsFile === undefined) return;
  await writeMetricsFile(
    resolve(context.cwd, args.metricsFile),
    metrics.toPrometheus({ labels: { command: 'apply', target: target.label }, success }),
  );
}

function checkArguments(args: ApplyArgs, prune: PruneMode): void {
  if (args.plan !== undefined && prune !== false) {
    throw new CxctlError(
      'CLI_USAGE',
      '--prune cannot be combined with --plan: a saved plan records its own prune setting.',
      { hint: 'plan with --prune and --out, then apply that plan' },
    );
  }
  if (
    args.expectPlanDigest !== undefined &&
    !/^[0-9a-f]{64}$/i.test(args.expectPlanDigest.trim())
  ) {
    throw new CxctlError(
      'CLI_USAGE',
      '--expect-plan-digest must be a sha256 digest (64 hexadecimal digits), as printed by cxctl plan.',
    );
  }
  const percent = args.maxDeletePercent;
  if (percent !== undefined && (!Number.isFinite(percent) || percent < 0 || percent > 100)) {
    throw new CxctlError('CLI_USAGE', '--max-delete-percent must be a number from 0 to 100.');
  }
  const timeout = args.webhookTimeout;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw new CxctlError('CLI_USAGE', '--webhook-timeout must be a positive number of seconds.');
  }
}

function paintResult(context: CliContext, result: ChangeResult, line: string): string {
  if (result.outcome === 'success') return context.color.green(line);
  if (result.outcome === 'skipped') return context.color.yellow(line);
  return context.color.red(line);
}

/** A stream whose every write passes through the redactor. */
function redacting(stream: CliStream): CliStream {
  return {
    write: (text: string) => stream.write(redact(text)),
    ...(stream.isTTY !== undefined ? { isTTY: stream.isTTY } : {}),
  };
}
