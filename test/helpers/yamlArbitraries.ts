import fc from 'fast-check';

/** Characters that matter to YAML, for text-level mutations. */
const YAML_SIGNIFICANT = [
  ':',
  '-',
  ' ',
  '  ',
  '\n',
  '#',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '?',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '\\',
  '\t',
  '\r\n',
  '---\n',
  '...\n',
  '${env:HOME}',
  '${env:NOPE}',
  '<<: ',
  '~',
  'null',
  'true',
  '0x1F',
  '0o17',
  '1e3',
  '.inf',
  '-.5',
  '__proto__: 1',
  '"\\u00e9"',
  'é',
  '\u2028',
];

/** A scalar as YAML text: plain, quoted or numeric-looking. */
const scalarText = fc.oneof(
  fc.constantFrom(
    'RES_001',
    'Case Resolved',
    'Resolution',
    '300',
    '7201',
    'true',
    'False',
    'null',
    '~',
    '0o17',
    '0x1A',
    '1e3',
    '-2.5',
    '.nan',
    '-.inf',
    '"quoted: text"',
    "'single ''q'''",
    '"esc \\t \\u00e9"',
    'America/New_York',
    '1_000',
    '0b101',
    '+12',
    '012',
    '1.',
    'yes',
    'on',
    '${env:HOME}',
    '"${env:HOME:-x}"',
    '|\n    block\n    text',
    '>-\n    folded\n    text',
    'C# dev',
    'a #comment',
    '|+\n      keep "q" #x\n\n',
    '[a, "b, c", {d: e}]',
    '{a: [1, 2], b: "x"}',
    '2026-03-03T01:30:00Z',
    'plain\n    continued',
    'R & D',
    "Rock 'n roll",
    'say "hi"',
    '5 * 3',
    'Hi! there',
    'x &y *z !w',
    '"multi\n    line"',
    '- nested\n    - list',
    '$${env:HOME}',
    '${env:X:-dflt}',
    '[1, 2]',
    '{a: 1}',
    '[]',
    '{}',
    '""',
  ),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
);

const keyText = fc.constantFrom(
  'code',
  'name',
  'category',
  'duration',
  'isActive',
  'wrapUpCodes',
  'version',
  'a',
  'b',
  '"quoted key"',
  '1',
  'true',
  'null',
  '~',
  '0x10',
  '1.0',
  "'x'",
  'key with spaces',
);

/** Random YAML text shaped like manifests: block mappings and lists with scalars, two levels deep. */
export const yamlishText: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      keyText,
      fc.oneof(
        scalarText.map((s) => ` ${s}`),
        fc
          .array(fc.array(fc.tuple(keyText, scalarText), { maxLength: 4 }), { maxLength: 4 })
          .map(
            (items) =>
              '\n' +
              items
                .map((pairs) =>
                  pairs.length === 0
                    ? '  - x'
                    : pairs.map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`).join('\n'),
                )
                .join('\n'),
          ),
      ),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}:${v}`).join('\n') + '\n');

/** Several such documents, with comments, markers and optionally CRLF line ends. */
export const yamlishStream: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(yamlishText, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('---\n', '\n---\n', '...\n---\n', '--- # next\n'),
    fc.constantFrom('', '# yaml-language-server: $schema=x\n', '---\n', '# c\n\n'),
    fc.boolean(),
  )
  .map(([documents, separator, prefix, crlf]) => {
    const text = prefix + documents.join(separator);
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

/** A text mutation: insert a YAML-significant snippet, delete a range, or duplicate a line. */
export function mutateText(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .tuple(fc.nat(text.length), fc.constantFrom(...YAML_SIGNIFICANT))
      .map(([at, snippet]) => text.slice(0, at) + snippet + text.slice(at)),
    fc
      .tuple(fc.nat(text.length), fc.nat(8))
      .map(([at, length]) => text.slice(0, at) + text.slice(at + length)),
    fc.nat(Math.max(0, text.split('\n').length - 1)).map((line) => {
      const lines = text.split('\n');
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n');
    }),
  );
}

/** Manifest-like YAML text with up to three random mutations. */
export const mutatedYamlText: fc.Arbitrary<string> = yamlishStream.chain((text) =>
  fc.nat(3).chain((count) => {
    let arbitrary: fc.Arbitrary<string> = fc.constant(text);
    for (let i = 0; i < count; i++) arbitrary = arbitrary.chain(mutateText);
    return arbitrary;
  }),
);

/** Block scalars (`|`, `>`, chomping indicators) with irregular indentation, blank lines and comments. */
export const blockScalarText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '  ', '  - ', '- ', '    '),
    fc.constantFrom('|', '>', '|-', '>-', '|+', '>+', '| # c', '|2'),
    fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom('text', '# not a comment', '"q" \'s\'', 'a: b', '- x', '', '  ', 'end   '),
      ),
      { maxLength: 6 },
    ),
    fc.constantFrom('', 'next: 1\n', '  next: 1\n', '# trailing\n', '\n\n', '- y\n'),
    fc.boolean(),
  )
  .map(([prefix, header, lines, after, finalNewline]) => {
    const body = lines.map(([indent, text]) => ' '.repeat(indent) + text).join('\n');
    const text = `${prefix}key: ${header}\n${body}${finalNewline ? '\n' : ''}${after}`;
    return text;
  });
