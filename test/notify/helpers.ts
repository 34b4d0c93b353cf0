/**
 * Test helpers for the notify modules: a real webhook receiver (node:http on 127.0.0.1, ephemeral
 * port), a virtual clock whose sleeps return at once, and a Prometheus text-format checker.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/notify/clock.js';

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

/** What the receiver answers to the n-th request (0-based) on a path. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Wait this long before answering (bounded by the receiver's close). */
  delayMs?: number;
  /** Run before answering (e.g. wait for another receiver); bounded by the caller. */
  before?: () => Promise<void>;
}

/** A webhook receiver on 127.0.0.1; `script(request, index)` decides each reply (default 200). */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server = createServer((req, res) => {
    void this.handle(req, res);
  });
  private arrivalWaiters: (() => void)[] = [];

  private constructor(
    private readonly script: (request: ReceivedRequest, index: number) => Reply,
  ) {}

  static async start(
    script: (request: ReceivedRequest, index: number) => Reply = () => ({ status: 200 }),
  ): Promise<Receiver> {
    const receiver = new Receiver(script);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:PORT` + `path`. */
  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Resolves when at least one request has arrived, or after `timeoutMs` (then rejects). */
  waitForRequest(timeoutMs: number): Promise<void> {
    if (this.requests.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no request arrived')), timeoutMs);
      this.arrivalWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers[name] = value;
    }
    const request: ReceivedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt: Date.now(),
    };
    const index = this.requests.length;
    this.requests.push(request);
    for (const wake of this.arrivalWaiters.splice(0)) wake();
    const reply = this.script(request, index);
    if (reply.before) await reply.before().catch(() => undefined);
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, reply.delayMs);
        this.timers.add(timer);
      });
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
    res.end('ok');
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A clock at real time plus the sum of all virtual sleeps; sleeps return at once. */
export function virtualClock(): Clock & { sleeps: number[] } {
  let offset = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now() + offset,
    sleep: (ms) => {
      sleeps.push(ms);
      offset += Math.max(0, ms);
      return Promise.resolve();
    },
  };
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const VALUE = /^(NaN|[+-]Inf|[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/;

/** One parsed sample. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parse Prometheus text format 0.0.4 strictly enough to catch what scrapers reject: HELP and TYPE
 * before a family's samples, each family once and contiguous, valid metric and label names,
 * well-escaped label values, numeric values, summary samples only as name / name_sum /
 * name_count, a trailing newline. Throws with the line number on the first problem.
 */
export function parsePrometheusText(text: string): {
  samples: PromSample[];
  types: Map<string, string>;
} {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const finished = new Set<string>();
  let current: string | undefined;
  const samples: PromSample[] = [];
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, i) => {
    const where = `line ${i + 1} (${line})`;
    if (line.trim() === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, keyword, name, rest] = meta as unknown as [string, string, string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name`);
      if (finished.has(name)) throw new Error(`${where}: family ${name} appears twice`);
      if (current !== undefined && current !== name) finished.add(current);
      current = name;
      if (keyword === 'HELP') {
        if (helps.has(name)) throw new Error(`${where}: second HELP`);
        helps.add(name);
      } else {
        if (types.has(name)) throw new Error(`${where}: second TYPE`);
        if (!['counter', 'gauge', 'summary', 'histogram', 'untyped'].includes(rest)) {
          throw new Error(`${where}: bad type`);
        }
        types.set(name, rest);
      }
      return;
    }
    if (line.startsWith('#')) return;
    const match = /^([^\s{]+)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/.exec(line);
    if (!match) throw new Error(`${where}: not a sample`);
    const name = match[1]!;
    if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name`);
    const family = familyOf(name, types);
    if (family === undefined) throw new Error(`${where}: sample before its TYPE`);
    if (family !== current) throw new Error(`${where}: sample outside its family block`);
    if (!helps.has(family)) throw new Error(`${where}: family without HELP`);
    const labels = parseLabels(match[3] ?? '', where);
    const type = types.get(family);
    if (type === 'summary' && name === family && labels.quantile === undefined) {
      throw new Error(`${where}: summary sample without quantile`);
    }
    if (type === 'counter' && !name.endsWith('_total'))
      throw new Error(`${where}: counter without _total`);
    const raw = match[4]!;
    if (!VALUE.test(raw)) throw new Error(`${where}: value ${raw} is not a number`);
    const value =
      raw === 'NaN'
        ? Number.NaN
        : raw === '+Inf'
          ? Infinity
          : raw === '-Inf'
            ? -Infinity
            : Number(raw);
    if (type === 'counter' && !(value >= 0)) throw new Error(`${where}: negative counter`);
    samples.push({ name, labels, value });
  });
  return { samples, types };
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const suffix of ['_sum', '_count', '_bucket']) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      const type = types.get(base);
      if (type === 'summary' || type === 'histogram') return base;
    }
  }
  return undefined;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = /^([^=\s]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!m) throw new Error(`${where}: malformed labels at ${rest}`);
    const name = m[1]!;
    if (!LABEL_NAME.test(name) || name.startsWith('__'))
      throw new Error(`${where}: bad label name ${name}`);
    if (labels[name] !== undefined) throw new Error(`${where}: duplicate label ${name}`);
    labels[name] = m[2]!.replace(/\\(.)/g, (_e, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(m[0].length);
  }
  return labels;
}
