import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { createContext, type GlobalArgs } from '../../src/cli/context.js';
import {
  openTargetFromArgs,
  targetSpecFromArgs,
  withTargetOptions,
  type TargetArgs,
} from '../../src/cli/targetOptions.js';
import { createClient } from '../../src/cxone/client.js';
import { captureIO } from '../helpers/capture.js';
import { temporaryProjects } from '../helpers/project.js';

const GLOBALS: GlobalArgs = { color: false, logLevel: 'warn' };

async function parse(argv: string[]): Promise<TargetArgs> {
  return await withTargetOptions(yargs(argv).strict()).parseAsync();
}

const project = temporaryProjects('cxctl-cli-target-');

describe('target options', () => {
  it('parses --target, --concurrency, --rate-limit and --timeout into the target', async () => {
    const args = await parse([
      '--target',
      'https://acme.api.cxone.com',
      '--concurrency',
      '6',
      '--rate-limit',
      '2.5',
      '--timeout',
      '90',
    ]);
    const io = captureIO({ env: { CXONE_CLIENT_ID: 'id', CXONE_CLIENT_SECRET: 'secret-1' } });
    const spec = targetSpecFromArgs({ ...GLOBALS, ...args }, createContext(io, GLOBALS));
    expect(spec).toMatchObject({
      kind: 'http',
      apiBase: 'https://acme.api.cxone.com',
      limits: { concurrency: 6, rateLimit: 2.5, timeoutSeconds: 90 },
    });
  });

  it('leaves unset options to the profile and defaults', async () => {
    const args = await parse([]);
    expect([args.target, args.concurrency, args.rateLimit, args.timeout]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('opens --target embedded and closes it', async () => {
    const cwd = project({});
    const io = captureIO({ cwd });
    const args = await parse(['--target', 'embedded']);
    const target = await openTargetFromArgs({ ...GLOBALS, ...args }, createContext(io, GLOBALS));
    const client = createClient(target);
    try {
      expect((await client.campaigns.list()).length).toBeGreaterThan(0);
    } finally {
      await client.close();
      await target.close();
    }
  });
});
