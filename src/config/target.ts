/**
 * Target resolution: which CXone a run talks to, with which credentials and limits.
 *
 * Precedence, highest first (docs/configuration.md has the table):
 * 1. command-line flags: `--target embedded|URL`, `--profile`, `--concurrency`, `--rate-limit`,
 *    `--timeout`;
 * 2. environment variables: CXONE_API_BASE, CXONE_TENANT / CXONE_ORG_ID, CXONE_TOKEN_URL,
 *    CXONE_CLIENT_ID, CXONE_CLIENT_SECRET, CXONE_CAMPAIGN_ID, WEBHOOK_URL, WEBHOOK_SECRET;
 * 3. the profile in cxctl.yaml (`--profile`, else `defaultProfile`);
 * 4. defaults (concurrency 4, rate limit 10/s, token URL `{apiBase}/oauth/token`).
 *
 * A profile named with `--profile` decides the kind of target (embedded or http); a profile chosen
 * only by `defaultProfile` gives way to CXONE_API_BASE / CXONE_TENANT in the environment, so a CI
 * job that sets them never silently runs against the embedded simulator.
 */
import { registerSecret } from '../secrets.js';
import { loadConfig, type LoadConfigOptions } from './load.js';
import { ConfigFileError, TargetConfigError } from './errors.js';
import { maskUrlCredentials, plainHttpProblem, trimTrailingSlash, urlPassword } from './url.js';
import {
  WEBHOOK_EVENTS,
  type LoadedConfig,
  type Profile,
  type ResolvedWebhook,
  type TargetLimits,
  type TargetSpec,
} from './types.js';

/** Default requests in flight per target. */
export const DEFAULT_CONCURRENCY = 4;
/** Default requests per second to a CXone tenant. */
export const DEFAULT_RATE_LIMIT = 10;
/**
 * Default requests per second to the embedded simulator: it runs in this process and has no
 * tenant to protect, so only a runaway loop is worth limiting.
 */
export const DEFAULT_EMBEDDED_RATE_LIMIT = 200;
/** Largest `--concurrency` accepted. */
export const MAX_CONCURRENCY = 64;

/** Command-line choices that override configuration and environment. */
export interface TargetOverrides {
  /** `--target`: `embedded`, or an API base URL. */
  target?: string;
  /** `--concurrency`. */
  concurrency?: number;
  /** `--rate-limit` (requests per second). */
  rateLimit?: number;
  /** `--timeout` (seconds, whole run). */
  timeout?: number;
}

/** Inputs of {@link resolveTarget}. */
export interface ResolveTargetOptions extends LoadConfigOptions {
  /** `--profile`. */
  profile?: string;
  overrides?: TargetOverrides;
  /** An already loaded configuration (skips reading the file again). */
  loaded?: LoadedConfig | null;
  /**
   * Resolve webhooks too (default true). Commands that never notify (plan, export) pass false, so
   * an unset WEBHOOK secret variable does not stop them.
   */
  webhooks?: boolean;
}

/** The one-sentence answer to "what do I set?" when nothing names a target. */
export const MISSING_TARGET_MESSAGE =
  'no CXone target: set CXONE_TENANT (or CXONE_API_BASE) and CXONE_CLIENT_ID/CXONE_CLIENT_SECRET, choose a profile in cxctl.yaml, or pass --target embedded to try the embedded simulator';

/** Work out the target of a run from flags, environment and cxctl.yaml (nothing is started). */
export function resolveTarget(options: ResolveTargetOptions): TargetSpec {
  const env = cleanEnv(options.env);
  const loaded = options.loaded === undefined ? loadConfig(options) : (options.loaded ?? undefined);
  const overrides = options.overrides ?? {};

  // Which profile, and did the user name it?
  let profileName: string | undefined;
  let profile: Profile | undefined;
  if (options.profile !== undefined) {
    if (!loaded) {
      throw new TargetConfigError(
        'CONFIG_NO_FILE',
        `--profile ${options.profile} was given but there is no cxctl.yaml in ${options.cwd}`,
        'create one (cxctl init), or pass --config FILE',
      );
    }
    profileName = options.profile;
    profile = loaded.config.profiles[profileName];
    if (!profile) {
      throw new TargetConfigError(
        'CONFIG_UNKNOWN_PROFILE',
        `profile "${profileName}" is not defined in ${loaded.file} (${describeProfiles(loaded)})`,
      );
    }
  } else if (loaded?.config.defaultProfile !== undefined) {
    profileName = loaded.config.defaultProfile;
    profile = loaded.config.profiles[profileName];
  }
  const explicitProfile = options.profile !== undefined;

  const envTenant = tenantFromEnv(env);
  const envNamesTarget = env.CXONE_API_BASE !== undefined || envTenant !== undefined;

  // Embedded or http?
  let kind: 'embedded' | 'http';
  let targetUrl: string | undefined;
  if (overrides.target !== undefined) {
    const value = overrides.target.trim();
    if (value === 'embedded') {
      kind = 'embedded';
    } else if (/^https?:\/\//i.test(value)) {
      kind = 'http';
      targetUrl = value;
    } else {
      throw new TargetConfigError(
        'CONFIG_BAD_TARGET',
        `--target must be "embedded" or an API base URL such as https://acme.api.cxone.com, not "${value}"`,
      );
    }
  } else if (profile && (explicitProfile || !envNamesTarget)) {
    kind = profile.target === 'embedded' ? 'embedded' : 'http';
  } else if (envNamesTarget) {
    kind = 'http';
  } else {
    throw new TargetConfigError('CONFIG_MISSING_TARGET', MISSING_TARGET_MESSAGE);
  }
  // A profile that does not decide the kind contributes nothing but limits and campaign.
  const profileForConnection =
    kind === 'http' && profile?.target !== 'embedded' ? profile : undefined;
  // An unset ${env:...} in the profile matters now that the profile is used (not with --target).
  const profileProblems =
    profileName !== undefined && (profileForConnection || kind === 'embedded')
      ? loaded?.config.deferred?.profiles[profileName]
      : undefined;
  if (profileProblems && profileProblems.length > 0 && overrides.target === undefined) {
    throw new ConfigFileError(profileProblems);
  }

  const limits = resolveLimits(kind, overrides, profile);
  const campaignId = env.CXONE_CAMPAIGN_ID ?? profile?.campaignId;
  const webhooks = options.webhooks === false ? [] : resolveWebhooks(loaded, env);
  const common = {
    ...(profileName !== undefined ? { profile: profileName } : {}),
    ...(campaignId !== undefined ? { campaignId } : {}),
    limits,
    webhooks,
  };

  if (kind === 'embedded') {
    return { kind, label: 'embedded', ...common };
  }

  // The API base: flag, environment, then profile; each tenant name derives one.
  const profileLabel = profileName !== undefined ? `profile "${profileName}"` : undefined;
  let apiBase: string | undefined;
  let apiBaseSource: string;
  let fromProfile = false;
  if (targetUrl !== undefined) {
    apiBase = targetUrl;
    apiBaseSource = '--target';
  } else if (env.CXONE_API_BASE !== undefined) {
    apiBase = env.CXONE_API_BASE;
    apiBaseSource = 'CXONE_API_BASE';
  } else if (envTenant !== undefined) {
    apiBase = tenantApiBase(envTenant.value, envTenant.name);
    apiBaseSource = envTenant.name;
  } else if (profileForConnection?.apiBase !== undefined) {
    apiBase = profileForConnection.apiBase;
    apiBaseSource = `apiBase of ${profileLabel}`;
    fromProfile = true;
  } else if (profileForConnection?.tenant !== undefined) {
    apiBase = tenantApiBase(profileForConnection.tenant, `tenant of ${profileLabel}`);
    apiBaseSource = `tenant of ${profileLabel}`;
    fromProfile = true;
  } else {
    throw new TargetConfigError(
      'CONFIG_MISSING_TARGET',
      profileLabel !== undefined
        ? `${profileLabel} names no CXone tenant: set tenant or apiBase in it, or set CXONE_TENANT (or CXONE_API_BASE)`
        : MISSING_TARGET_MESSAGE,
    );
  }
  apiBase = checkedUrl(apiBase, apiBaseSource);

  let tokenUrl: string;
  if (env.CXONE_TOKEN_URL !== undefined) {
    tokenUrl = checkedUrl(env.CXONE_TOKEN_URL, 'CXONE_TOKEN_URL');
  } else if (fromProfile && profileForConnection?.tokenUrl !== undefined) {
    // A profile's token URL belongs to the profile's tenant; it is not used when the environment
    // or --target points somewhere else.
    tokenUrl = checkedUrl(profileForConnection.tokenUrl, `tokenUrl of ${profileLabel}`);
  } else {
    tokenUrl = `${apiBase}/oauth/token`;
  }

  const clientId = env.CXONE_CLIENT_ID ?? profileForConnection?.clientId;
  const clientSecret = env.CXONE_CLIENT_SECRET ?? profileForConnection?.clientSecret;
  registerSecret(clientSecret);
  const missing = [
    ...(clientId === undefined ? ['CXONE_CLIENT_ID'] : []),
    ...(clientSecret === undefined ? ['CXONE_CLIENT_SECRET'] : []),
  ];
  if (missing.length > 0) {
    const fields = missing.map((name) =>
      name === 'CXONE_CLIENT_ID' ? 'clientId' : 'clientSecret',
    );
    throw new TargetConfigError(
      'CONFIG_MISSING_CREDENTIALS',
      `no CXone API credentials for ${apiBase}: set ${missing.join(' and ')}${
        profileLabel !== undefined && profileForConnection
          ? ` (or ${fields.join(' and ')} in ${profileLabel} of cxctl.yaml)`
          : ''
      }`,
    );
  }

  return {
    kind,
    // A password in the URL (https://user:password@host) is registered as a secret (checkedUrl)
    // and never part of the label, which plans, messages and metrics show.
    label: maskUrlCredentials(apiBase),
    apiBase,
    tokenUrl,
    clientId: clientId!,
    clientSecret: clientSecret!,
    ...common,
  };
}

/** Environment values with empty strings treated as unset. */
function cleanEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') result[name] = value.trim();
  }
  return result;
}

/** CXONE_TENANT or CXONE_ORG_ID (the two source tutorials' spellings); both must agree. */
function tenantFromEnv(env: Record<string, string>): { name: string; value: string } | undefined {
  const tenant = env.CXONE_TENANT;
  const org = env.CXONE_ORG_ID;
  if (tenant !== undefined && org !== undefined && tenant !== org) {
    throw new TargetConfigError(
      'CONFIG_CONFLICT',
      `CXONE_TENANT (${tenant}) and CXONE_ORG_ID (${org}) name different tenants: set only one of them`,
    );
  }
  if (tenant !== undefined) return { name: 'CXONE_TENANT', value: tenant };
  if (org !== undefined) return { name: 'CXONE_ORG_ID', value: org };
  return undefined;
}

/** `https://{tenant}.api.cxone.com`, after checking the tenant is a host label. */
export function tenantApiBase(tenant: string, source: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/.test(tenant)) {
    throw new TargetConfigError(
      'CONFIG_BAD_TENANT',
      `${source} "${tenant}" is not a tenant name (letters, digits and hyphens); to give a full URL, set CXONE_API_BASE instead`,
    );
  }
  return `https://${tenant.toLowerCase()}.api.cxone.com`;
}

/** The URL without trailing slashes, refusing anything but https:// (or loopback http://). */
function checkedUrl(value: string, source: string): string {
  registerSecret(urlPassword(value));
  const problem = plainHttpProblem(value);
  if (problem) throw new TargetConfigError('CONFIG_INSECURE_URL', `${source}: ${problem}`);
  return trimTrailingSlash(value);
}

function resolveLimits(
  kind: 'embedded' | 'http',
  overrides: TargetOverrides,
  profile: Profile | undefined,
): TargetLimits {
  const concurrency = overrides.concurrency ?? profile?.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new TargetConfigError(
      'CONFIG_BAD_LIMIT',
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${concurrency}`,
    );
  }
  const rateLimit =
    overrides.rateLimit ??
    profile?.rateLimit ??
    (kind === 'embedded' ? DEFAULT_EMBEDDED_RATE_LIMIT : DEFAULT_RATE_LIMIT);
  if (!(rateLimit > 0) || !Number.isFinite(rateLimit)) {
    throw new TargetConfigError(
      'CONFIG_BAD_LIMIT',
      `--rate-limit must be a positive number of requests per second, not ${rateLimit}`,
    );
  }
  const timeoutSeconds = overrides.timeout ?? profile?.timeoutSeconds;
  if (timeoutSeconds !== undefined && (!(timeoutSeconds > 0) || !Number.isFinite(timeoutSeconds))) {
    throw new TargetConfigError(
      'CONFIG_BAD_LIMIT',
      `--timeout must be a positive number of seconds, not ${timeoutSeconds}`,
    );
  }
  return { concurrency, rateLimit, ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) };
}

/** Webhooks of cxctl.yaml, plus (or replaced by, for the same URL) WEBHOOK_URL/WEBHOOK_SECRET. */
export function resolveWebhooks(
  loaded: LoadedConfig | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedWebhook[] {
  const clean = cleanEnv(env);
  const deferred = Object.values(loaded?.config.deferred?.webhooks ?? {}).flat();
  if (deferred.length > 0) throw new ConfigFileError(deferred);
  for (const webhook of loaded?.config.webhooks ?? []) registerSecret(urlPassword(webhook.url));
  registerSecret(urlPassword(clean.WEBHOOK_URL ?? ''));
  const webhooks: ResolvedWebhook[] = (loaded?.config.webhooks ?? []).map((webhook) => ({
    url: webhook.url,
    secret: webhook.secret,
    events: webhook.events ? [...webhook.events] : [...WEBHOOK_EVENTS],
    source: loaded!.file,
  }));
  const url = clean.WEBHOOK_URL;
  const secret = clean.WEBHOOK_SECRET;
  registerSecret(secret);
  if (url === undefined && secret !== undefined) {
    throw new TargetConfigError(
      'CONFIG_WEBHOOK',
      'WEBHOOK_SECRET is set but WEBHOOK_URL is not: set WEBHOOK_URL to the endpoint to notify, or unset WEBHOOK_SECRET',
    );
  }
  if (url !== undefined) {
    const problem = plainHttpProblem(url);
    if (problem) throw new TargetConfigError('CONFIG_INSECURE_URL', `WEBHOOK_URL: ${problem}`);
    if (secret === undefined) {
      throw new TargetConfigError(
        'CONFIG_WEBHOOK',
        "WEBHOOK_URL is set but WEBHOOK_SECRET is not: set WEBHOOK_SECRET to the endpoint's whsec_ signing secret",
      );
    }
    if (!/^whsec_[A-Za-z0-9+/=]+$/.test(secret)) {
      throw new TargetConfigError(
        'CONFIG_WEBHOOK',
        'WEBHOOK_SECRET must be a Standard Webhooks secret: whsec_ followed by base64',
      );
    }
    const fromEnv: ResolvedWebhook = {
      url,
      secret,
      events: [...WEBHOOK_EVENTS],
      source: 'WEBHOOK_URL',
    };
    const index = webhooks.findIndex((webhook) => webhook.url === url);
    if (index >= 0) webhooks[index] = { ...fromEnv, events: webhooks[index]!.events };
    else webhooks.push(fromEnv);
  }
  for (const webhook of webhooks) registerSecret(webhook.secret);
  return webhooks;
}

function describeProfiles(loaded: LoadedConfig): string {
  const names = Object.keys(loaded.config.profiles);
  return names.length > 0 ? `profiles: ${names.join(', ')}` : 'it defines no profiles';
}
