import { buildDesiredState, type ManifestOptions } from '../../src/manifest/pipeline.js';

/** A source from text. */
export function source(file: string, text: string): { file: string; bytes: Uint8Array } {
  return { file, bytes: new TextEncoder().encode(text) };
}

/** Run the whole manifest pipeline over in-memory files. */
export function validateTexts(
  files: Record<string, string>,
  options: Partial<ManifestOptions> = {},
): ReturnType<typeof buildDesiredState> {
  return buildDesiredState(
    Object.entries(files).map(([file, text]) => source(file, text)),
    { env: {}, ...options },
  );
}

/** YAML of one wrap-up code list item. */
export function codeYaml(
  code: string,
  fields: Record<string, string | number | boolean> = {},
): string {
  const all = { name: `Name of ${code}`, category: 'Resolution', duration: 300, ...fields };
  return (
    `  - code: ${code}\n` +
    Object.entries(all)
      .map(
        ([key, value]) =>
          `    ${key}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}\n`,
      )
      .join('')
  );
}

/** A valid manifest with a few codes and one rule. */
export const VALID_MANIFEST = `# yaml-language-server: $schema=../schemas/manifest.schema.json
version: 1
wrapUpCodes:
  - code: RES_001
    name: Case Resolved
    category: Resolution
    duration: 300
    isDefault: true
  - code: SAL_002
    name: "Sale: upsell"
    category: Sales
    duration: 120
    isActive: false
    description: Upsell accepted
complianceRules:
  - campaign: Spring Renewals
    name: US-FCC calling hours
    type: TIME_RESTRICTION
    jurisdiction: US-FCC
    timeZoneRestrictions:
      - { timeZone: America/New_York, startHour: 8, endHour: 20 }
      - timeZone: America/Chicago
        startHour: 8
        endHour: 20
    dncLists: [Internal DNC]
    maxCallsPerDay: 1
    concurrencyLimit: 5
    geographicExclusions:
      - { latitude: 40.7128, longitude: -74.0060, radiusKm: 25 }
scope:
  campaigns: [Spring Renewals]
`;
