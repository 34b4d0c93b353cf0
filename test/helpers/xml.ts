/**
 * A tiny strict XML 1.0 reader for tests: enough to prove a generated document is well-formed
 * (one root, balanced tags, quoted attributes without `<`, only the five predefined entities and
 * character references, no unique-attribute violations, only legal characters) and to make
 * structural assertions on it. It throws on anything else. No DTDs, comments, PIs beyond the
 * declaration, or CDATA: our documents do not use them.
 */

/** An element with its attributes, child elements and concatenated text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// XML 1.0 Char production, as a test for any character outside it.
const ILLEGAL_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(raw: string, where: number): string {
  return raw.replace(/&([^;]*);|&/g, (whole, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare & at offset ${where}`);
    if (body in ENTITIES) return ENTITIES[body] as string;
    const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if (numeric === null) throw new Error(`unknown entity ${whole} at offset ${where}`);
    const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    const char = String.fromCodePoint(codePoint);
    if (ILLEGAL_CHAR.test(char)) throw new Error(`reference to illegal character ${whole}`);
    return char;
  });
}

/** Parse a document; throws with an offset when it is not well-formed. */
export function parseXml(text: string): XmlElement {
  if (ILLEGAL_CHAR.test(text)) throw new Error('document contains a character XML forbids');
  let position = 0;
  const declaration = /^<\?xml version="1\.0"( encoding="UTF-8")?\?>\s*/.exec(text);
  if (declaration !== null) position = declaration[0].length;

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  while (position < text.length) {
    const next = text.indexOf('<', position);
    const chunk = text.slice(position, next === -1 ? text.length : next);
    if (stack.length === 0) {
      if (chunk.trim() !== '') throw new Error(`text outside the root at offset ${position}`);
    } else {
      if (chunk.includes('>') && chunk.includes(']]>'))
        throw new Error(`]]> in text at ${position}`);
      (stack[stack.length - 1] as XmlElement).text += decode(chunk, position);
    }
    if (next === -1) break;
    position = next;

    if (text.startsWith('</', position)) {
      const match = /^<\/([A-Za-z_:][A-Za-z0-9_:.-]*)\s*>/.exec(text.slice(position));
      if (match === null) throw new Error(`malformed end tag at offset ${position}`);
      const open = stack.pop();
      if (open === undefined || open.name !== match[1]) {
        throw new Error(
          `end tag </${match[1]}> does not match <${open?.name ?? ''}> at ${position}`,
        );
      }
      position += match[0].length;
      continue;
    }

    position += 1;
    const nameMatch = NAME.exec(text.slice(position));
    if (nameMatch === null) throw new Error(`malformed start tag at offset ${position}`);
    const element: XmlElement = { name: nameMatch[0], attributes: {}, children: [], text: '' };
    position += nameMatch[0].length;
    for (;;) {
      const rest = text.slice(position);
      const end = /^\s*(\/?)>/.exec(rest);
      if (end !== null) {
        position += end[0].length;
        if (stack.length === 0) {
          if (root !== undefined) throw new Error('more than one root element');
          root = element;
        } else {
          (stack[stack.length - 1] as XmlElement).children.push(element);
        }
        if (end[1] !== '/') stack.push(element);
        break;
      }
      const attribute = /^\s+([A-Za-z_:][A-Za-z0-9_:.-]*)="([^"<]*)"/.exec(rest);
      if (attribute === null) throw new Error(`malformed attribute at offset ${position}`);
      const [whole, key, value] = attribute as unknown as [string, string, string];
      if (key in element.attributes) throw new Error(`duplicate attribute ${key}`);
      // Literal whitespace in an attribute is normalised to spaces, as every parser does.
      element.attributes[key] = decode(value.replace(/[\t\n\r]/g, ' '), position);
      position += whole.length;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed element <${stack[stack.length - 1]?.name}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}
