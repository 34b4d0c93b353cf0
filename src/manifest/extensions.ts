/**
 * The manifest extensions every command runs (see `ManifestExtension` in ./pipeline.ts): CRM
 * mappings, whose generated wrap-up codes join the explicit ones before the wrap-up code kind's
 * cross-file checks, and compliance test references. Listed here, apart from the pipeline, so the
 * order is visible in one place.
 */
import { complianceTestsExtension } from '../compliance/extension.js';
import { crmMappingsExtension } from '../crm/extension.js';
import type { ManifestExtension } from './pipelineTypes.js';

/** The default extensions of `buildDesiredState`, in the order they run. */
export const STANDARD_EXTENSIONS: readonly ManifestExtension[] = [
  crmMappingsExtension,
  complianceTestsExtension,
];
