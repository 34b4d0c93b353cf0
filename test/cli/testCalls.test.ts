import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { parseCsv } from '../../src/crm/csv.js';
import { captureIO } from '../helpers/capture.js';
import { cxctl, temporaryProjects } from '../helpers/project.js';

const project = temporaryProjects('cxctl-calls-');

const RULES = `complianceRules:
  - campaign: Spring Renewals
    name: US calling hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions:
      - { timeZone: America/New_York, startHour: 8, endHour: 21 }
      - { timeZone: America/New_York, days: [sat], start: "09:00", end: "17:00" }
      - { timeZone: America/New_York, days: [sun], closed: true }
    holidays: { country: US }
    maxCallsPerDay: 3
    callCounting: rolling-24h
    minMinutesBetweenCalls: 60
    stateRules:
      - { state: FL, start: "08:00", end: "20:00", maxCalls: 3, per: rolling-24h }
    dncLists: [Internal DNC]
    concurrencyLimit: 5
`;

const CSV = [
  'phone,at,timeZone,state,previousCalls',
  '+12125550199,2026-03-03T15:00:00Z,America/New_York,,',
  '+12125550199,2026-03-07T22:30:00Z,America/New_York,,',
  '+12125550199,2026-03-08T16:00:00Z,,,',
  '+13055550100,2026-07-03T15:00:00Z,America/New_York,,',
  '+13055550100,2026-09-16T00:30:00Z,America/New_York,FL,',
  '+13055550100,2026-09-15T15:30:00Z,America/New_York,,2026-09-15T15:00:00Z',
].join('\n');

describe('cxctl test --calls', () => {
  it('writes one verdict per row as CSV and the summary by reason on stderr', async () => {
    const root = project({ 'rules.yaml': RULES, 'calls.csv': CSV });
    const result = await cxctl(root, [
      'test',
      'rules.yaml',
      '--calls',
      'calls.csv',
      '--rule',
      'Spring Renewals/US calling hours',
    ]);
    expect(result.code).toBe(0);
    const rows = parseCsv(result.stdout).records.map((record) => record.fields.map((f) => f.value));
    expect(rows[0]).toEqual([
      'line',
      'phone',
      'at',
      'campaign',
      'rule',
      'verdict',
      'reason',
      'blockedBy',
      'detail',
    ]);
    expect(rows.slice(1).map((row) => [row[0], row[5], row[6]])).toEqual([
      ['2', 'allowed', ''],
      ['3', 'blocked', 'time-window'],
      ['4', 'blocked', 'time-window'],
      ['5', 'blocked', 'holiday'],
      ['6', 'blocked', 'time-window'],
      ['7', 'blocked', 'spacing'],
    ]);
    expect(rows[3]?.[8]).toContain('Sundays closed');
    expect(rows[5]?.[8]).toContain('FL state rule');
    expect(result.stderr).toBe(
      '6 calls: 1 allowed, 5 blocked (time-window 3, holiday 1, spacing 1)\n',
    );
  });

  it('writes JSON Lines with --format json and exits 1 with --fail-on-blocked', async () => {
    const root = project({
      'rules.yaml': RULES,
      'calls.jsonl':
        '{"rule":"Spring Renewals/US calling hours","at":"2026-03-08T16:00:00Z","timeZone":"America/New_York"}\n',
    });
    const result = await cxctl(root, [
      'test',
      'rules.yaml',
      '--calls',
      'calls.jsonl',
      '--format',
      'json',
      '--fail-on-blocked',
    ]);
    expect(result.code).toBe(1);
    const verdict = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    expect(verdict).toMatchObject({ line: 1, verdict: 'blocked', reason: 'time-window' });
  });

  it('reports bad rows at file:line:col, writes nothing and exits 1', async () => {
    const root = project({
      'rules.yaml': RULES,
      'calls.csv':
        'phone,at,callsToday\n+12125550199,2026-03-03T15:00:00Z,lots\n+12125550199,2026-02-30T15:00:00Z,0\n',
    });
    const result = await cxctl(
      root,
      ['test', 'rules.yaml', '--calls', 'calls.csv', '--rule', 'US calling hours'],
      {
        env: { CXONE_CAMPAIGN_ID: 'Spring Renewals' },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'calls.csv:2:35: error: callsToday: must be a number, not "lots"',
    );
    expect(result.stderr).not.toMatch(/internal error|at .*\.js/);
  });

  it('names the unknown rule of a row with a hint', async () => {
    const root = project({
      'rules.yaml': RULES,
      'calls.csv':
        'rule,at,timeZone\nSpring Renewals/US calling hour,2026-03-03T15:00:00Z,America/New_York\n',
    });
    const result = await cxctl(root, ['test', 'rules.yaml', '--calls', 'calls.csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'calls.csv:2: error: no compliance rule "US calling hour" in campaign "Spring Renewals"; did you mean "US calling hours"?',
    );
  });

  it('refuses unknown columns and files that are not regular files', async () => {
    const root = project({
      'rules.yaml': RULES,
      'calls.csv': 'at,timezone\n2026-03-03T15:00:00Z,America/New_York\n',
    });
    const unknown = await cxctl(root, [
      'test',
      'rules.yaml',
      '--calls',
      'calls.csv',
      '--rule',
      'Spring Renewals/US calling hours',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('calls.csv:1:4: error: unknown column "timezone"');
    const directory = await cxctl(root, ['test', 'rules.yaml', '--calls', '.']);
    expect(directory.code).toBe(1);
    expect(directory.stderr).toContain('is not a regular file');
  });
});

describe('cxctl test --calls on an export larger than one read', () => {
  // Each row spans two lines (a quoted number with a line break) so records cross the pieces the
  // file is read in; 4,000 rows are several pieces.
  const ROWS = 4_000;
  const rows = Array.from({ length: ROWS }, (_, index) => {
    const at = new Date(Date.parse('2026-03-03T12:00:00Z') + index * 60_000).toISOString();
    return `"+1212555\n${String(index).padStart(4, '0')}",${at},America/New_York`;
  });
  const header = 'phone,at,timeZone';
  const args = ['test', 'rules.yaml', '--calls', 'calls.csv', '--rule', 'US calling hours'];
  const env = { env: { CXONE_CAMPAIGN_ID: 'Spring Renewals' } };

  it('writes every verdict once, in order, with the line each row starts on', async () => {
    const root = project({ 'rules.yaml': RULES, 'calls.csv': [header, ...rows].join('\n') });
    expect(Buffer.byteLength([header, ...rows].join('\n'))).toBeGreaterThan(3 * 64 * 1024);
    const result = await cxctl(root, [...args, '--format', 'json'], env);
    expect(result.code).toBe(0);
    const verdicts = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; phone: string });
    expect(verdicts).toHaveLength(ROWS);
    verdicts.forEach((verdict, index) => {
      expect(verdict.line).toBe(2 + 2 * index);
      expect(verdict.phone).toBe(`+1212555\n${String(index).padStart(4, '0')}`);
    });
    expect(result.stderr).toMatch(new RegExp(`^${ROWS} calls: \\d+ allowed, \\d+ blocked`));
  });

  it('writes nothing when only the last row is bad, and names its line', async () => {
    const bad = `+12125550199,2026-03-03T25:00:00Z,America/New_York`;
    const root = project({ 'rules.yaml': RULES, 'calls.csv': [header, ...rows, bad].join('\n') });
    const result = await cxctl(root, args, env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`calls.csv:${2 + 2 * ROWS}: error: the call is invalid:`);
    expect(result.stderr).toContain('no verdicts were written');
  });

  it('waits for a slow reader of stdout instead of buffering every verdict', async () => {
    const root = project({ 'rules.yaml': RULES, 'calls.csv': [header, ...rows].join('\n') });
    let written = '';
    let mostBuffered = 0;
    // A reader that takes each write on the next turn of the event loop, as a pipe does.
    const stdout = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString('utf8');
        setImmediate(done);
      },
    });
    const io = captureIO({ cwd: root, env: env.env });
    const write = stdout.write.bind(stdout);
    const sink = Object.assign(stdout, {
      write: (text: string) => {
        const more = write(text);
        mostBuffered = Math.max(mostBuffered, stdout.writableLength);
        return more;
      },
    });
    const code = await runCli([...args, '--format', 'json'], { ...io, stdout: sink });
    expect(code).toBe(0);
    await new Promise<void>((resolve) => stdout.end(resolve));
    expect(written.trimEnd().split('\n')).toHaveLength(ROWS);
    // Without waiting for 'drain', the whole output would sit in the stream's buffer at once.
    expect(mostBuffered).toBeLessThan(written.length / 2);
  });
});
