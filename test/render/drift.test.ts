import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { driftFromPlan } from '../../src/plan/drift.js';
import { renderDiagnosticsMarkdown, renderPlanStopText } from '../../src/render/diagnostics.js';
import { renderDriftMarkdown } from '../../src/render/driftMarkdown.js';
import { renderDriftText } from '../../src/render/driftText.js';
import { CapturedStream } from '../helpers/capture.js';
import { codesYaml, planTexts, stateOf } from '../helpers/planning.js';

function manyDrifted(count: number) {
  const codes = Array.from({ length: count }, (_u, i) => ({
    code: `C${String(i).padStart(5, '0')}`,
    name: `Name ${i}`,
    category: 'Sales',
    duration: 60,
  }));
  const state = stateOf({ wrapUpCodes: codes.map((code) => ({ ...code, duration: 61 })) });
  return driftFromPlan(planTexts({ 'm.yaml': codesYaml(codes) }, state).plan);
}

describe('drift renderers', () => {
  it('text lists each drifted field with its live and manifest value', () => {
    const out = new CapturedStream();
    renderDriftText(manyDrifted(2), out, new Chalk({ level: 0 }));
    expect(out.text).toContain('~ wrap-up code C00000  (m.yaml:3)');
    expect(out.text).toContain('      duration: live 61, manifest 60');
    expect(out.text).toContain('Drift: 2 changed, 0 missing, 0 not in manifests.');
  });

  it('markdown stays under the limit with a note, keeping the table', () => {
    const out = new CapturedStream();
    renderDriftMarkdown(manyDrifted(300), out, { limit: 4_000 });
    expect(out.text.length).toBeLessThanOrEqual(4_000);
    expect(out.text).toContain('| Wrap-up codes | 300 | 0 | 0 |');
    expect(out.text).toMatch(
      /> \*\*Truncated\*\* to stay under GitHub's comment limit \(changed outside the manifests: \d+ of 300 objects not shown\)\. Run `cxctl drift --format json`/,
    );
  });
});

describe('diagnostics renderers', () => {
  const diagnostics = [
    {
      severity: 'error' as const,
      code: 'reference.campaignUnknown',
      message: 'compliance rule "x" names campaign "a|b*c", which does not exist',
      file: 'm.yaml',
      line: 3,
      column: 15,
      hint: 'did you mean "a|b"?',
    },
  ];

  it('text says where, what and what to do, and that nothing was planned', () => {
    const out = new CapturedStream();
    renderPlanStopText(diagnostics, out, new Chalk({ level: 0 }));
    expect(out.text).toBe(
      'm.yaml:3:15: error: compliance rule "x" names campaign "a|b*c", which does not exist [reference.campaignUnknown]\n' +
        '  hint: did you mean "a|b"?\n' +
        '1 error, 0 warnings; nothing was planned\n',
    );
  });

  it('markdown escapes what would break a list item', () => {
    const out = new CapturedStream();
    renderDiagnosticsMarkdown('cxctl plan failed', diagnostics, out);
    expect(out.text).toContain('### cxctl plan failed');
    expect(out.text).toContain('names campaign "a\\|b\\*c"');
  });
});
