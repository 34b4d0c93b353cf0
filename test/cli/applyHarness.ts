/**
 * Harness for `cxctl apply` CLI tests: one real simulator on 127.0.0.1 (ephemeral port), project
 * folders in a temporary directory, and in-process runs of the CLI against them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_SEED,
  startSimulator,
  type RunningSimulator,
  type SimulatorSeed,
} from '../../src/simulator/index.js';
import { captureIO } from '../helpers/capture.js';

/** The outcome of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A simulator plus helpers to run the CLI against it. */
export class ApplyHarness {
  private readonly directories: string[] = [];

  private constructor(readonly sim: RunningSimulator) {}

  static async start(): Promise<ApplyHarness> {
    return new ApplyHarness(await startSimulator({ host: '127.0.0.1', port: 0 }));
  }

  /** Environment with the simulator's credentials. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      CXONE_CLIENT_ID: DEFAULT_CLIENT_ID,
      CXONE_CLIENT_SECRET: DEFAULT_CLIENT_SECRET,
      ...extra,
    };
  }

  /** `--target URL --rate-limit 1000` (fast tests; the default rate limit is measured in bench/). */
  targetArgs(): string[] {
    return ['--target', this.sim.url, '--rate-limit', '1000'];
  }

  /** A project folder with these files. */
  project(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'cxctl-apply-'));
    this.directories.push(root);
    this.write(root, files);
    return root;
  }

  /** (Over)write files of a project. */
  write(root: string, files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  }

  /** Reset the tenant: default seed plus these objects; faults and the request log cleared. */
  reset(seed: Partial<SimulatorSeed> = {}): void {
    this.sim.setState({ ...DEFAULT_SEED, wrapUpCodes: [], complianceRules: [], ...seed });
    this.sim.clearFaults();
    this.sim.clearRequests();
  }

  /** Run cxctl in-process. `answer` simulates a terminal that types it. */
  async run(
    argv: string[],
    options: { cwd: string; env?: Record<string, string>; answer?: string } = { cwd: '.' },
  ): Promise<CliRun> {
    const io = captureIO({
      cwd: options.cwd,
      env: options.env ?? this.env(),
      tty: options.answer !== undefined,
    });
    if (options.answer !== undefined) {
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      stdin.end(`${options.answer}\n`);
      (io as { stdin?: NodeJS.ReadableStream }).stdin = stdin;
    }
    const code = await runCli(argv, io);
    return { code, stdout: io.stdout.text, stderr: io.stderr.text };
  }

  /** Write requests the simulator logged (token requests excluded). */
  writes(): number {
    let total = 0;
    for (const [route, n] of Object.entries(this.sim.requests().counts)) {
      if (/^(POST|PUT|DELETE) \/api\//.test(route)) total += n;
    }
    return total;
  }

  async close(): Promise<void> {
    for (const directory of this.directories.splice(0)) {
      rmSync(directory, { recursive: true, force: true });
    }
    await this.sim.stop();
  }
}

/** A manifest of wrap-up codes: `[code, fields]` pairs. */
export function codesManifest(
  codes: [string, Record<string, string | number | boolean>?][],
): string {
  const lines = ['version: 1', 'wrapUpCodes:'];
  for (const [code, fields = {}] of codes) {
    const all = { name: `Name of ${code}`, category: 'Resolution', duration: 300, ...fields };
    lines.push(`  - code: ${code}`);
    for (const [key, value] of Object.entries(all)) {
      lines.push(
        `    ${key}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A rule as a manifest item (campaign and DNC lists by name; default seed names). */
export interface RuleSpec {
  campaign?: string;
  name: string;
  jurisdiction?: string;
  maxCallsPerDay?: number;
  endHour?: number;
}

/** YAML of compliance rules, appended to a manifest that already has `version: 1`. */
export function rulesYaml(rules: readonly RuleSpec[]): string {
  const lines = ['complianceRules:'];
  for (const rule of rules) {
    lines.push(
      `  - campaign: ${rule.campaign ?? 'Spring Renewals'}`,
      `    name: ${JSON.stringify(rule.name)}`,
      '    type: TIME_RESTRICTION',
      `    jurisdiction: ${rule.jurisdiction ?? 'US-FCC'}`,
      '    timeZoneRestrictions:',
      `      - { timeZone: America/New_York, startHour: 8, endHour: ${rule.endHour ?? 20} }`,
      '    dncLists: [Internal DNC]',
      `    maxCallsPerDay: ${rule.maxCallsPerDay ?? 1}`,
      '    concurrencyLimit: 5',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Live wrap-up code seed entries. */
export function seedCode(
  code: string,
  fields: Record<string, string | number | boolean> = {},
): {
  code: string;
  name: string;
  category: string;
  duration: number;
  isActive: boolean;
  isDefault: boolean;
} {
  return {
    code,
    name: `Name of ${code}`,
    category: 'Resolution',
    duration: 300,
    isActive: true,
    isDefault: false,
    ...fields,
  };
}
