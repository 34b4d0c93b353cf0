import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtFile } from '../helpers/built.js';

// The child process runs the compiled module (npm test builds before it runs vitest).
const compiled = builtFile('dist/src/notify/audit.js');

describe('AuditLog under SIGKILL', () => {
  it('leaves only whole, valid lines when the writer is killed mid-run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cxctl-audit-kill-'));
    const path = join(dir, 'audit.jsonl');
    try {
      const script = `
        const { AuditLog } = await import(${JSON.stringify(pathToFileURL(compiled).href)});
        const log = await AuditLog.open(${JSON.stringify(path)});
        const started = Date.now();
        for (let i = 0; i < 200000 && Date.now() - started < 10000; i++) {
          const pending = [];
          for (let j = 0; j < 20; j++) {
            pending.push(log.write({ kind: 'wrapUpCode', key: 'K_' + i + '_' + j, action: 'create',
              idempotencyKey: 'k', status: 200, attempts: 1, latencyMs: 1, requestBytes: 10,
              planDigest: 'p', target: 't', outcome: 'success', error: { code: 'X', message: 'y'.repeat(3000) } }));
          }
          await Promise.all(pending);
          if (i === 10) process.stdout.write('ready\\n');
        }
      `;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolveReady, reject) => {
        const timer = setTimeout(() => reject(new Error('child never became ready')), 10_000);
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) {
            clearTimeout(timer);
            resolveReady();
          }
        });
        child.on('exit', () => reject(new Error('child exited early')));
      });
      await new Promise((r) => setTimeout(r, 50));
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGKILL');
      await exited;

      const text = await readFile(path, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      expect(lines.length).toBeGreaterThan(200);
      for (const line of lines) {
        const record = JSON.parse(line) as { record: string; error: { message: string } };
        expect(record.record).toBe('write');
        expect(record.error.message).toHaveLength(3000);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
