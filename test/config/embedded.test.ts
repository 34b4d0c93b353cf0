import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_STATE_FILE, openTarget } from '../../src/config/embedded.js';
import { resolveTarget } from '../../src/config/target.js';
import { createClient } from '../../src/cxone/client.js';
import { isCxctlError } from '../../src/errors.js';
import { makeCodes } from '../cxone/harness.js';
import { temporaryProjects } from '../helpers/project.js';

const project = temporaryProjects('cxctl-embedded-');

describe('the embedded target', () => {
  it('runs the simulator in-process and keeps its state in .cxctl/simulator-state.json', async () => {
    const cwd = project({});
    const spec = resolveTarget({ cwd, env: {}, overrides: { target: 'embedded' } });

    const first = await openTarget(spec, { cwd });
    expect(first).toMatchObject({ kind: 'embedded', label: 'embedded' });
    expect(first.apiBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = createClient(first, { rateLimit: first.limits.rateLimit });
    await client.wrapUpCodes.createBatch(makeCodes(2), { idempotencyKey: 'embedded-1' });
    await client.close();
    await first.close();
    await first.close(); // idempotent

    const statePath = join(cwd, EMBEDDED_STATE_FILE);
    expect(existsSync(statePath)).toBe(true);
    expect(readFileSync(statePath, 'utf8')).toContain('C00001');

    // A second run starts from the saved state, on a new port.
    const second = await openTarget(spec, { cwd });
    const again = createClient(second);
    try {
      expect((await again.wrapUpCodes.list()).map((c) => c.code)).toEqual(['C00000', 'C00001']);
    } finally {
      await again.close();
      await second.close();
    }
  });

  it('refuses a state file whose rules use the old field name, and leaves the file alone', async () => {
    const cwd = project({});
    const statePath = join(cwd, EMBEDDED_STATE_FILE);
    mkdirSync(join(cwd, '.cxctl'), { recursive: true });
    const oldShape = JSON.stringify(
      {
        campaigns: [{ id: 'cmp-1', name: 'Spring Renewals' }],
        dncLists: [{ id: 'dnc-1', name: 'Internal DNC', active: true }],
        complianceRules: [
          {
            id: 'rule-000001',
            campaignId: 'cmp-1',
            name: 'US hours',
            type: 'TIME_RESTRICTION',
            jurisdiction: 'US-FCC',
            timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
            dncLists: ['dnc-1'],
            maxCallsPerDay: 1,
            concurrencyLimit: 5,
          },
        ],
      },
      null,
      2,
    );
    writeFileSync(statePath, oldShape);
    const spec = resolveTarget({ cwd, env: {}, overrides: { target: 'embedded' } });
    const failure = await openTarget(spec, { cwd }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isCxctlError(failure)).toBe(true);
    // The rule's key, not the top-level list of the same name.
    const line = oldShape.slice(0, oldShape.lastIndexOf('"dncLists"')).split('\n').length;
    expect((failure as Error).message).toBe(
      `${statePath}:${line}:7: /complianceRules/0/dncLists unknown field: renamed to "dncListIds" (and 1 more problem)`,
    );
    expect(readFileSync(statePath, 'utf8')).toBe(oldShape);
  });
});
