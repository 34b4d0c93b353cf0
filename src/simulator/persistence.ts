/**
 * The `--state` file: the tenant state plus what a restart needs to keep its promises (id counters,
 * stored idempotent responses) under the `_simulator` key. Written behind mutations (debounced),
 * atomically (temporary file + rename), and flushed on stop.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeTextAtomicallyAsync } from '../io/atomicWrite.js';
import { ID_KINDS, type IdCounters } from './ids.js';
import { parseIdempotencyRecords, type IdempotencyRecord } from './idempotency.js';
import { STATE_FILE_EXTRA_KEY } from './seed.js';
import type { SimulatorState } from './state.js';

/** What the `_simulator` key holds. */
export interface StateFileExtras {
  idCounters: IdCounters;
  idempotency: IdempotencyRecord[];
}

/** The state file's JSON text. */
export function serializeStateFile(state: SimulatorState, extras: StateFileExtras): string {
  return `${JSON.stringify({ ...state, [STATE_FILE_EXTRA_KEY]: extras }, null, 2)}\n`;
}

/** Read the extras leniently: they are a cache, so anything malformed is dropped, not fatal. */
export function parseStateFileExtras(value: unknown): {
  idCounters: Partial<IdCounters>;
  idempotency: IdempotencyRecord[];
} {
  const record =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const idCounters: Partial<IdCounters> = {};
  const rawCounters = record.idCounters;
  if (typeof rawCounters === 'object' && rawCounters !== null) {
    for (const kind of ID_KINDS) {
      const n = (rawCounters as Record<string, unknown>)[kind];
      if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 1) idCounters[kind] = n;
    }
  }
  return { idCounters, idempotency: parseIdempotencyRecords(record.idempotency) };
}

/** Write the state file atomically (src/io/atomicWrite.ts), creating its directory. */
async function writeStateFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeTextAtomicallyAsync(path, text);
}

/**
 * Write-behind of the state file: {@link schedule} after every mutation; the file is written within
 * `debounceMs`, and while a write runs, further mutations are collected into one next write
 * (never more than one write at a time, never a queue). {@link flush} writes pending changes now.
 */
export class StateWriter {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly path: string,
    private readonly produce: () => string,
    private readonly onError: (error: unknown) => void,
    private readonly debounceMs = 50,
  ) {}

  /** Note a mutation; the file is written within `debounceMs` (or right after a running write). */
  schedule(): void {
    this.dirty = true;
    // A running write loop picks the change up when it finishes.
    if (this.timer || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.writeLoop();
    }, this.debounceMs);
  }

  /** Write pending changes now, and wait until the file holds every mutation so far. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.writing) await this.writing;
    if (this.dirty) await this.writeLoop(false);
  }

  /** Write now, whether or not anything changed (used once at start). */
  writeNow(): Promise<void> {
    this.dirty = true;
    return this.flush();
  }

  private writeLoop(pauseBetween = true): Promise<void> {
    this.writing ??= (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          // The text is produced when the write starts, so it holds every mutation up to then.
          try {
            await writeStateFile(this.path, this.produce());
          } catch (error) {
            this.onError(error);
          }
          if (this.dirty && pauseBetween) await delay(this.debounceMs);
        }
      } finally {
        this.writing = undefined;
      }
    })();
    return this.writing;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
