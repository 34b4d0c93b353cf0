import type { Diagnostic } from '../../src/diagnostics.js';
import { rawItemLookup } from '../../src/cli/desiredState.js';
import type { KindDefaults } from '../../src/kinds/types.js';
import { buildPlan, type LiveState, type PlanOutcome } from '../../src/plan/build.js';
import type { PruneMode } from '../../src/plan/types.js';
import { buildState, DEFAULT_SEED } from '../../src/simulator/seed.js';
import type { SimulatorSeed, SimulatorState } from '../../src/simulator/state.js';
import { validateTexts } from './manifests.js';

/** A simulator state from a seed (the default tenant's categories, campaigns and lists by default). */
export function stateOf(seed: SimulatorSeed = {}): SimulatorState {
  const built = buildState({
    categories: DEFAULT_SEED.categories,
    campaigns: DEFAULT_SEED.campaigns,
    dncLists: DEFAULT_SEED.dncLists,
    ...seed,
  });
  if (!built.ok) throw new Error(`bad seed: ${JSON.stringify(built.errors)}`);
  return built.state;
}

/** The live state a plan reads, from a simulator state. */
export function liveOf(state: SimulatorState): LiveState {
  return {
    references: {
      categories: state.categories,
      campaigns: state.campaigns,
      dncLists: state.dncLists,
    },
    wrapUpCodes: state.wrapUpCodes,
    complianceRules: state.complianceRules,
  };
}

/** The outcome of planning in memory, with plan-time diagnostics positioned. */
export interface InMemoryPlan extends PlanOutcome {
  positioned: Diagnostic[];
  /** The validated manifests the plan was made from. */
  manifest: ReturnType<typeof validateTexts>;
}

/** Validate manifests given as texts and plan them against `state`, all in memory. */
export function planTexts(
  files: Record<string, string>,
  state: SimulatorState,
  options: { prune?: PruneMode; defaults?: KindDefaults } = {},
): InMemoryPlan {
  return planTextsAgainst(files, liveOf(state), options);
}

/** Validate manifests given as texts and plan them against a live state (read over HTTP or not). */
export function planTextsAgainst(
  files: Record<string, string>,
  live: LiveState,
  options: { prune?: PruneMode; defaults?: KindDefaults } = {},
): InMemoryPlan {
  const result = validateTexts(files, options.defaults ? { defaults: options.defaults } : {});
  if (!result.ok) {
    throw new Error(`manifests invalid: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  }
  const outcome = buildPlan({
    desired: result.desired,
    ...(result.merged.scope ? { scope: result.merged.scope } : {}),
    raw: rawItemLookup(result),
    live,
    prune: options.prune ?? false,
    defaults: options.defaults ?? {},
    header: {
      target: { label: 'test' },
      manifestDigest: result.digest,
      cxctlVersion: '0.0.0',
      createdAt: '2026-01-01T00:00:00.000Z',
    },
    sourceOf: (at) => ({ file: at.file, line: result.locator.itemLine(at) }),
  });
  return {
    ...outcome,
    manifest: result,
    positioned: outcome.diagnostics.map((pending) => result.locator.resolve(pending)),
  };
}

/** A manifest document holding `wrapUpCodes` items written as YAML flow mappings. */
export function codesYaml(codes: readonly Record<string, unknown>[]): string {
  return `version: 1\nwrapUpCodes:\n${codes.map((code) => `  - ${JSON.stringify(code)}\n`).join('')}`;
}
