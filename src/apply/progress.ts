/**
 * Progress of an apply as it runs: one plain line per finished change (CI logs read top to
 * bottom), and on a terminal also a progress line on stderr that is redrawn in place. No
 * dependency: a counter and a bar of `#` are all a run of a few thousand writes needs.
 */
import { redact } from '../secrets.js';
import type { TerminalSink } from '../util/log.js';
import { describeObject, type ChangeResult } from './results.js';

/** Past tense of each action, for result lines. */
const DONE: Record<ChangeResult['action'], string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  deactivate: 'deactivated',
};

/** One line about a finished change. */
export function resultLine(result: ChangeResult): string {
  if (result.outcome === 'success') {
    const id = result.id !== undefined ? ` (${result.id})` : '';
    const how =
      result.via === 'already-applied'
        ? ', already applied'
        : result.via === 'reconciled'
          ? ', confirmed by re-reading'
          : result.via === 'replayed'
            ? ', replayed by the server'
            : '';
    return `${DONE[result.action]} ${describeObject(result.kind, result.key)}${id}${how}`;
  }
  const label =
    result.outcome === 'skipped'
      ? 'skipped'
      : result.outcome === 'conflict'
        ? 'conflict'
        : 'failed';
  return `${label}: ${result.error?.message ?? `${result.action} ${describeObject(result.kind, result.key)}`}`;
}

/** Options of {@link ApplyProgress}. */
export interface ProgressOptions {
  /** Where result lines go (undefined: none, e.g. `--format json`). */
  lines?: TerminalSink;
  /** Where the redrawn progress line goes; used only when it is a terminal. */
  bar?: TerminalSink;
  total: number;
  /** Paint a result line (colours on a terminal). */
  paint?: (result: ChangeResult, line: string) => string;
}

/** Shows progress; feed it every result, then call {@link finish}. */
export class ApplyProgress {
  private done = 0;
  private failed = 0;
  private barShown = false;

  constructor(private readonly options: ProgressOptions) {}

  /** Count a finished change and show it. */
  readonly onResult = (result: ChangeResult): void => {
    this.done++;
    if (result.outcome !== 'success') this.failed++;
    const { lines, paint } = this.options;
    if (lines) {
      this.clearBar();
      const line = redact(resultLine(result));
      lines.write(`${paint ? paint(result, line) : line}\n`);
    }
    this.drawBar();
  };

  /** Remove the progress line. */
  finish(): void {
    this.clearBar();
  }

  private drawBar(): void {
    const bar = this.options.bar;
    if (!bar?.isTTY) return;
    const total = Math.max(1, this.options.total);
    const width = 30;
    const filled = Math.min(width, Math.round((this.done / total) * width));
    const failed = this.failed > 0 ? `, ${this.failed} not applied` : '';
    bar.write(
      `\r\u001b[2KApplying [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.options.total}${failed}`,
    );
    this.barShown = true;
  }

  private clearBar(): void {
    if (!this.barShown) return;
    this.options.bar?.write('\r\u001b[2K');
    this.barShown = false;
  }
}
