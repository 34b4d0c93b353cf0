/**
 * `cxctl export`: live state written as manifests, so an existing tenant can be adopted.
 *
 * Deterministic: the same live state always gives the same bytes. Objects are sorted (codes by
 * code, rules by name), fields are written in a fixed order with defaults left out, campaigns and
 * DNC lists by name (by id where a name is shared or could be read as another object's id), order-
 * free lists sorted. Layout: `wrap-up-codes.yaml` (split into numbered files above
 * {@link CODES_PER_FILE} codes, so no file nears the loader's size limit) and one
 * `compliance-rules/<campaign-slug>.yaml` per campaign that has rules. Planning the exported files
 * against the same tenant gives an empty plan. Pure: returns file paths and texts.
 */
import type { Document } from 'yaml';
import { complianceRulesLive } from '../kinds/complianceRules.js';
import { ReferenceIndex } from '../kinds/references.js';
import { compareStrings } from '../kinds/types.js';
import { wrapUpCodesLive } from '../kinds/wrapUpCodes.js';
import { yamlLib } from '../manifest/yamlLib.js';
import type { LiveState } from '../plan/build.js';

/** Most wrap-up codes in one exported file (about 8 MiB with long descriptions). */
export const CODES_PER_FILE = 50_000;

/** One file to write: a relative path with `/` separators, and its text. */
export interface ExportedFile {
  path: string;
  text: string;
}

/** What an export contains. */
export interface ExportResult {
  files: ExportedFile[];
  counts: { wrapUpCodes: number; complianceRules: number; campaigns: number };
}

/** The live state as manifest files. */
export function exportManifests(live: LiveState, options: { cxctlVersion: string }): ExportResult {
  const refs = new ReferenceIndex(live.references);
  const modeline = `# yaml-language-server: $schema=https://unpkg.com/cxctl@${options.cxctlVersion}/schemas/manifest.schema.json\n`;
  const files: ExportedFile[] = [];

  const codes = [...live.wrapUpCodes].sort((a, b) => compareStrings(a.code, b.code));
  const chunks = Math.max(1, Math.ceil(codes.length / CODES_PER_FILE));
  if (codes.length > 0) {
    for (let chunk = 0; chunk < chunks; chunk++) {
      const part = codes.slice(chunk * CODES_PER_FILE, (chunk + 1) * CODES_PER_FILE);
      const name =
        chunks === 1
          ? 'wrap-up-codes.yaml'
          : `wrap-up-codes-${String(chunk + 1).padStart(2, '0')}.yaml`;
      files.push({
        path: name,
        text:
          modeline +
          `# Wrap-up codes${chunks === 1 ? '' : ` (part ${chunk + 1} of ${chunks})`}, written by cxctl export.\n` +
          yamlText({
            version: 1,
            wrapUpCodes: part.map((code) => wrapUpCodesLive.exportItem(code, refs)),
          }),
      });
    }
  }

  const rulesByCampaign = new Map<string, typeof live.complianceRules>();
  for (const rule of live.complianceRules) {
    const rules = rulesByCampaign.get(rule.campaignId);
    if (rules) rules.push(rule);
    else rulesByCampaign.set(rule.campaignId, [rule]);
  }
  const campaignIds = [...rulesByCampaign.keys()].sort(compareStrings);
  const slugs = campaignSlugs(campaignIds, refs);
  for (const campaignId of campaignIds) {
    const rules = rulesByCampaign.get(campaignId)!.sort((a, b) => compareStrings(a.name, b.name));
    const campaign = refs.campaignById(campaignId);
    const title = campaign ? `${JSON.stringify(campaign.name)} (${campaignId})` : campaignId;
    files.push({
      path: `compliance-rules/${slugs.get(campaignId)!}.yaml`,
      text:
        modeline +
        `# Compliance rules of campaign ${title}, written by cxctl export.\n` +
        yamlText({
          version: 1,
          complianceRules: rules.map((rule) => complianceRulesLive.exportItem(rule, refs)),
        }),
    });
  }
  files.sort((a, b) => compareStrings(a.path, b.path));
  return {
    files,
    counts: {
      wrapUpCodes: codes.length,
      complianceRules: live.complianceRules.length,
      campaigns: campaignIds.length,
    },
  };
}

/**
 * File names for campaigns: the name in lower case with runs of other characters as `-`
 * (`Spring Renewals` -> `spring-renewals`); campaigns whose slugs collide get their id appended.
 */
export function campaignSlugs(
  campaignIds: readonly string[],
  refs: ReferenceIndex,
): Map<string, string> {
  const base = new Map<string, string>();
  const uses = new Map<string, number>();
  for (const id of campaignIds) {
    const slug = slugify(refs.campaignById(id)?.name ?? id) || slugify(id) || 'campaign';
    base.set(id, slug);
    uses.set(slug, (uses.get(slug) ?? 0) + 1);
  }
  const result = new Map<string, string>();
  for (const id of campaignIds) {
    const slug = base.get(id)!;
    result.set(id, uses.get(slug)! > 1 ? `${slug}-${slugify(id) || 'id'}` : slug);
  }
  return result;
}

function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/**
 * Manifest strings go through `${env:...}` interpolation, so a live value holding `${` is written
 * as `$${`, which reads back as the literal text.
 */
function escapeInterpolation(value: unknown): unknown {
  // split/join: in a replacement string `$$` would itself mean one `$`.
  if (typeof value === 'string') return value.split('${').join('$${');
  if (Array.isArray(value)) return value.map(escapeInterpolation);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, member]) => [key, escapeInterpolation(member)]),
    );
  }
  return value;
}

/**
 * YAML in the style of the shipped examples: block mappings and lists, time-zone restrictions and
 * exclusions as one-line flow mappings, DNC lists as a one-line flow list, no line folding.
 */
function yamlText(content: Record<string, unknown>): string {
  const yaml = yamlLib();
  const document: Document = new yaml.Document(escapeInterpolation(content));
  yaml.visit(document, {
    Seq(_key, node, path) {
      const parent = path[path.length - 1];
      if (!yaml.isPair(parent) || !yaml.isScalar(parent.key)) return;
      const name = parent.key.value;
      if (name === 'dncLists') node.flow = true;
      if (name === 'timeZoneRestrictions' || name === 'geographicExclusions') {
        for (const item of node.items) if (yaml.isMap(item)) item.flow = true;
      }
    },
  });
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}
