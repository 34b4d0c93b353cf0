/**
 * Ownership (docs/plan.md, "Scope and ownership"): which live objects the manifests own, and so
 * may change, report as "not in manifests", and prune.
 *
 * By default the manifests own every wrap-up code of the tenant (as a DNS zone file owns its zone)
 * and every compliance rule in the campaigns they mention. `scope.wrapUpCodes` narrows the codes
 * (`codePrefix` and/or `categories`, both must match); `scope.campaigns` names the owned campaigns
 * exactly. Objects outside scope are never changed. Pure.
 */
import type { ReferenceIndex } from '../kinds/references.js';
import type { ManifestScope } from '../manifest/types.js';
import type { Located, ManifestPointer, PendingDiagnostic } from '../manifest/types.js';

/** The scope with names resolved against the tenant. */
export interface ResolvedScope {
  wrapUpCodes: {
    codePrefix?: string;
    categories?: ReadonlySet<string>;
  };
  /** Campaign ids named by `scope.campaigns`; absent: the campaigns the manifests mention. */
  campaigns?: ReadonlySet<string>;
  /** Where `scope` is declared, for messages. */
  at?: ManifestPointer;
}

/** The default: everything the manifests can own. */
export const UNSCOPED: ResolvedScope = { wrapUpCodes: {} };

/**
 * Resolve `scope` against the tenant: categories must exist, campaigns (names or ids) must exist
 * and be unambiguous. Unresolvable entries are diagnostics and are left out.
 */
export function resolveScope(
  scope: Located<ManifestScope> | undefined,
  refs: ReferenceIndex,
): { scope: ResolvedScope; diagnostics: PendingDiagnostic[] } {
  if (!scope) return { scope: UNSCOPED, diagnostics: [] };
  const diagnostics: PendingDiagnostic[] = [];
  const at = (...path: string[]): ManifestPointer => ({
    file: scope.at.file,
    document: scope.at.document,
    path: ['scope', ...path],
  });
  const resolved: ResolvedScope = { wrapUpCodes: {}, at: at() };
  const codes = scope.value.wrapUpCodes;
  if (codes?.codePrefix !== undefined) resolved.wrapUpCodes.codePrefix = codes.codePrefix;
  if (codes?.categories !== undefined) {
    for (const category of codes.categories) {
      if (refs.hasCategory(category)) continue;
      const suggestion = refs.suggestCategory(category);
      diagnostics.push({
        severity: 'error',
        code: 'scope.unknownCategory',
        message: `scope.wrapUpCodes.categories names category ${JSON.stringify(category)}, which does not exist in the tenant`,
        at: at('wrapUpCodes', 'categories'),
        hint:
          suggestion !== undefined
            ? `did you mean ${JSON.stringify(suggestion)}?`
            : 'category names are case-sensitive; cxctl export lists the existing ones',
      });
    }
    resolved.wrapUpCodes.categories = new Set(codes.categories);
  }
  if (scope.value.campaigns !== undefined) {
    const ids = new Set<string>();
    for (const campaign of scope.value.campaigns) {
      const resolution = refs.resolveCampaign(campaign);
      if (resolution.ok) {
        ids.add(resolution.value.id);
        continue;
      }
      diagnostics.push(
        referenceProblem('campaign', campaign, resolution, at('campaigns'), 'scope.campaigns'),
      );
    }
    resolved.campaigns = ids;
  }
  return { scope: resolved, diagnostics };
}

/** True when the scope owns a wrap-up code with this code and category. */
export function ownsWrapUpCode(
  scope: ResolvedScope,
  code: { code: string; category: string },
): boolean {
  const { codePrefix, categories } = scope.wrapUpCodes;
  if (codePrefix !== undefined && !code.code.startsWith(codePrefix)) return false;
  if (categories !== undefined && !categories.has(code.category)) return false;
  return true;
}

/** How messages describe the wrap-up code scope, e.g. `codes starting with "SF_" in Sales`. */
export function describeWrapUpCodeScope(scope: ResolvedScope): string {
  const { codePrefix, categories } = scope.wrapUpCodes;
  const parts: string[] = [];
  if (codePrefix !== undefined) parts.push(`codes starting with ${JSON.stringify(codePrefix)}`);
  if (categories !== undefined) {
    parts.push(
      `in ${categories.size === 1 ? 'category' : 'categories'} ${[...categories].map((c) => JSON.stringify(c)).join(', ')}`,
    );
  }
  return parts.length === 0 ? 'every wrap-up code' : parts.join(' ');
}

/**
 * The diagnostic for a campaign or DNC list name that did not resolve: unknown (with "did you
 * mean") or ambiguous (several objects share the name: use the id).
 */
export function referenceProblem(
  noun: 'campaign' | 'DNC list',
  text: string,
  resolution:
    | { ok: false; reason: 'unknown'; suggestion?: string }
    | { ok: false; reason: 'ambiguous'; candidates: { id: string }[] },
  at: ManifestPointer,
  context: string,
): PendingDiagnostic {
  const code = noun === 'campaign' ? 'reference.campaign' : 'reference.dncList';
  if (resolution.reason === 'ambiguous') {
    const ids = resolution.candidates.map((candidate) => candidate.id).join(', ');
    return {
      severity: 'error',
      code: `${code}Ambiguous`,
      message: `${context} names ${noun} ${JSON.stringify(text)}, but ${resolution.candidates.length} ${noun}s have that name (${ids})`,
      at,
      hint: `name the ${noun} by its id instead`,
    };
  }
  return {
    severity: 'error',
    code: `${code}Unknown`,
    message: `${context} names ${noun} ${JSON.stringify(text)}, which does not exist in the tenant`,
    at,
    hint:
      resolution.suggestion !== undefined
        ? `did you mean ${JSON.stringify(resolution.suggestion)}?`
        : `use the name or id of an existing ${noun} (cxctl export lists them)`,
  };
}
