/**
 * The one way commands read manifests: find and read the files under the paths given (default
 * `manifests/` or `.`), then run the whole pipeline with the standard extensions, reading files that
 * manifests name (CRM status lists) relative to the manifest naming them. validate, test,
 * crm mappings, plan, drift and apply all start here, so they agree on the desired state: the
 * wrap-up codes in `result.desired.wrapUpCodes` are the explicit ones plus those generated from CRM
 * mappings (see `ManifestResult.desired`), and `result.digest` covers both. Before anything is
 * read, the environment's secrets are registered for redaction (secretEnvironment.ts), so offline
 * commands mask them as plan does, and manifests that use them are refused.
 */
import { compareDiagnostics, hasErrors, type Diagnostic } from '../diagnostics.js';
import type { KindDefaults } from '../kinds/types.js';
import { buildDesiredState, type ManifestResult } from '../manifest/pipeline.js';
import {
  manifestPaths,
  readManifestFiles,
  referencedFileReader,
  type ManifestFileSet,
} from './manifestFiles.js';
import { configSecretVariables, registerEnvironmentSecrets } from './secretEnvironment.js';

export { manifestPaths } from './manifestFiles.js';

/** The process edges manifest loading uses. */
export interface ManifestEnvironment {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The `--config` file, when one was given (its secret variables are refused in manifests). */
  configPath?: string;
}

/** `environment` with the `--config` file given on the command line, if any. */
export function withConfigPath(
  environment: ManifestEnvironment,
  configPath: string | undefined,
): ManifestEnvironment {
  const { cwd, env } = environment;
  return configPath === undefined ? { cwd, env } : { cwd, env, configPath };
}

/** Options of {@link loadManifests}. */
export interface LoadManifestsOptions {
  /** Overrides {@link manifestDefaults} (e.g. a profile's campaign). */
  defaults?: KindDefaults;
}

/** Everything loaded. */
export interface LoadedManifests {
  /** The pipeline's result (desired state, digest, merged sections, locator). */
  result: ManifestResult;
  /** Problems finding or reading files plus the pipeline's diagnostics, sorted. */
  diagnostics: Diagnostic[];
  /** False when any diagnostic is an error (warnings allowed). */
  ok: boolean;
  /** True when some input could not be found, read or parsed (prune must be refused). */
  loadFailed: boolean;
  /** The defaults applied (default campaign). */
  defaults: KindDefaults;
  /** The paths read (the default when none were given). */
  paths: string[];
}

/**
 * Defaults that come from the environment: `CXONE_CAMPAIGN_ID` is the campaign of rules and
 * compliance tests that name none; blank counts as unset. Commands that resolve
 * a target pass the target's campaign (which also reads the profile) as `defaults` instead.
 */
export function manifestDefaults(env: ManifestEnvironment['env']): KindDefaults {
  const campaign = env.CXONE_CAMPAIGN_ID?.trim();
  return campaign ? { defaultCampaign: campaign } : {};
}

/** Read and validate the manifests under `paths` (relative to `cwd`; default: manifests/ or .). */
export function loadManifests(
  paths: readonly string[] | undefined,
  environment: ManifestEnvironment,
  options: LoadManifestsOptions = {},
): LoadedManifests {
  const chosen = manifestPaths(paths, environment.cwd);
  const read = readManifestFiles(chosen, environment.cwd);
  return { ...validateManifestFiles(read, environment, options), paths: chosen };
}

/** The result of validating files already read: {@link LoadedManifests} without the paths. */
export type ValidatedManifests = Omit<LoadedManifests, 'paths'>;

/**
 * Validate manifest files already read (see {@link readManifestFiles}); `plan` reads first so it
 * can decide, from their size, whether to read live state in parallel with parsing.
 */
export function validateManifestFiles(
  read: ManifestFileSet,
  environment: ManifestEnvironment,
  options: LoadManifestsOptions = {},
): ValidatedManifests {
  const defaults = options.defaults ?? manifestDefaults(environment.env);
  const secretVariables = configSecretVariables(environment.cwd, environment.configPath);
  registerEnvironmentSecrets(environment.env, secretVariables);
  const result = buildDesiredState(read.sources, {
    env: environment.env,
    secretVariables,
    defaults,
    readReferencedFile: referencedFileReader(environment.cwd, read.root),
  });
  const diagnostics = [...read.diagnostics, ...result.diagnostics].sort(compareDiagnostics);
  return {
    result,
    diagnostics,
    ok: !hasErrors(diagnostics),
    loadFailed: result.loadFailed || read.diagnostics.some((d) => d.severity === 'error'),
    defaults,
  };
}
