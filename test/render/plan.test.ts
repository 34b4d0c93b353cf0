import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { assemblePlan } from '../../src/plan/assemble.js';
import { diffKind } from '../../src/plan/compute.js';
import type { ComplianceRuleFields, WrapUpCodeFields } from '../../src/cxone/types.js';
import type { Plan } from '../../src/plan/types.js';
import { comparableWrapUpCode, wrapUpCodePrune } from '../../src/kinds/wrapUpCodes.js';
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

/**
 * A code with only the fields these plans show: renderers read the field changes, never the
 * rest of the comparable form or the body.
 */
function shown(fields: Partial<WrapUpCodeFields>): WrapUpCodeFields {
  return fields as WrapUpCodeFields;
}

function samplePlan(createCount = 1): Plan {
  const desired = Array.from({ length: createCount }, (_, i) => {
    const code = `NEW_${String(i).padStart(5, '0')}`;
    const fields = shown({ code, name: `New ${i}`, category: 'Sales', duration: 60 });
    return {
      key: code,
      comparable: fields,
      body: fields,
      source: { file: 'manifests/a.yaml', line: 3 + i },
    };
  });
  const changed = shown({
    code: 'RES_002',
    name: 'Resolved',
    category: 'Resolution',
    duration: 420,
  });
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

/** `count` codes renamed (OLD_ pruned by deactivation, NEW_ created) and a rule's endHour 21 -> 20. */
function renamedCodesAndOneRuleChange(count: number): Plan {
  const desired = Array.from({ length: count }, (_, i) => {
    const code = `NEW_${String(i).padStart(5, '0')}`;
    const fields = shown({ code, name: `Renamed ${i}`, category: 'Sales', duration: 60 });
    return { key: code, comparable: fields, body: fields, source: { file: 'codes.yaml', line: i } };
  });
  const live = Array.from({ length: count }, (_, i) => {
    const code = `OLD_${String(i).padStart(5, '0')}`;
    return {
      key: code,
      comparable: comparableWrapUpCode({
        code,
        name: `Renamed ${i}`,
        category: 'Sales',
        duration: 60,
        isActive: true,
        isDefault: false,
      }),
      live: { id: `w${i}`, version: 1 },
      owned: true,
    };
  });
  const wrapUpCode = diffKind({
    kind: 'wrapUpCode',
    desired,
    live,
    prune: 'deactivate',
    pruneBehaviour: wrapUpCodePrune,
  });
  const rule = (endHour: number) => ({
    name: 'US-FCC calling hours',
    type: 'TIME_RESTRICTION',
    jurisdiction: 'US-FCC',
    timeZoneRestrictions: [{ timeZone: 'America/New_York', startHour: 8, endHour }],
    dncLists: ['Internal DNC'],
    maxCallsPerDay: 1,
    concurrencyLimit: 5,
    geographicExclusions: [],
  });
  const ruleBody = (endHour: number): ComplianceRuleFields => {
    const { dncLists: _dncLists, ...fields } = rule(endHour);
    return { ...fields, type: 'TIME_RESTRICTION', dncListIds: ['dnc-internal'] };
  };
  const key = 'Spring Renewals/US-FCC calling hours';
  const complianceRule = diffKind({
    kind: 'complianceRule',
    desired: [
      { key, comparable: rule(20), body: ruleBody(20), source: { file: 'rules.yaml', line: 2 } },
    ],
    live: [{ key, comparable: rule(21), live: { id: 'r1', version: 4 }, owned: true }],
    memberKeys: { timeZoneRestrictions: 'timeZone' },
    prune: 'deactivate',
  });
  return assemblePlan({ ...header, prune: 'deactivate' }, { wrapUpCode, complianceRule });
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
    expect(text).toContain('| Wrap-up codes | 1 | 1 | 0 | 0 | 0 | 1 |');
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
    expect(out.text).toMatch(
      /> \*\*Truncated\*\* to stay under GitHub's comment limit \(wrap-up codes: \d+ of 5001 changes not shown\)/,
    );
    expect(out.text).toMatch(/# \.\.\. \d+ more changes not shown\n/);
    expect(out.text).toContain('| Wrap-up codes | 5000 | 1 | 0 | 0 | 0 | 1 |');
    expect(out.text).toContain(`Plan digest: \`${plan.digest}\``);
  });

  it('shows a rule change in full beside 5,000 renamed codes, and names the kind it cut', () => {
    const plan = renamedCodesAndOneRuleChange(5000);
    expect(plan.counts).toMatchObject({ create: 5000, update: 1, delete: 0, deactivate: 5000 });
    const out = new CapturedStream();
    renderPlanMarkdown(plan, out);
    const text = out.text;
    expect(text.length).toBeLessThan(65_000);
    expect(text).toContain(
      '<details><summary>Compliance rules: 1 to update</summary>\n\n```diff\n' +
        '! compliance rule Spring Renewals/US-FCC calling hours  (rules.yaml:2)\n' +
        '!     timeZoneRestrictions[America/New_York].endHour: 21 -> 20\n```',
    );
    const note = /> \*\*Truncated\*\* to stay under GitHub's comment limit \((.*)\)\. (.*)\n/.exec(
      text,
    );
    expect(note?.[1]).toMatch(/^wrap-up codes: \d+ of 10000 changes not shown$/);
    expect(note?.[2]).toContain('`cxctl plan --format json`');
    expect(note?.[2]).toContain('--out');
    // The codes still take most of the room: the rule took only what it needed.
    const shownCodes = text.match(/^[+-] wrap-up code /gm)?.length ?? 0;
    expect(shownCodes).toBeGreaterThan(300);
    expect(text).toContain(
      '**Plan: 5000 to create, 1 to update, 0 to delete, 5000 to deactivate.**',
    );
    expect(text).toContain('| Wrap-up codes | 5000 | 0 | 0 | 5000 | 0 | 0 |');
    expect(text).toContain('Wrap-up codes: 5000 to create, 5000 to deactivate</summary>');
    const small = new CapturedStream();
    renderPlanMarkdown(renamedCodesAndOneRuleChange(2), small);
    expect(small.text).toContain(
      '- wrap-up code OLD_00000 (deactivate)\n!     isActive: true -> false\n',
    );
    expect(text).toContain(`Plan digest: \`${plan.digest}\``);
  });

  it('gives every cut section a share of the room, not only the first', () => {
    const plan = renamedCodesAndOneRuleChange(3000);
    const unmanaged = Array.from({ length: 3000 }, (_, i) => ({
      kind: 'wrapUpCode' as const,
      key: `LEFT_${String(i).padStart(5, '0')}`,
      liveId: `l${i}`,
    }));
    const out = new CapturedStream();
    renderPlanMarkdown({ ...plan, unmanaged }, out, { limit: 20_000 });
    const text = out.text;
    expect(text.length).toBeLessThanOrEqual(20_000);
    expect(text).toContain('timeZoneRestrictions[America/New_York].endHour: 21 -> 20');
    expect(text).toMatch(/^ {2}wrap-up code LEFT_00000$/m);
    expect(text).toMatch(/^\+ wrap-up code NEW_00000/m);
    expect(text).toMatch(
      /\(wrap-up codes: \d+ of 6000 changes not shown; not in manifests: \d+ of 3000 objects not shown\)/,
    );
  });

  it('uses a fence no value can close', () => {
    const fields = shown({ code: 'X', name: 'has ``` inside' });
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
