import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCxctlError } from '../../src/errors.js';
import { readStateFile, startSimulator, type SimulatorState } from '../../src/simulator/index.js';
import { StateWriter } from '../../src/simulator/persistence.js';
import { PATHS, codeBody, rawRequest, startHarness } from './harness.js';

describe('simulator: state file persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxctl-sim-state-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const readState = (path: string) =>
    JSON.parse(readFileSync(path, 'utf8')) as SimulatorState & { _simulator: unknown };

  it('writes the state file at start, behind every change, and on stop', async () => {
    const statePath = join(dir, 'nested', 'state.json');
    const h = await startHarness({ statePath });
    try {
      expect(readState(statePath).campaigns).toHaveLength(5);
      expect(readState(statePath)._simulator).toMatchObject({ idempotency: [] });
      await h.send('POST', PATHS.codes, { body: [codeBody('RES_001')] });
      // Write-behind: the file catches up on its own within the debounce interval.
      let codes: unknown[] = [];
      for (let i = 0; i < 100 && codes.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        codes = readState(statePath).wrapUpCodes;
      }
      expect(codes).toHaveLength(1);
      await h.send('POST', PATHS.codes, { body: [codeBody('RES_002')] });
      const flushed = await rawRequest(h.sim.url, 'POST', '/__sim/flush');
      expect(flushed.status).toBe(204);
      expect(readState(statePath).wrapUpCodes).toHaveLength(2);
      await h.send('POST', PATHS.codes, { body: [codeBody('RES_003')] });
    } finally {
      await h.sim.stop();
    }
    expect(readState(statePath).wrapUpCodes.map((c) => c.code)).toEqual([
      'RES_001',
      'RES_002',
      'RES_003',
    ]);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['state.json']);
  });

  it('restarts from the state file: same state, ids continue, idempotent replays survive', async () => {
    const statePath = join(dir, 'state.json');
    const first = await startHarness({ statePath });
    await first.send('POST', PATHS.codes, {
      body: [codeBody('RES_001'), codeBody('RES_002')],
      headers: { 'x-idempotency-key': 'batch-1' },
    });
    await first.send('DELETE', PATHS.code('wuc-000002'));
    const before = first.sim.state();
    await first.sim.stop();

    const second = await startHarness({ statePath });
    try {
      expect(second.sim.state()).toEqual(before);
      const replay = await second.send('POST', PATHS.codes, {
        body: [codeBody('RES_001'), codeBody('RES_002')],
        headers: { 'x-idempotency-key': 'batch-1' },
      });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json).toEqual({ ids: ['wuc-000001', 'wuc-000002'], errors: [] });
      // wuc-000002 was deleted before the restart; its id is not handed out again.
      const next = await second.send('POST', PATHS.codes, { body: [codeBody('RES_003')] });
      expect(next.json).toEqual({ ids: ['wuc-000003'], errors: [] });
      // Reset goes back to the seed (the default one here), not to the state file.
      second.sim.reset();
      expect(second.sim.state().wrapUpCodes).toEqual([]);
    } finally {
      await second.sim.stop();
    }
  });

  it('uses the seed when the state file does not exist yet, and the state file when it does', async () => {
    const statePath = join(dir, 'state.json');
    const seed = { categories: [{ name: 'Only' }] };
    const first = await startSimulator({ statePath, seed });
    first.setState({ categories: [{ name: 'Changed' }] });
    await first.stop();
    const second = await startSimulator({ statePath, seed });
    expect(second.state().categories).toEqual([{ id: 'cat-1', name: 'Changed' }]);
    second.reset();
    expect(second.state().categories).toEqual([{ id: 'cat-1', name: 'Only' }]);
    await second.stop();
  });

  it('refuses a corrupt state file with file, line and column', async () => {
    const statePath = join(dir, 'state.json');
    writeFileSync(statePath, '{\n  "categories": [\n    {"name": "A",}\n  ]\n}\n');
    const error = await startSimulator({ statePath }).catch((e: unknown) => e);
    expect(isCxctlError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`^${statePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: not valid JSON`),
    );
  });

  it('reads a state file as a seed, ignoring its _simulator key', async () => {
    const statePath = join(dir, 'state.json');
    const h = await startHarness({ statePath });
    await h.send('POST', PATHS.codes, { body: [codeBody('RES_001')] });
    await h.sim.stop();
    const loaded = readStateFile(statePath);
    expect(loaded.state.wrapUpCodes.map((c) => c.code)).toEqual(['RES_001']);
    const seeded = await startSimulator({ seed: loaded.state });
    expect(seeded.state()).toEqual(loaded.state);
    await seeded.stop();
  });
});

describe('seed files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxctl-sim-seed-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const errorFor = (text: string): string => {
    const file = join(dir, 'seed.json');
    writeFileSync(file, text);
    try {
      readStateFile(file);
    } catch (error) {
      expect(isCxctlError(error)).toBe(true);
      return (error as Error).message.replace(file, 'seed.json');
    }
    throw new Error('expected the seed to be refused');
  };

  it('names the line and column of the offending value', () => {
    const text = [
      '{',
      '  "categories": [{ "name": "Sales" }],',
      '  "wrapUpCodes": [',
      '    { "code": "S1", "name": "One", "category": "Sales", "duration": 60 },',
      '    { "code": "S2", "name": "Two", "category": "Sales", "duration": 9000 }',
      '  ]',
      '}',
    ].join('\n');
    expect(errorFor(text)).toBe(
      'seed.json:5:69: /wrapUpCodes/1/duration must be between 1 and 7200',
    );
  });

  it('points at the object when a required field is missing, and counts further problems', () => {
    const text = '{\n  "campaigns": [\n    { "id": "c1" }\n  ],\n  "dncLists": 3\n}';
    expect(errorFor(text)).toBe(
      'seed.json:3:5: /campaigns/0/name must be a non-empty string (and 1 more problem)',
    );
  });

  it('refuses unknown top-level keys, non-objects and unreadable files', () => {
    expect(errorFor('{"wrapupCodes": []}')).toMatch(/^seed\.json:1:2: \/wrapupCodes unknown key/);
    expect(errorFor('[]')).toMatch(/^seed\.json:1:1: a seed must be a JSON object/);
    expect(() => readStateFile(join(dir, 'missing.json'))).toThrow(/no such file/);
  });

  it('refuses a rule in the old shape, naming the field and its new name', () => {
    const text = [
      '{',
      '  "campaigns": [{ "name": "Spring Renewals" }],',
      '  "dncLists": [{ "name": "Internal DNC" }],',
      '  "complianceRules": [',
      '    {',
      '      "campaignId": "Spring Renewals", "name": "US hours", "type": "TIME_RESTRICTION",',
      '      "jurisdiction": "US", "maxCallsPerDay": 3, "concurrencyLimit": 1,',
      '      "timeZoneRestrictions": [{ "timeZone": "UTC", "startHour": 8, "endHour": 20 }],',
      '      "dncLists": ["Internal DNC"]',
      '    }',
      '  ]',
      '}',
    ].join('\n');
    expect(errorFor(text)).toBe(
      'seed.json:9:7: /complianceRules/0/dncLists unknown field: renamed to "dncListIds" (and 1 more problem)',
    );
  });

  it('accepts names for rule campaigns and DNC lists, including inactive lists', () => {
    const file = join(dir, 'seed.json');
    writeFileSync(
      file,
      JSON.stringify({
        campaigns: [{ name: 'Spring Renewals' }],
        dncLists: [{ name: 'Legacy', active: false }],
        complianceRules: [
          {
            campaignId: 'Spring Renewals',
            name: 'Old rule',
            type: 'DNC_COMPLIANCE',
            jurisdiction: 'US',
            timeZoneRestrictions: [{ timeZone: 'UTC', startHour: 0, endHour: 23 }],
            dncListIds: ['Legacy', 'dnc-1'],
            maxCallsPerDay: 3,
            concurrencyLimit: 1,
          },
        ],
      }),
    );
    const { state } = readStateFile(file);
    expect(state.complianceRules).toEqual([
      expect.objectContaining({ id: 'rule-000001', campaignId: 'cmp-1', dncListIds: ['dnc-1'] }),
    ]);
  });
});

describe('state file write-behind', () => {
  it('coalesces a burst of changes into few writes, never queued, and flush leaves the last one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxctl-sim-writer-'));
    try {
      const path = join(dir, 'state.json');
      let value = 0;
      let writes = 0;
      const writer = new StateWriter(
        path,
        () => {
          writes++;
          return JSON.stringify({ value });
        },
        (error) => {
          throw error;
        },
        20,
      );
      for (let i = 0; i < 200; i++) {
        value = i;
        writer.schedule();
        if (i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 30));
      }
      await writer.flush();
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ value: 199 });
      expect(writes).toBeLessThanOrEqual(10);
      expect(readdirSync(dir)).toEqual(['state.json']);
      const before = writes;
      await writer.flush();
      expect(writes).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
