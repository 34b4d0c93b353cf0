import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/packageRoot.js';
import {
  renderSchemaReference,
  type ReferenceSection,
  type SchemaNode,
} from './schemaReference.js';

function schema(name: string): SchemaNode {
  return JSON.parse(
    readFileSync(join(packageRoot(), 'schemas', `${name}.schema.json`), 'utf8'),
  ) as SchemaNode;
}

/** The reference document as generated from the current schemas. */
export function referenceDocument(): string {
  const sections: ReferenceSection[] = [
    {
      heading: 'Manifest file',
      location: 'any *.yaml / *.yml under PATH',
      schema: schema('manifest'),
    },
    { heading: 'Wrap-up code', location: 'wrapUpCodes[]', schema: schema('wrap-up-code') },
    {
      heading: 'Compliance rule',
      location: 'complianceRules[]',
      schema: schema('compliance-rule'),
    },
    { heading: 'CRM mapping', location: 'crmMappings[]', schema: schema('crm-mapping') },
    {
      heading: 'Compliance test',
      location: 'complianceTests[]',
      schema: schema('compliance-test'),
    },
    { heading: 'Configuration file', location: 'cxctl.yaml', schema: schema('cxctl') },
  ];
  return renderSchemaReference(sections);
}
