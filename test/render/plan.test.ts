import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { assemblePlan } from '../../src/plan/assemble.js';
import { diffKind } from '../../src/plan/compute.js';
import type { Plan } from '../../src/plan/types.js';
import { renderPlanMarkdown } from '../../src/render/planMarkdown.js';
import { renderPlanText } from '../../src/render/planText.js';
import { CapturedStream } from '../helpers/capture.js';

const header = {
  target: { label: 'acme' },
  manifestDigest: 'm',
  prune: false as const,
  cxctlVersion: '0.0.0',
  createdAt: '2026-01-01T00:00:00.000Z',
};

function samplePlan(createCount = 1): Plan {
  const desired = Array.from({ length: createCount }, (_, i) => {
    const code = `NEW_${String(i).padStart(5, '0')}`;
    const fields = { code, name: `New ${i}`, category: 'Sales', duration: 60 };
    return {
      key: code,
      comparable: fields,
      body: fields,
      source: { file: 'manifests/a.yaml', line: 3 + i },
    };
  });
  const changed = { code: 'RES_002', name: 'Resolved', category: 'Resolution', duration: 420 };
  desired.push({
    key: 'RES_002',
    comparable: changed,
    body: changed,
    source: { file: 'manifests/b.yaml', line: 7 },
  });
  const wrapUpCode = diffKind({
    kind: 'wrapUpCode',
    desired,
    live: [
      {
        key: 'RES_002',
        comparable: { ...changed, duration: 300 },
        live: { id: 'w2', version: 3 },
        owned: true,
      },
      { key: 'OLD_1', comparable: { code: 'OLD_1' }, live: { id: 'w9', version: 1 }, owned: true },
    ],
    prune: false,
  });
  return assemblePlan(header, { wrapUpCode });
}

describe('text plan', () => {
  it('shows each change with its symbol, field-level old -> new, the summary and the digest', () => {
    const out = new CapturedStream();
    const plan = samplePlan();
    renderPlanText(plan, out, { color: new Chalk({ level: 0 }) });
    expect(out.text).toContain('+ wrap-up code NEW_00000  (manifests/a.yaml:3)');
    expect(out.text).toContain('+ duration = 60');
    expect(out.text).toContain('~ wrap-up code RES_002  (manifests/b.yaml:7)');
    expect(out.text).toContain('~ duration: 300 -> 420');
    expect(out.text).toContain('? wrap-up code OLD_1');
    expect(out.text).toContain('Plan: 1 to create, 1 to update, 0 to delete.');
    expect(out.text).toContain(`Plan digest: ${plan.digest}`);
    expect(out.text).not.toContain('\u001b[');
  });

  it('colours only when asked', () => {
    const out = new CapturedStream();
    renderPlanText(samplePlan(), out, { color: new Chalk({ level: 1 }) });
    expect(out.text).toContain('\u001b[32m');
  });
});

describe('markdown plan', () => {
  it('puts the summary table first, details per kind, and the digest', () => {
    const out = new CapturedStream();
    const plan = samplePlan();
    renderPlanMarkdown(plan, out);
    const text = out.text;
    expect(text.indexOf('| Kind |')).toBeLessThan(text.indexOf('<details>'));
    expect(text).toContain('| Wrap-up codes | 1 | 1 | 0 | 0 | 1 |');
    expect(text).toContain('<details><summary>Wrap-up codes: 1 to create, 1 to update</summary>');
    expect(text).toContain('!     duration: 300 -> 420');
    expect(text).toContain(`Plan digest: \`${plan.digest}\``);
    expect(text).not.toContain('Truncated');
  });

  it('stays under the limit with a truncation note, keeping the table and digest', () => {
    const out = new CapturedStream();
    const plan = samplePlan(5000);
    renderPlanMarkdown(plan, out);
    expect(out.text.length).toBeLessThanOrEqual(65_000);
    expect(out.text).toMatch(/Truncated:\*\* \d+ line\(s\) not shown/);
    expect(out.text).toContain('| Wrap-up codes | 5000 | 1 | 0 | 0 | 1 |');
    expect(out.text).toContain(`Plan digest: \`${plan.digest}\``);
  });

  it('uses a fence no value can close', () => {
    const fields = { code: 'X', name: 'has ``` inside' };
    const plan = assemblePlan(header, {
      wrapUpCode: diffKind({
        kind: 'wrapUpCode',
        desired: [{ key: 'X', comparable: fields, body: fields }],
        live: [],
        prune: false,
      }),
    });
    const out = new CapturedStream();
    renderPlanMarkdown(plan, out);
    expect(out.text).toContain('````diff');
  });
});
