/**
 * Renders the manifest and configuration reference (docs/manifest-reference.md) from the JSON
 * Schemas, so the documentation can never disagree with what `cxctl validate` enforces. A test
 * compares the committed file with this output; `npm run generate:reference` rewrites it.
 */

/** The subset of JSON Schema the reference reads. */
export interface SchemaNode {
  title?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
}

/** One section of the reference: a schema and the manifest path its objects live at. */
export interface ReferenceSection {
  heading: string;
  /** Where objects of this schema appear, e.g. `wrapUpCodes[]`. */
  location: string;
  schema: SchemaNode;
}

interface Row {
  field: string;
  type: string;
  required: boolean;
  rules: string;
  description: string;
}

/** The whole reference document. */
export function renderSchemaReference(sections: readonly ReferenceSection[]): string {
  const parts = [
    '# Manifest and configuration reference',
    '',
    '<!-- Generated from schemas/*.schema.json by `npm run generate:reference`; do not edit by hand. -->',
    '',
    'Every field cxctl reads, with the rules `cxctl validate` enforces. Editors that use the YAML',
    'language server show the same text as completion and hover help (see the `# yaml-language-server:`',
    'modeline at the top of each manifest).',
    '',
  ];
  for (const section of sections) {
    parts.push(`## ${section.heading}`, '', `Location: \`${section.location}\``, '');
    if (section.schema.description) parts.push(section.schema.description, '');
    parts.push('| Field | Type | Required | Rules | Description |', '|---|---|---|---|---|');
    for (const row of rows(section.schema, section.schema, '')) {
      parts.push(
        `| \`${row.field}\` | ${row.type} | ${row.required ? 'yes' : ''} | ${cell(row.rules)} | ${cell(row.description)} |`,
      );
    }
    parts.push('');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

function rows(root: SchemaNode, node: SchemaNode, prefix: string): Row[] {
  const result: Row[] = [];
  const required = new Set(node.required ?? []);
  for (const [name, raw] of Object.entries(node.properties ?? {})) {
    const property = resolve(root, raw);
    const field = `${prefix}${name}`;
    result.push({
      field,
      type: typeOf(root, property),
      required: required.has(name),
      rules: rulesOf(property),
      description: property.description ?? property.title ?? '',
    });
    for (const child of children(root, property))
      result.push(...rows(root, child.node, `${field}${child.suffix}.`));
  }
  return result;
}

/** Nested objects to document: object properties, array items, map values, and variants. */
function children(root: SchemaNode, node: SchemaNode): { suffix: string; node: SchemaNode }[] {
  const found: { suffix: string; node: SchemaNode }[] = [];
  if (node.properties) found.push({ suffix: '', node });
  const items = node.items ? resolve(root, node.items) : undefined;
  if (items?.properties) found.push({ suffix: '[]', node: items });
  for (const variant of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
    const resolved = resolve(root, variant);
    if (resolved.items) {
      const variantItems = resolve(root, resolved.items);
      if (variantItems.properties) found.push({ suffix: '[]', node: variantItems });
    }
  }
  if (typeof node.additionalProperties === 'object') {
    const values = resolve(root, node.additionalProperties);
    if (values.properties) found.push({ suffix: '.<name>', node: values });
    for (const variant of values.oneOf ?? values.anyOf ?? []) {
      const resolved = resolve(root, variant);
      if (resolved.properties) found.push({ suffix: '.<name>', node: resolved });
    }
  }
  return found;
}

function resolve(root: SchemaNode, node: SchemaNode): SchemaNode {
  if (!node.$ref?.startsWith('#/$defs/')) return node;
  const target = root.$defs?.[node.$ref.slice('#/$defs/'.length)];
  return target ? { ...target, ...withoutRef(node) } : node;
}

function withoutRef(node: SchemaNode): SchemaNode {
  const { $ref: _ref, ...rest } = node;
  return rest;
}

function typeOf(root: SchemaNode, node: SchemaNode): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  const variants = node.oneOf ?? node.anyOf;
  if (variants)
    return [...new Set(variants.map((v) => typeOf(root, resolve(root, v))))].join(' or ');
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  if (types.length === 0 && node.enum) return 'string';
  return types
    .filter((type) => type !== 'null')
    .map((type) => {
      if (type !== 'array' || !node.items) return type;
      const items = resolve(root, node.items);
      // Items defined in another schema file are documented in their own section.
      const external = items.$ref !== undefined && !items.$ref.startsWith('#');
      return `list of ${items.properties || external ? 'objects' : typeOf(root, items)}`;
    })
    .join(' or ');
}

function rulesOf(node: SchemaNode): string {
  const rules: string[] = [];
  if (node.enum) rules.push(`one of ${node.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (node.minimum !== undefined && node.maximum !== undefined)
    rules.push(`${node.minimum}..${node.maximum}`);
  else if (node.minimum !== undefined) rules.push(`>= ${node.minimum}`);
  else if (node.maximum !== undefined) rules.push(`<= ${node.maximum}`);
  if (node.exclusiveMinimum !== undefined) rules.push(`> ${node.exclusiveMinimum}`);
  if (node.minLength !== undefined && node.maxLength !== undefined) {
    rules.push(`${node.minLength}..${node.maxLength} characters`);
  } else if (node.maxLength !== undefined) rules.push(`at most ${node.maxLength} characters`);
  else if (node.minLength !== undefined && node.minLength > 1)
    rules.push(`at least ${node.minLength} characters`);
  if (node.minItems !== undefined)
    rules.push(`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
  if (node.pattern) rules.push(`pattern \`${node.pattern}\``);
  if (node.format) rules.push(`format ${node.format}`);
  if (node.default !== undefined) rules.push(`default \`${JSON.stringify(node.default)}\``);
  return rules.join('; ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}
