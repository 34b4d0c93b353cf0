import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { startSimulator } from '../../src/simulator/index.js';
import { captureIO } from '../helpers/capture.js';
import { rawRequest } from '../simulator/harness.js';
import { builtCli } from '../helpers/built.js';

const BIN = builtCli();

describe('cxctl simulator', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cxctl-sim-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an invalid seed file with file:line:col, exit 1 and no stack trace', async () => {
    writeFileSync(join(dir, 'seed.json'), '{\n  "categories": [{ "name": 42 }]\n}\n');
    const io = captureIO({ cwd: dir });
    const code = await runCli(['simulator', '--seed', 'seed.json'], io);
    expect(code).toBe(1);
    expect(io.stderr.text).toContain(
      'error: seed.json:2:28: /categories/0/name must be a non-empty string\n',
    );
    expect(io.stderr.text).not.toMatch(/\n\s+at /);
    expect(io.stdout.text).toBe('');
  });

  it('refuses a missing seed file, a taken port and bad numbers with exit 1', async () => {
    const missing = captureIO({ cwd: dir });
    expect(await runCli(['simulator', '--seed', 'nope.json'], missing)).toBe(1);
    expect(missing.stderr.text).toMatch(/cannot read the seed file nope\.json: no such file/);

    const running = await startSimulator();
    try {
      const taken = captureIO({ cwd: dir });
      expect(await runCli(['simulator', '--port', String(running.port)], taken)).toBe(1);
      expect(taken.stderr.text).toMatch(
        /cannot listen on 127\.0\.0\.1:\d+: the address is already in use/,
      );
    } finally {
      await running.stop();
    }

    const latency = captureIO({ cwd: dir });
    expect(await runCli(['simulator', '--latency-ms', '-5'], latency)).toBe(1);
    expect(latency.stderr.text).toMatch(/latency must be/);
    const unknown = captureIO({ cwd: dir });
    expect(await runCli(['simulator', '--colour'], unknown)).toBe(1);
  });

  it('built bin: prints the listening line first, serves, and on SIGTERM writes --state and exits 0', async () => {
    expect(existsSync(BIN), `${BIN} is missing: run npm run build first`).toBe(true);
    const statePath = join(dir, 'state.json');
    const child = spawn(
      process.execPath,
      [BIN, 'simulator', '--port', '0', '--state', statePath, '--client-secret', 'top-secret-1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.once('line', resolve);
        child.once('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
      });
      expect(firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = firstLine.slice('listening on '.length);

      const token = await rawRequest(url, 'POST', '/oauth2/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        raw: 'grant_type=client_credentials&client_id=cxctl-sim&client_secret=top-secret-1',
      });
      expect(token.status).toBe(200);
      const accessToken = (token.json as { access_token: string }).access_token;
      const created = await rawRequest(
        url,
        'POST',
        '/api/v2/contact-center/interaction-config/wrap-up-codes',
        {
          headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
          raw: JSON.stringify([
            { code: 'CLI_1', name: 'From the CLI', category: 'Sales', duration: 30 },
          ]),
        },
      );
      expect(created.json).toEqual({ ids: ['wuc-000001'], errors: [] });

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(killTimer);
      child.kill('SIGKILL');
    }
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
      wrapUpCodes: { code: string }[];
    };
    expect(state.wrapUpCodes.map((c) => c.code)).toEqual(['CLI_1']);
    expect(stderr).not.toContain('top-secret-1');
  });
});
