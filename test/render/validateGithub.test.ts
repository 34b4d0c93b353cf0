import { describe, expect, it } from 'vitest';
import {
  escapeData,
  escapeProperty,
  renderValidateGithub,
} from '../../src/render/validateGithub.js';
import { CapturedStream } from '../helpers/capture.js';

describe('GitHub workflow command escaping', () => {
  it('escapes %, CR and LF in messages, as @actions/core does', () => {
    expect(escapeData('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext: a, b');
  });

  it('also escapes : and , in properties', () => {
    expect(escapeProperty('dir,x/a:b%.yaml\n')).toBe('dir%2Cx/a%3Ab%25.yaml%0A');
  });

  it('renders one annotation per diagnostic and a summary', () => {
    const out = new CapturedStream();
    renderValidateGithub(
      {
        ok: false,
        summary: { files: 1, errors: 1, warnings: 1, wrapUpCodes: 0, complianceRules: 0 },
        digest: null,
        diagnostics: [
          {
            severity: 'error',
            code: 'c.one',
            message: 'bad: 100%',
            file: 'a.yaml',
            line: 2,
            column: 3,
          },
          {
            severity: 'warning',
            code: 'c.two',
            message: 'meh',
            file: 'a.yaml',
            line: 4,
            column: 1,
            hint: 'fix\nit',
          },
        ],
      },
      out,
    );
    expect(out.text).toBe(
      '::error file=a.yaml,line=2,col=3,title=cxctl validate%3A c.one::bad: 100%25\n' +
        '::warning file=a.yaml,line=4,col=1,title=cxctl validate%3A c.two::meh%0Ahint: fix%0Ait\n' +
        'cxctl validate: 1 error(s), 1 warning(s) in 1 file(s)\n',
    );
  });
});
