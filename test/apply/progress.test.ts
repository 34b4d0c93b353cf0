import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApplyProgress, resultLine } from '../../src/apply/progress.js';
import type { ChangeResult } from '../../src/apply/results.js';
import { confirm } from '../../src/cli/confirm.js';
import { CapturedStream } from '../helpers/capture.js';

const created: ChangeResult = {
  kind: 'wrapUpCode',
  key: 'RES_001',
  action: 'create',
  outcome: 'success',
  via: 'written',
  id: 'wuc-000001',
};
const conflict: ChangeResult = {
  kind: 'complianceRule',
  key: 'Spring Renewals/US hours',
  action: 'update',
  outcome: 'conflict',
  error: {
    code: 'VERSION_MISMATCH',
    message:
      'update compliance rule "Spring Renewals/US hours" failed: it changed since it was read',
  },
};

describe('result lines', () => {
  it('name the operation, kind, key and how a success was reached', () => {
    expect(resultLine(created)).toBe('created wrap-up code RES_001 (wuc-000001)');
    expect(resultLine({ ...created, action: 'deactivate', via: 'already-applied' })).toBe(
      'deactivated wrap-up code RES_001 (wuc-000001), already applied',
    );
    expect(resultLine({ ...created, via: 'reconciled' })).toContain('confirmed by re-reading');
    expect(resultLine(conflict)).toBe(
      'conflict: update compliance rule "Spring Renewals/US hours" failed: it changed since it was read',
    );
  });
});

describe('progress', () => {
  it('prints plain lines without a terminal, and no progress line', () => {
    const lines = new CapturedStream(false);
    const bar = new CapturedStream(false);
    const progress = new ApplyProgress({ lines, bar, total: 2 });
    progress.onResult(created);
    progress.onResult(conflict);
    progress.finish();
    expect(lines.text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(bar.text).toBe('');
  });

  it('redraws one progress line on a terminal and clears it at the end', () => {
    const lines = new CapturedStream(true);
    const bar = new CapturedStream(true);
    const progress = new ApplyProgress({ lines, bar, total: 2 });
    progress.onResult(created);
    expect(bar.text).toContain('Applying [###############...............] 1/2');
    progress.onResult(conflict);
    expect(bar.text).toContain('2/2, 1 not applied');
    progress.finish();
    expect(bar.text.endsWith('\r\u001b[2K')).toBe(true);
  });
});

describe('confirmation', () => {
  async function ask(answer: string | undefined): Promise<boolean> {
    const input = new PassThrough();
    const output = new CapturedStream(true);
    if (answer === undefined) input.end();
    else input.end(`${answer}\n`);
    const result = await confirm(input, output);
    expect(output.text).toContain("Only 'yes' is accepted");
    return result;
  }

  it("accepts only 'yes'", async () => {
    expect(await ask('yes')).toBe(true);
    expect(await ask('  yes ')).toBe(true);
    expect(await ask('y')).toBe(false);
    expect(await ask('YES')).toBe(false);
    expect(await ask(undefined)).toBe(false);
  });
});
