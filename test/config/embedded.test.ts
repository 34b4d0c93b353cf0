import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_STATE_FILE, openTarget } from '../../src/config/embedded.js';
import { resolveTarget } from '../../src/config/target.js';
import { createClient } from '../../src/cxone/client.js';
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
});
