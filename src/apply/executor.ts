/**
 * The apply executor: walks the plan's execution stages (src/apply/order.ts), sends each write
 * with its idempotency key and `If-Match` version, settles unclear outcomes by re-reading, skips
 * writes whose preconditions failed, and reports one result per change and one record per write.
 *
 * It never throws for a failed write: every failure becomes a result, and the run goes on with
 * every write that does not depend on the failed one (docs/apply.md, "Failures").
 */
import type { CxoneClient } from '../cxone/client.js';
import { ConcurrencyLimiter, type Release } from '../cxone/concurrency.js';
import { CxoneApiError, NotFoundError, VersionMismatchError } from '../cxone/errors.js';
import type { RequestMeta } from '../cxone/errors.js';
import type { KindName, Plan, PlannedBody, PlannedChange } from '../plan/types.js';
import { cutBatches } from './batches.js';
import { blockingReason, type ProgressView } from './dependencies.js';
import { batchIdempotencyKey, changeIdempotencyKey } from './idempotency.js';
import { executionStages, type PlannedWrite, type StageName } from './order.js';
import { errorCodeOf, needsReconcile, reasonOf, stopsTheRun } from './reconcile.js';
import {
  failureMessage,
  skipMessage,
  writeActionOf,
  type ChangeResult,
  type SettledVia,
  type WriteRecord,
} from './results.js';
import { kindWriters, type KindWriter, type LiveObject } from './writes/index.js';

/**
 * Where a change stands before the run, as found by checking a saved plan against live state:
 * already applied (nothing to send), or half-way through a two-step default move (send only the
 * claim, against the version the release left).
 */
export type ResumePoint =
  { state: 'done'; live?: LiveObject } | { state: 'claim'; live: LiveObject };

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
  client: CxoneClient;
  plan: Pick<Plan, 'digest' | 'changes'>;
  /** Writers per kind (default: the registry). */
  writers?: Record<KindName, KindWriter>;
  /** Changes already (partly) applied, by {@link changeId}. */
  resume?: ReadonlyMap<string, ResumePoint>;
  /**
   * Called for every write and every skipped change, in completion order (audit log, metrics).
   * If it throws (the audit log cannot be written), no further write is started.
   */
  onWrite?: (record: WriteRecord) => Promise<void> | void;
  /** Called once per change when its outcome is final (progress display). */
  onResult?: (result: ChangeResult) => void;
  /** Cancels requests, in flight or not (the run's deadline). */
  signal?: AbortSignal;
  /**
   * Stops the run gently (Ctrl-C): writes already sent finish, with their re-reads and audit
   * records; no new write starts, and every change not started is skipped as
   * `not started: interrupted` (code `INTERRUPTED`).
   */
  stop?: AbortSignal;
  /**
   * Writes handed to the client at once (set it to the client's concurrency): a write waiting
   * here has not been sent, so a stop can still hold it back. Default: no limit of its own.
   */
  maxInFlight?: number;
}

/** What a run did. */
export interface ExecutionReport {
  /** One per planned change, in plan order. */
  results: ChangeResult[];
  /** One per write request and per skipped change, in completion order. */
  writes: WriteRecord[];
  /** Wall time of the run, ms. */
  latencyMs: number;
  /** Set when the run stopped early (authentication, deadline, audit log, interrupted): why. */
  stoppedBy?: string;
  /** True when {@link ExecuteOptions.stop} fired before every change was started. */
  interrupted?: boolean;
}

/** What a change skipped by {@link ExecuteOptions.stop} says. */
export const INTERRUPTED_REASON = 'not started: interrupted';

/** Identity of a change within a plan: kind and natural key. */
export function changeId(change: Pick<PlannedChange, 'kind' | 'key'>): string {
  return `${change.kind}\u0000${change.key}`;
}

interface ChangeState {
  version: number | undefined;
  id: string | undefined;
  stepsDone: Set<PlannedWrite['step']>;
  result: ChangeResult | undefined;
}

/** Apply the plan's changes. Never throws for a failed write (see {@link ExecutionReport}). */
export async function executePlan(options: ExecuteOptions): Promise<ExecutionReport> {
  return new Execution(options).run();
}

class Execution implements ProgressView {
  private readonly writers: Record<KindName, KindWriter>;
  private readonly states = new Map<PlannedChange, ChangeState>();
  private readonly writes: WriteRecord[] = [];
  private readonly rateLimited = new Map<string, number>();
  private stoppedBy: string | undefined;
  private interrupted = false;
  private readonly started = performance.now();
  private readonly gate: ConcurrencyLimiter | undefined;

  constructor(private readonly options: ExecuteOptions) {
    this.writers = options.writers ?? kindWriters;
    this.gate =
      options.maxInFlight !== undefined ? new ConcurrencyLimiter(options.maxInFlight) : undefined;
    for (const change of options.plan.changes) {
      this.states.set(change, {
        version: change.live?.version,
        id: change.live?.id,
        stepsDone: new Set(),
        result: undefined,
      });
    }
  }

  async run(): Promise<ExecutionReport> {
    const { client, plan } = this.options;
    const onStop = (): void => {
      if (this.stoppedBy !== undefined) return; // stopped already, for its own reason
      this.interrupted = true;
      this.stoppedBy = 'interrupted';
    };
    if (this.options.stop?.aborted) onStop();
    this.options.stop?.addEventListener('abort', onStop, { once: true });
    const unsubscribe = client.on((event) => {
      if (event.type === 'attempt' && event.status === 429 && event.idempotencyKey) {
        const key = event.idempotencyKey;
        this.rateLimited.set(key, (this.rateLimited.get(key) ?? 0) + 1);
      }
    });
    try {
      this.applyResumePoints();
      for (const stage of executionStages(plan)) await this.runStage(stage.name, stage.writes);
    } finally {
      unsubscribe();
      this.options.stop?.removeEventListener('abort', onStop);
    }
    const results = plan.changes.map((change) => this.states.get(change)!.result!);
    const interrupted = results.some((result) => result.error?.code === 'INTERRUPTED');
    return {
      results,
      writes: this.writes,
      latencyMs: Math.round((performance.now() - this.started) * 10) / 10,
      ...(this.stoppedBy !== undefined ? { stoppedBy: this.stoppedBy } : {}),
      ...(interrupted ? { interrupted } : {}),
    };
  }

  // ProgressView
  progress(change: PlannedChange): 'pending' | 'succeeded' | 'failed' {
    const result = this.states.get(change)?.result;
    if (!result) return 'pending';
    return result.outcome === 'success' ? 'succeeded' : 'failed';
  }

  releasedDefault(change: PlannedChange): boolean {
    const state = this.states.get(change);
    if (!state) return false;
    return (
      state.stepsDone.has('release') ||
      state.stepsDone.has('main') ||
      state.result?.outcome === 'success'
    );
  }

  private applyResumePoints(): void {
    const resume = this.options.resume;
    if (!resume) return;
    for (const change of this.options.plan.changes) {
      const point = resume.get(changeId(change));
      if (!point) continue;
      const state = this.states.get(change)!;
      if (point.state === 'done') {
        state.stepsDone.add('main');
        this.finish(change, 'already-applied', point.live?.id ?? state.id);
      } else {
        state.stepsDone.add('release');
        state.version = point.live.version;
        state.id = point.live.id;
      }
    }
  }

  private async runStage(stage: StageName, writes: readonly PlannedWrite[]): Promise<void> {
    const runnable: PlannedWrite[] = [];
    for (const write of writes) {
      const state = this.states.get(write.change)!;
      // Settled already (applied before this run, or an earlier step failed), or step done.
      if (state.result || state.stepsDone.has(write.step)) continue;
      if (this.stoppedBy !== undefined) {
        await this.skipStopped(write);
        continue;
      }
      const blocked = blockingReason(write, stage, this.options.plan.changes, this);
      if (blocked !== undefined) {
        await this.skip(write, 'DEPENDENCY_FAILED', blocked);
        continue;
      }
      runnable.push(write);
    }

    const tasks: Promise<void>[] = [];
    const createsByKind = new Map<KindName, PlannedWrite[]>();
    for (const write of runnable) {
      if (write.change.action === 'create') {
        const list = createsByKind.get(write.change.kind) ?? [];
        list.push(write);
        createsByKind.set(write.change.kind, list);
      } else {
        tasks.push(this.runSingle(write));
      }
    }
    for (const [kind, creates] of createsByKind) {
      for (const batch of cutBatches(creates, this.writers[kind].createBatchSize)) {
        tasks.push(this.runCreates(kind, batch));
      }
    }
    await Promise.all(tasks);
  }

  // ---- creates ------------------------------------------------------------------------------

  private async runCreates(kind: KindName, batch: readonly PlannedWrite[]): Promise<void> {
    const release = await this.admit();
    if (!release) {
      for (const write of batch) await this.skipStopped(write);
      return;
    }
    try {
      await this.sendCreates(kind, batch);
    } finally {
      release();
    }
  }

  private async sendCreates(kind: KindName, batch: readonly PlannedWrite[]): Promise<void> {
    const writer = this.writers[kind];
    const first = batch[0]!;
    const idempotencyKey =
      writer.createBatchSize > 1
        ? batchIdempotencyKey(
            this.options.plan.digest,
            kind,
            batch.map((write) => write.change.key),
          )
        : changeIdempotencyKey(this.options.plan.digest, first.change, first.step);
    const items = batch.map((write) => ({ change: write.change, body: bodyOf(write) }));
    const failures: { key: string; code: string; message: string }[] = [];
    let meta: RequestMeta;
    let reconciledAll = false;
    try {
      const response = await writer.create(this.options.client, items, {
        idempotencyKey,
        ...this.signal(),
      });
      meta = response.meta;
      const via: SettledVia = meta.replayed ? 'replayed' : 'written';
      await Promise.all(
        response.items.map(async (item, index) => {
          const write = batch[index]!;
          if (item.ok) {
            this.stepSucceeded(write, via, { id: item.id });
            return;
          }
          const reason = `${item.code}: ${item.message}`;
          if (item.exists) {
            const settled = await this.reconcileCreate(write, reason);
            if (settled) return;
          } else {
            this.fail(write, item.code, reason);
          }
          failures.push({ key: write.change.key, code: item.code, message: item.message });
        }),
      );
    } catch (error) {
      if (!(error instanceof CxoneApiError)) throw error;
      meta = error.meta;
      this.noteStop(error);
      const reason = reasonOf(error);
      const code = errorCodeOf(error);
      if (needsReconcile(error)) {
        const settled = await Promise.all(
          batch.map((write) => this.reconcileCreate(write, reason, code)),
        );
        reconciledAll = settled.every(Boolean);
        batch.forEach((write, index) => {
          if (!settled[index]) failures.push({ key: write.change.key, code, message: reason });
        });
      } else {
        for (const write of batch) {
          this.fail(write, code, reason);
          failures.push({ key: write.change.key, code, message: reason });
        }
      }
    }
    await this.record({
      kind,
      key: batch.map((write) => write.change.key).join(','),
      action: 'create',
      step: first.step,
      idempotencyKey,
      meta,
      outcome: failures.length === 0 ? 'success' : 'failed',
      ...(failures.length > 0 ? { error: batchError(failures, batch.length) } : {}),
      ...(reconciledAll
        ? { note: 'the outcome was unclear; a fresh read showed every object as planned' }
        : {}),
    });
  }

  /**
   * A create that was refused because the object exists, or whose outcome is unclear: read the
   * object by its natural key. As planned: success. Present but different: adopted with an update
   * when it is the object this create makes (see {@link KindWriter.adopts}), else failure. Absent:
   * the create did not happen, failure with the original reason.
   */
  private async reconcileCreate(
    write: PlannedWrite,
    reason: string,
    code?: string,
  ): Promise<boolean> {
    const live = await this.readQuietly(write.change);
    if (live.object && write.body && this.writerOf(write).matches(live.object, write.body)) {
      this.stepSucceeded(write, 'reconciled', { id: live.object.id, version: live.object.version });
      return true;
    }
    if (live.object && this.writerOf(write).adopts?.(live.object, write.change)) {
      return this.adoptCreated(write, live.object);
    }
    if (live.object) {
      this.fail(
        write,
        'EXISTS_DIFFERENT',
        `${reason}; ${this.writerOf(write).noun} ${write.change.key} exists with other values (created by someone else since the plan was made; run cxctl plan again)`,
      );
    } else {
      this.fail(
        write,
        code ?? 'CREATE_FAILED',
        `${reason}${live.readError ? ` (re-reading it failed too: ${live.readError})` : ''}`,
      );
    }
    return false;
  }

  /**
   * The object a create makes exists with other values (an earlier create of it committed, and
   * something changed it since, or another run made it from other manifests): update it to the
   * plan, `If-Match` the version just read, as its own write with its own idempotency key.
   */
  private async adoptCreated(write: PlannedWrite, live: LiveObject): Promise<boolean> {
    const change: PlannedChange = { ...write.change, live: { id: live.id, version: live.version } };
    const idempotencyKey = changeIdempotencyKey(this.options.plan.digest, write.change, 'adopt');
    let meta: RequestMeta;
    let failure: { code: string; message: string } | undefined;
    let outcome: WriteRecord['outcome'] = 'success';
    try {
      const response = await this.writerOf(write).update(
        this.options.client,
        change,
        bodyOf(write),
        live.version,
        { idempotencyKey, ...this.signal() },
      );
      meta = response.meta;
      this.stepSucceeded(write, 'reconciled', {
        id: response.live.id,
        version: response.live.version,
      });
    } catch (error) {
      if (!(error instanceof CxoneApiError)) throw error;
      meta = error.meta;
      this.noteStop(error);
      const conflict = error instanceof VersionMismatchError;
      failure = {
        code: errorCodeOf(error),
        message: conflict
          ? `it already exists with other values and changed again while cxctl adopted it; run cxctl plan again`
          : `it already exists with other values, and adopting it failed: ${reasonOf(error)}`,
      };
      outcome = conflict ? 'conflict' : 'failed';
      this.fail(write, failure.code, failure.message, outcome);
    }
    await this.record({
      kind: write.change.kind,
      key: write.change.key,
      action: 'update',
      step: 'adopt',
      idempotencyKey,
      meta,
      outcome,
      ...(failure === undefined
        ? { note: 'the create met the object it makes, with other values; updated to the plan' }
        : { error: failure }),
    });
    return failure === undefined;
  }

  // ---- updates, deactivations and deletes ---------------------------------------------------

  private async runSingle(write: PlannedWrite): Promise<void> {
    const release = await this.admit();
    if (!release) {
      await this.skipStopped(write);
      return;
    }
    try {
      await this.sendSingle(write);
    } finally {
      release();
    }
  }

  private async sendSingle(write: PlannedWrite): Promise<void> {
    const { change } = write;
    const writer = this.writerOf(write);
    const state = this.states.get(change)!;
    const version = state.version ?? change.live?.version ?? 0;
    const idempotencyKey = changeIdempotencyKey(this.options.plan.digest, change, write.step);
    const hardDelete = change.action === 'delete' && change.deleteMode !== 'deactivate';
    let meta: RequestMeta;
    let outcome: WriteRecord['outcome'] = 'success';
    let failure: { code: string; message: string } | undefined;
    let note: string | undefined;
    try {
      if (hardDelete) {
        meta = (
          await writer.delete(this.options.client, change, version, {
            idempotencyKey,
            ...this.signal(),
          })
        ).meta;
        this.stepSucceeded(write, meta.replayed ? 'replayed' : 'written', {});
      } else {
        const response = await writer.update(this.options.client, change, bodyOf(write), version, {
          idempotencyKey,
          ...this.signal(),
        });
        meta = response.meta;
        this.stepSucceeded(write, meta.replayed ? 'replayed' : 'written', {
          id: response.live.id,
          version: response.live.version,
        });
      }
    } catch (error) {
      if (!(error instanceof CxoneApiError)) throw error;
      meta = error.meta;
      this.noteStop(error);
      const reason = reasonOf(error);
      const code = errorCodeOf(error);
      const settled = await this.reconcileSingle(write, error, hardDelete);
      if (settled) {
        note = settled;
      } else {
        outcome = error instanceof VersionMismatchError ? 'conflict' : 'failed';
        failure = this.states.get(change)!.result?.error ?? { code, message: reason };
      }
    }
    await this.record({
      kind: change.kind,
      key: change.key,
      action: writeActionOf(change),
      step: write.step,
      idempotencyKey,
      meta,
      outcome,
      ...(failure ? { error: failure } : {}),
      ...(note !== undefined ? { note } : {}),
    });
  }

  /**
   * Settle a failed update or delete by reading the object. Returns a note when the object is as
   * the write wanted (success), else records the failure and returns undefined.
   */
  private async reconcileSingle(
    write: PlannedWrite,
    error: CxoneApiError,
    hardDelete: boolean,
  ): Promise<string | undefined> {
    const { change } = write;
    const reason = reasonOf(error);
    const code = errorCodeOf(error);
    const wasMissing = error instanceof NotFoundError;
    if (hardDelete && wasMissing) {
      this.stepSucceeded(write, 'reconciled', {});
      return 'already deleted';
    }
    if (!needsReconcile(error)) {
      this.fail(
        write,
        code,
        wasMissing
          ? `${reason}; it no longer exists (deleted since the plan was made; run cxctl plan again)`
          : reason,
      );
      return undefined;
    }
    const live = await this.readQuietly(change);
    if (hardDelete) {
      if (!live.object && live.readError === undefined) {
        this.stepSucceeded(write, 'reconciled', {});
        return `${code}, but a fresh read shows it deleted`;
      }
    } else if (live.object && write.body && this.writerOf(write).matches(live.object, write.body)) {
      this.stepSucceeded(write, 'reconciled', { id: live.object.id, version: live.object.version });
      return `${code}, but a fresh read shows it as planned`;
    }
    if (error instanceof VersionMismatchError) {
      const planned = this.states.get(change)!.version ?? change.live?.version;
      const now = live.object?.version ?? error.currentVersion;
      this.fail(
        write,
        'VERSION_MISMATCH',
        `it changed since it was read (version ${planned}${now !== undefined ? `, now ${now}` : ''}); run cxctl plan again and review the new difference`,
        'conflict',
      );
      return undefined;
    }
    this.fail(
      write,
      code,
      `${reason}${live.readError ? ` (re-reading it failed too: ${live.readError})` : live.object ? '; a fresh read shows it is not as planned' : ''}`,
    );
    return undefined;
  }

  // ---- bookkeeping --------------------------------------------------------------------------

  /**
   * Wait for a place among the writes in flight. Undefined when the run stopped (before or while
   * waiting): the write must not start.
   */
  private async admit(): Promise<Release | undefined> {
    if (this.stoppedBy !== undefined) return undefined;
    let release: Release = () => undefined;
    if (this.gate) {
      try {
        release = await this.gate.acquire(this.options.stop);
      } catch {
        return undefined; // the stop fired while this write waited: it was never sent
      }
    }
    if (this.stoppedBy !== undefined) {
      release();
      return undefined;
    }
    return release;
  }

  /** Skip a write the run will not start, saying why it stopped. */
  private skipStopped(write: PlannedWrite): Promise<void> {
    if (this.interrupted) return this.skip(write, 'INTERRUPTED', INTERRUPTED_REASON);
    return this.skip(write, 'RUN_STOPPED', `not attempted: ${this.stoppedBy ?? 'the run stopped'}`);
  }

  private stepSucceeded(
    write: PlannedWrite,
    via: SettledVia,
    live: { id?: string; version?: number },
  ): void {
    const state = this.states.get(write.change)!;
    state.stepsDone.add(write.step);
    if (live.id !== undefined) state.id = live.id;
    if (live.version !== undefined) state.version = live.version;
    // A release is the first of two writes: the change is not done until its claim is.
    if (write.step !== 'release') this.finish(write.change, via, state.id);
  }

  private finish(change: PlannedChange, via: SettledVia, id: string | undefined): void {
    const state = this.states.get(change)!;
    state.result = {
      ...this.resultBase(change),
      outcome: 'success',
      via,
      ...(id !== undefined ? { id } : {}),
    };
    this.options.onResult?.(state.result);
  }

  private fail(
    write: PlannedWrite,
    code: string,
    reason: string,
    outcome: 'failed' | 'conflict' = 'failed',
  ): void {
    const { change } = write;
    const state = this.states.get(change)!;
    const action = writeActionOf(change);
    state.result = {
      ...this.resultBase(change),
      outcome,
      ...(state.id !== undefined ? { id: state.id } : {}),
      error: { code, message: failureMessage(action, change.kind, change.key, reason) },
    };
    this.options.onResult?.(state.result);
  }

  private async skip(write: PlannedWrite, code: string, reason: string): Promise<void> {
    const { change } = write;
    const state = this.states.get(change)!;
    const action = writeActionOf(change);
    const message = skipMessage(action, change.kind, change.key, reason);
    state.result = {
      ...this.resultBase(change),
      outcome: 'skipped',
      ...(state.id !== undefined ? { id: state.id } : {}),
      error: { code, message },
    };
    this.options.onResult?.(state.result);
    await this.record({
      kind: change.kind,
      key: change.key,
      action,
      step: write.step,
      idempotencyKey: changeIdempotencyKey(this.options.plan.digest, change, write.step),
      outcome: 'skipped',
      error: { code, message },
    });
  }

  private resultBase(change: PlannedChange): Omit<ChangeResult, 'outcome'> {
    const text = (name: string, fromBody: unknown): string | undefined => {
      if (typeof fromBody === 'string') return fromBody;
      const field = change.fields.find((f) => f.path === name);
      const old = field?.oldValue;
      return typeof old === 'string' ? old : undefined;
    };
    const base: Omit<ChangeResult, 'outcome'> = {
      kind: change.kind,
      key: change.key,
      action: writeActionOf(change),
    };
    if (change.kind === 'complianceRule') {
      if (change.parentId !== undefined) base.parentId = change.parentId;
      const jurisdiction = text('jurisdiction', change.body?.jurisdiction);
      if (jurisdiction !== undefined) base.jurisdiction = jurisdiction;
      const name = text('name', change.body?.name);
      if (name !== undefined) base.name = name;
    }
    if (change.labels) base.labels = change.labels;
    return base;
  }

  private async record(input: {
    kind: KindName;
    key: string;
    action: WriteRecord['action'];
    step: WriteRecord['step'];
    idempotencyKey: string;
    meta?: RequestMeta;
    outcome: WriteRecord['outcome'];
    error?: { code: string; message: string };
    note?: string;
  }): Promise<void> {
    const meta = input.meta;
    const record: WriteRecord = {
      kind: input.kind,
      key: input.key,
      action: input.action,
      step: input.step,
      idempotencyKey: input.idempotencyKey,
      status: meta?.status ?? null,
      attempts: meta?.attempts ?? 0,
      latencyMs: meta?.latencyMs ?? 0,
      queuedMs: meta?.queuedMs ?? 0,
      requestBytes: meta?.requestBytes ?? 0,
      outcome: input.outcome,
      rateLimited: this.rateLimited.get(input.idempotencyKey) ?? 0,
      ...(input.error ? { error: input.error } : {}),
      ...(input.note !== undefined ? { note: input.note } : {}),
    };
    this.writes.push(record);
    try {
      await this.options.onWrite?.(record);
    } catch (error) {
      this.stoppedBy ??= error instanceof Error ? error.message : String(error);
    }
  }

  private noteStop(error: CxoneApiError): void {
    if (stopsTheRun(error)) this.stoppedBy ??= reasonOf(error);
  }

  private async readQuietly(
    change: PlannedChange,
  ): Promise<{ object?: LiveObject; readError?: string }> {
    try {
      const object = await this.writers[change.kind].read(
        this.options.client,
        change,
        this.options.signal,
      );
      return object ? { object } : {};
    } catch (error) {
      return { readError: reasonOf(error) };
    }
  }

  private writerOf(write: PlannedWrite): KindWriter {
    return this.writers[write.change.kind];
  }

  private signal(): { signal?: AbortSignal } {
    return this.options.signal ? { signal: this.options.signal } : {};
  }
}

/** The body a create or update sends: every change but a hard delete carries one. */
function bodyOf(write: PlannedWrite): PlannedBody {
  if (write.body === undefined) throw new Error(`change ${write.change.key} has no body`);
  return write.body;
}

/** The error of a batch record: how many items failed, and the first few. */
function batchError(
  failures: readonly { key: string; code: string; message: string }[],
  size: number,
): { code: string; message: string } {
  const shown = failures.slice(0, 5).map((f) => `${f.key}: ${f.code}`);
  const more = failures.length > 5 ? `, and ${failures.length - 5} more` : '';
  return {
    code: failures[0]!.code,
    message: `${failures.length} of ${size} items failed (${shown.join(', ')}${more})`,
  };
}
