/** `npm run generate:reference`: rewrite docs/manifest-reference.md from the schemas. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/packageRoot.js';
import { referenceDocument } from './referenceSections.js';

const path = join(packageRoot(), 'docs', 'manifest-reference.md');
writeFileSync(path, referenceDocument());
console.log(`wrote ${path}`);
