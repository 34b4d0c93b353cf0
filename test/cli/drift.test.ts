import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriftReport } from '../../src/plan/drift.js';
import { startSimProject, type SimProject } from '../helpers/cliSim.js';
import { Receiver } from '../notify/helpers.js';

const projects: SimProject[] = [];
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const started of projects.splice(0)) {
    expect(started.writes()).toEqual([]);
    await started.close();
  }
  for (const receiver of receivers.splice(0)) await receiver.close();
});

const MANIFEST = `version: 1
wrapUpCodes:
  - { code: RES_001, name: Case Resolved, category: Resolution, duration: 300 }
  - { code: SAL_001, name: Sale, category: Sales, duration: 600 }
`;

async function driftedProject(): Promise<SimProject> {
  const started = await startSimProject(
    { 'manifests/codes.yaml': MANIFEST },
    {
      wrapUpCodes: [
        { code: 'RES_001', name: 'Case Resolved', category: 'Resolution', duration: 120 },
        { code: 'TEMP_FIX', name: 'By hand', category: 'Service', duration: 60 },
      ],
    },
  );
  projects.push(started);
  return started;
}

describe('cxctl drift', () => {
  it('exits 2 on drift and sends a signed drift.detected webhook', async () => {
    const started = await driftedProject();
    const receiver = await Receiver.start();
    receivers.push(receiver);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const result = await started.run(['drift', '--no-color'], {
      WEBHOOK_URL: receiver.url(),
      WEBHOOK_SECRET: secret,
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('~ wrap-up code RES_001  (manifests/codes.yaml:3)');
    expect(result.stdout).toContain('duration: live 120, manifest 300');
    expect(result.stdout).toContain('+ wrap-up code SAL_001');
    expect(result.stdout).toContain('? wrap-up code TEMP_FIX');
    expect(result.stdout).toContain('Drift: 1 changed, 1 missing, 1 not in manifests.');
    expect(result.stdout + result.stderr).not.toContain(secret);

    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    expect(request.headers['x-webhook-source']).toBe('cxctl');
    const event = new Webhook(secret).verify(request.body, request.headers) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(event.type).toBe('drift.detected');
    expect(event.data).toMatchObject({
      target: started.sim.url,
      counts: { drifted: 1, missing: 1, unmanaged: 1 },
      drifted: [
        {
          kind: 'wrapUpCode',
          key: 'RES_001',
          fields: [{ path: '/duration', live: 120, desired: 300 }],
        },
      ],
      missing: [{ kind: 'wrapUpCode', key: 'SAL_001' }],
      unmanaged: [{ kind: 'wrapUpCode', key: 'TEMP_FIX' }],
    });
  });

  it('exits 0 and sends nothing when live matches the manifests', async () => {
    const started = await startSimProject(
      { 'manifests/codes.yaml': MANIFEST },
      {
        wrapUpCodes: [
          { code: 'RES_001', name: 'Case Resolved', category: 'Resolution', duration: 300 },
          { code: 'SAL_001', name: 'Sale', category: 'Sales', duration: 600 },
        ],
      },
    );
    projects.push(started);
    const receiver = await Receiver.start();
    receivers.push(receiver);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const result = await started.run(['drift', '--no-color'], {
      WEBHOOK_URL: receiver.url(),
      WEBHOOK_SECRET: secret,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`No drift. ${started.sim.url} matches the manifests.\n`);
    expect(receiver.requests).toHaveLength(0);
  });

  it('prints the report as JSON and as markdown', async () => {
    const started = await driftedProject();
    const json = await started.run(['drift', '--format', 'json']);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as DriftReport;
    expect(report).toMatchObject({
      formatVersion: 1,
      hasDrift: true,
      counts: { drifted: 1, missing: 1, unmanaged: 1 },
      drifted: [{ key: 'RES_001', fields: [{ path: 'duration', live: 120, desired: 300 }] }],
    });
    expect(report.planDigest).toMatch(/^[0-9a-f]{64}$/);
    const markdown = await started.run(['drift', '--format', 'markdown']);
    expect(markdown.code).toBe(2);
    expect(markdown.stdout).toContain(`### cxctl drift for \`${started.sim.url}\``);
    expect(markdown.stdout).toContain('| Wrap-up codes | 1 | 1 | 1 |');
    expect(markdown.stdout).toContain('!     duration: live 120, manifest 300');
  });

  it('writes Prometheus metrics for scheduled jobs, also when the run fails', async () => {
    const started = await driftedProject();
    const drifted = await started.run(['drift', '--metrics-file', 'drift.prom']);
    expect(drifted.code).toBe(2);
    const text = readFileSync(join(started.root, 'drift.prom'), 'utf8');
    const label = `command="drift",target="${started.sim.url}"`;
    expect(text).toContain('# TYPE cxctl_drift_objects gauge');
    expect(text).toContain(`cxctl_drift_objects{${label},kind="wrapUpCode",state="drifted"} 1`);
    expect(text).toContain(`cxctl_drift_objects{${label},kind="complianceRule",state="missing"} 0`);
    expect(text).toContain(`cxctl_last_run_success{${label}} 1`);

    started.write({ 'manifests/codes.yaml': 'wrapUpCodes: [{ code: x }]\n' });
    const failed = await started.run(['drift', '--metrics-file', 'drift.prom']);
    expect(failed.code).toBe(1);
    expect(readFileSync(join(started.root, 'drift.prom'), 'utf8')).toContain(
      'cxctl_last_run_success{command="drift"} 0',
    );
  });
});
