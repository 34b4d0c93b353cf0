import { describe, expect, it } from 'vitest';
import { MISSING_TARGET_MESSAGE, resolveTarget } from '../../src/config/target.js';
import { isCxctlError } from '../../src/errors.js';
import { redact } from '../../src/secrets.js';
import { temporaryProjects } from '../helpers/project.js';

const CONFIG = [
  'version: 1',
  'defaultProfile: local',
  'profiles:',
  '  local: { target: embedded, concurrency: 2 }',
  '  staging:',
  '    tenant: acme-staging',
  '    clientId: staging-client',
  '    clientSecret: ${env:STAGING_SECRET}',
  '    rateLimit: 5',
  '    timeoutSeconds: 120',
  '  lab:',
  '    apiBase: http://127.0.0.1:4010/',
  '    tokenUrl: http://127.0.0.1:4010/oauth2/token',
  '    clientId: lab',
  '    clientSecret: lab-secret',
  '    campaignId: c-7',
  '',
].join('\n');

const project = temporaryProjects('cxctl-target-');

function repo(config: string | null = CONFIG): string {
  return project(config === null ? {} : { 'cxctl.yaml': config });
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error: unknown) {
    if (isCxctlError(error)) return error.message;
    throw error;
  }
  throw new Error('expected an error');
}

const CREDENTIALS = { CXONE_CLIENT_ID: 'env-client', CXONE_CLIENT_SECRET: 'env-secret' };

describe('target resolution', () => {
  it('uses the default profile: embedded, with its limits', () => {
    const spec = resolveTarget({ cwd: repo(), env: {} });
    expect(spec).toMatchObject({ kind: 'embedded', label: 'embedded', profile: 'local' });
    expect(spec.limits).toEqual({ concurrency: 2, rateLimit: 200 });
  });

  it('uses a named profile with a tenant: derived API base and token URL', () => {
    const spec = resolveTarget({
      cwd: repo(),
      env: { STAGING_SECRET: 'from-env-ref' },
      profile: 'staging',
    });
    expect(spec).toMatchObject({
      kind: 'http',
      label: 'https://acme-staging.api.cxone.com',
      apiBase: 'https://acme-staging.api.cxone.com',
      tokenUrl: 'https://acme-staging.api.cxone.com/oauth/token',
      clientId: 'staging-client',
      clientSecret: 'from-env-ref',
      limits: { concurrency: 4, rateLimit: 5, timeoutSeconds: 120 },
    });
  });

  it('keeps loopback http:// and the profile token URL and campaign', () => {
    const spec = resolveTarget({ cwd: repo(), env: {}, profile: 'lab' });
    expect(spec).toMatchObject({
      apiBase: 'http://127.0.0.1:4010',
      tokenUrl: 'http://127.0.0.1:4010/oauth2/token',
      campaignId: 'c-7',
    });
  });

  it('lets environment variables override profile fields', () => {
    const spec = resolveTarget({
      cwd: repo(),
      env: { ...CREDENTIALS, CXONE_CAMPAIGN_ID: 'c-env', STAGING_SECRET: 'x1234' },
      profile: 'staging',
    });
    expect(spec).toMatchObject({
      clientId: 'env-client',
      clientSecret: 'env-secret',
      campaignId: 'c-env',
    });
    const moved = resolveTarget({
      cwd: repo(),
      env: { CXONE_TENANT: 'other' },
      profile: 'lab',
    });
    // The profile's token URL belongs to its own API base, so it is not used for another tenant.
    expect(moved).toMatchObject({
      apiBase: 'https://other.api.cxone.com',
      tokenUrl: 'https://other.api.cxone.com/oauth/token',
      clientId: 'lab',
    });
  });

  it('accepts both tenant spellings, CXONE_TENANT and CXONE_ORG_ID', () => {
    for (const name of ['CXONE_TENANT', 'CXONE_ORG_ID']) {
      const spec = resolveTarget({ cwd: repo(null), env: { ...CREDENTIALS, [name]: 'Acme' } });
      expect(spec).toMatchObject({ kind: 'http', apiBase: 'https://acme.api.cxone.com' });
    }
    expect(
      failure(() =>
        resolveTarget({
          cwd: repo(null),
          env: { ...CREDENTIALS, CXONE_TENANT: 'a', CXONE_ORG_ID: 'b' },
        }),
      ),
    ).toBe('CXONE_TENANT (a) and CXONE_ORG_ID (b) name different tenants: set only one of them');
  });

  it('prefers CXONE_API_BASE and CXONE_TOKEN_URL over a tenant name', () => {
    const spec = resolveTarget({
      cwd: repo(null),
      env: {
        ...CREDENTIALS,
        CXONE_TENANT: 'acme',
        CXONE_API_BASE: 'https://api-c32.nice-incontact.com/',
        CXONE_TOKEN_URL: 'https://cxone.niceincontact.com/auth/token',
      },
    });
    expect(spec).toMatchObject({
      apiBase: 'https://api-c32.nice-incontact.com',
      tokenUrl: 'https://cxone.niceincontact.com/auth/token',
    });
  });

  it('lets CXONE_* beat an embedded default profile, but not an explicit --profile', () => {
    const env = { ...CREDENTIALS, CXONE_TENANT: 'acme' };
    expect(resolveTarget({ cwd: repo(), env }).kind).toBe('http');
    expect(resolveTarget({ cwd: repo(), env, profile: 'local' }).kind).toBe('embedded');
  });

  it('--target embedded wins over everything; --target URL sets the API base', () => {
    const env = { ...CREDENTIALS, CXONE_TENANT: 'acme' };
    expect(
      resolveTarget({ cwd: repo(), env, profile: 'staging', overrides: { target: 'embedded' } })
        .kind,
    ).toBe('embedded');
    const spec = resolveTarget({
      cwd: repo(null),
      env: CREDENTIALS,
      overrides: { target: 'http://localhost:9999', concurrency: 8, rateLimit: 3, timeout: 60 },
    });
    expect(spec).toMatchObject({
      apiBase: 'http://localhost:9999',
      tokenUrl: 'http://localhost:9999/oauth/token',
      limits: { concurrency: 8, rateLimit: 3, timeoutSeconds: 60 },
    });
    expect(
      failure(() => resolveTarget({ cwd: repo(), env, overrides: { target: 'prod' } })),
    ).toMatch(/^--target must be "embedded" or an API base URL/);
  });

  it('refuses plain http:// to a non-loopback host', () => {
    expect(
      failure(() =>
        resolveTarget({
          cwd: repo(null),
          env: { ...CREDENTIALS, CXONE_API_BASE: 'http://cxone.example.com' },
        }),
      ),
    ).toMatch(/^CXONE_API_BASE: plain http:\/\/ is refused for cxone\.example\.com/);
    expect(
      failure(() =>
        resolveTarget({
          cwd: repo(null),
          env: { ...CREDENTIALS, CXONE_TENANT: 'acme', CXONE_TOKEN_URL: 'http://10.0.0.1/token' },
        }),
      ),
    ).toMatch(/^CXONE_TOKEN_URL: plain http:\/\/ is refused/);
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '127.1.2.3']) {
      expect(
        resolveTarget({
          cwd: repo(null),
          env: { ...CREDENTIALS, CXONE_API_BASE: `http://${host}:8080` },
        }).apiBase,
      ).toBe(`http://${host}:8080`);
    }
  });

  it('says in one sentence what to set when there is no target', () => {
    expect(failure(() => resolveTarget({ cwd: repo(null), env: {} }))).toBe(MISSING_TARGET_MESSAGE);
    expect(MISSING_TARGET_MESSAGE).toBe(
      'no CXone target: set CXONE_TENANT (or CXONE_API_BASE) and CXONE_CLIENT_ID/CXONE_CLIENT_SECRET, choose a profile in cxctl.yaml, or pass --target embedded to try the embedded simulator',
    );
  });

  it('says exactly which credential is missing', () => {
    expect(
      failure(() =>
        resolveTarget({
          cwd: repo(null),
          env: { CXONE_TENANT: 'acme', CXONE_CLIENT_ID: 'id' },
        }),
      ),
    ).toBe('no CXone API credentials for https://acme.api.cxone.com: set CXONE_CLIENT_SECRET');
    expect(
      failure(() =>
        resolveTarget({
          cwd: repo('version: 1\nprofiles:\n  p: { tenant: acme }\n'),
          env: {},
          profile: 'p',
        }),
      ),
    ).toBe(
      'no CXone API credentials for https://acme.api.cxone.com: set CXONE_CLIENT_ID and CXONE_CLIENT_SECRET (or clientId and clientSecret in profile "p" of cxctl.yaml)',
    );
  });

  it('names unknown profiles and a --profile without a config file', () => {
    expect(failure(() => resolveTarget({ cwd: repo(), env: {}, profile: 'prod' }))).toBe(
      'profile "prod" is not defined in cxctl.yaml (profiles: local, staging, lab)',
    );
    const dir = repo(null);
    expect(failure(() => resolveTarget({ cwd: dir, env: {}, profile: 'prod' }))).toBe(
      `--profile prod was given but there is no cxctl.yaml in ${dir}`,
    );
  });

  it('checks limits', () => {
    const env = {};
    expect(failure(() => resolveTarget({ cwd: repo(), env, overrides: { concurrency: 0 } }))).toBe(
      '--concurrency must be a whole number from 1 to 64, not 0',
    );
    expect(failure(() => resolveTarget({ cwd: repo(), env, overrides: { rateLimit: -2 } }))).toBe(
      '--rate-limit must be a positive number of requests per second, not -2',
    );
    expect(failure(() => resolveTarget({ cwd: repo(), env, overrides: { timeout: 0 } }))).toBe(
      '--timeout must be a positive number of seconds, not 0',
    );
  });

  it('adds WEBHOOK_URL/WEBHOOK_SECRET to the webhooks of cxctl.yaml', () => {
    const dir = repo(
      [
        'version: 1',
        'profiles: { local: { target: embedded } }',
        'defaultProfile: local',
        'webhooks:',
        '  - { url: "https://a.example.com/h", secret: whsec_YWFh, events: [drift.detected] }',
      ].join('\n'),
    );
    const spec = resolveTarget({
      cwd: dir,
      env: { WEBHOOK_URL: 'https://b.example.com/h', WEBHOOK_SECRET: 'whsec_YmJi' },
    });
    expect(spec.webhooks).toEqual([
      {
        url: 'https://a.example.com/h',
        secret: 'whsec_YWFh',
        events: ['drift.detected'],
        source: 'cxctl.yaml',
      },
      {
        url: 'https://b.example.com/h',
        secret: 'whsec_YmJi',
        events: ['apply.completed', 'apply.failed', 'compliance.rule.changed', 'drift.detected'],
        source: 'WEBHOOK_URL',
      },
    ]);
    expect(
      failure(() => resolveTarget({ cwd: dir, env: { WEBHOOK_URL: 'https://b.example.com' } })),
    ).toBe(
      "WEBHOOK_URL is set but WEBHOOK_SECRET is not: set WEBHOOK_SECRET to the endpoint's whsec_ signing secret",
    );
    expect(
      failure(() =>
        resolveTarget({
          cwd: dir,
          env: { WEBHOOK_URL: 'http://hooks.example.com', WEBHOOK_SECRET: 'whsec_YmJi' },
        }),
      ),
    ).toMatch(/^WEBHOOK_URL: plain http:\/\/ is refused/);
  });
});

describe('a password in a target URL', () => {
  it('is left out of the label and masked wherever the URL is printed', () => {
    const spec = resolveTarget({
      cwd: repo(null),
      env: {
        CXONE_API_BASE: 'https://alice:api-base-pass@acme.example.com/',
        CXONE_TOKEN_URL: 'https://bob:token-url-pass@login.example.com/oauth/token',
        CXONE_CLIENT_ID: 'id',
        CXONE_CLIENT_SECRET: 'client-secret-value',
      },
    });
    expect(spec.label).toBe('https://***@acme.example.com');
    const printed = redact(`${spec.apiBase} ${spec.tokenUrl}`);
    expect(printed).not.toContain('api-base-pass');
    expect(printed).not.toContain('token-url-pass');
  });

  it('is masked in the message that refuses the URL', () => {
    const message = failure(() =>
      resolveTarget({
        cwd: repo(null),
        env: { CXONE_API_BASE: 'ftp://alice:ftp-pass-123@acme.example.com' },
      }),
    );
    expect(message).toContain('"ftp://***@acme.example.com" must be an https:// URL');
  });
});
