/**
 * Large manifest sets start reading live state before they are parsed (src/cli/liveReader.ts,
 * planRun.ts): the plan must be the one a small set gives, a broken set must still be reported
 * as such with nothing written, and a failed read must be reported as any other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EARLY_READ_THRESHOLD_BYTES, readLive, startsEarly } from '../../src/cli/liveReader.js';
import { silentLogger } from '../../src/util/log.js';
import { makeCodes } from '../cxone/harness.js';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';

const MANIFEST = `version: 1
wrapUpCodes:
  - { code: RES_001, name: Resolved, category: Resolution, duration: 300 }
complianceRules:
  - campaign: Spring Renewals
    name: US hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions: [{ timeZone: America/New_York, startHour: 8, endHour: 21 }]
    dncLists: [Internal DNC]
    maxCallsPerDay: 1
    concurrencyLimit: 5
`;

/** `text` grown past the early-read threshold with comment lines (the same desired state). */
function large(text: string): string {
  const line = `# ${'padding '.repeat(9)}\n`;
  const lines = Math.ceil(EARLY_READ_THRESHOLD_BYTES / line.length) + 1;
  const padded = text + line.repeat(lines);
  expect(startsEarly(Buffer.byteLength(padded))).toBe(true);
  return padded;
}

type PlanJson = { digest: string; changes: unknown[]; unmanaged: { key: string }[] };

let project: SimProject;
beforeAll(async () => {
  project = await startSimProject(
    { 'small/m.yaml': MANIFEST, 'large/m.yaml': large(MANIFEST) },
    {
      wrapUpCodes: [
        { code: 'RES_001', name: 'Resolved', category: 'Resolution', duration: 120 },
        { code: 'HAND', name: 'By hand', category: 'Sales', duration: 5 },
      ],
      complianceRules: [
        {
          campaignId: 'cmp-1',
          name: 'US hours',
          type: 'TIME_RESTRICTION',
          jurisdiction: 'US-FCC',
          timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour: 20 }],
          dncListIds: ['dnc-1'],
          maxCallsPerDay: 1,
          concurrencyLimit: 5,
        },
      ],
    },
  );
});
afterAll(async () => {
  await project.close();
});

describe('live state read before the parse (large manifest sets)', () => {
  it('only for sets of at least the threshold', () => {
    expect(startsEarly(EARLY_READ_THRESHOLD_BYTES - 1)).toBe(false);
    expect(startsEarly(EARLY_READ_THRESHOLD_BYTES)).toBe(true);
  });

  it('gives the plan a small set gives, with the same requests and no writes', async () => {
    const args = ['plan', '--format', 'json', '--detailed-exitcode'];
    project.sim.clearRequests();
    const small = await project.run(['plan', 'small', ...args.slice(1)]);
    const smallCounts = project.sim.requests().counts;
    project.sim.clearRequests();
    const early = await project.run(['plan', 'large', ...args.slice(1)]);
    expect(early.stderr).toBe('');
    expect(early.code).toBe(2);
    expect(small.code).toBe(2);
    expect(project.sim.requests().counts).toEqual(smallCounts);
    expect(smallCounts['POST /oauth/token']).toBe(1);
    const earlyPlan = JSON.parse(early.stdout) as PlanJson;
    const smallPlan = JSON.parse(small.stdout) as PlanJson;
    expect(earlyPlan.changes).toHaveLength(2);
    expect(JSON.stringify(earlyPlan.changes).replaceAll('large/', 'small/')).toBe(
      JSON.stringify(smallPlan.changes),
    );
    expect(earlyPlan.unmanaged).toMatchObject([{ kind: 'wrapUpCode', key: 'HAND' }]);
    expect(project.writes()).toEqual([]);
  });

  it('reads every page of a large tenant, in order', async () => {
    const saved = project.sim.state();
    project.sim.setState({ ...saved, wrapUpCodes: makeCodes(1_234) }); // 3 pages of 500
    try {
      const result = await project.run(['plan', 'large', '--format', 'json']);
      expect(result.stderr).toBe('');
      const plan = JSON.parse(result.stdout) as PlanJson;
      expect(plan.unmanaged.map((object) => object.key)).toEqual(
        makeCodes(1_234).map((code) => code.code),
      );
    } finally {
      project.sim.setState(saved);
    }
  });

  it('reports a broken large set as a broken small one, and writes nothing', async () => {
    const broken = MANIFEST.replace('duration: 300', 'duration: 0');
    project.write({ 'broken/m.yaml': large(broken), 'brokenSmall/m.yaml': broken });
    project.sim.clearRequests();
    const early = await project.run(['plan', 'broken', '--no-color']);
    const small = await project.run(['plan', 'brokenSmall', '--no-color']);
    expect(early.code).toBe(1);
    expect(early.stdout).toContain(
      'broken/m.yaml:3:70: error: duration must be between 1 and 7200',
    );
    expect(early.stdout.replaceAll('broken/', 'brokenSmall/')).toBe(small.stdout);
    expect(project.writes()).toEqual([]);
  });

  it('reports a failed read as the late read does, without secrets', async () => {
    const env = { CXONE_CLIENT_SECRET: 'wrong-secret-value' };
    const early = await project.run(['plan', 'large'], env);
    const late = await project.run(['plan', 'small'], env);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/^error: .*(credential|client|401|authenticat)/im);
    expect(early.stderr).toBe(late.stderr);
    expect(early.stderr).not.toContain('wrong-secret-value');
    expect(early.stderr).not.toContain('    at ');
  });

  it('stops when cancelled while the rules wait for the manifests', async () => {
    let asked: () => void = () => undefined;
    const referencesRead = new Promise<void>((resolve) => (asked = resolve));
    const reader = readLive({
      endpoint: {
        apiBase: project.sim.url,
        tokenUrl: project.sim.tokenUrl,
        clientId: project.sim.clientId,
        clientSecret: project.sim.clientSecret,
      },
      limits: { concurrency: 4, rateLimit: 1_000 },
      logger: silentLogger,
      // The manifests never become known: the rules would wait for ever.
      campaigns: () => {
        asked();
        return new Promise<never>(() => undefined);
      },
    });
    await referencesRead;
    await reader.cancel();
    await expect(reader.live).rejects.toThrow();
  });
});
