import { describe, expect, it } from 'vitest';
import { decodeManifestBytes } from '../../src/manifest/decode.js';
import { forbiddenCharacter } from '../../src/manifest/streamCharacters.js';

describe('characters YAML forbids in a stream (c-printable)', () => {
  it('allows TAB, LF, CR, printable ASCII, NEL, and everything from U+00A0 but U+FFFE/U+FFFF', () => {
    const allowed = 'a\tb\r\nc ~ \u0085 \u00a0 é \ud7ff \ue000 \ufeff \ufffd 😀 \u{10ffff}';
    expect(forbiddenCharacter(allowed)).toBeUndefined();
  });

  it('finds C0 controls, DEL, C1 controls, lone surrogates and U+FFFE/U+FFFF, first one wins', () => {
    const cases: [string, number, string][] = [
      ['ab\0', 2, 'U+0000 (NUL)'],
      ['\u0007', 0, 'U+0007 (BEL)'],
      ['x: "\u001b[2J"', 4, 'U+001B (ESC)'],
      ['\u000b', 0, 'U+000B (VT)'],
      ['del\u007f', 3, 'U+007F (DEL)'],
      ['\u0080', 0, 'U+0080 (a C1 control character)'],
      ['ok \u009f', 3, 'U+009F (a C1 control character)'],
      ['😀\ud800x', 2, 'U+D800 (a lone surrogate)'],
      ['x\udc00', 1, 'U+DC00 (a lone surrogate)'],
      ['\ufffe', 0, 'U+FFFE (a noncharacter)'],
      ['a\uffffb\u0000', 1, 'U+FFFF (a noncharacter)'],
    ];
    for (const [text, offset, name] of cases) {
      expect(forbiddenCharacter(text)).toEqual({ offset, name });
    }
  });

  it('is checked when bytes are decoded, at line and column', () => {
    const bytes = Buffer.from('version: 1\nwrapUpCodes:\n  # bell \u0007 here\n', 'utf8');
    expect(decodeManifestBytes('a.yaml', bytes)).toEqual({
      ok: false,
      code: 'file.character',
      message:
        'a.yaml holds the character U+0007 (BEL), which is not allowed (YAML forbids it anywhere in a file)',
      hint: 'remove it (control characters, U+FFFE and U+FFFF are refused anywhere in the file, comments included)',
      line: 3,
      column: 10,
    });
  });
});
