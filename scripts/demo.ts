/**
 * `npm run demo`: the whole cxctl story against a CXone simulator, in under a minute.
 *
 * validate -> test -> plan -> apply -> plan (no changes) -> a change made by hand in "CXone" ->
 * drift detected (with a signed webhook) -> export -> plan of the export (no changes).
 *
 * The simulator runs as its own process (`cxctl simulator`), so every command talks real HTTP to a
 * separate "CXone", exactly as against a tenant. The example repository is copied into a temporary
 * directory so the checkout stays clean.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { Chalk } from 'chalk';
import { Webhook } from 'standardwebhooks';
import { cliEntryPath, packageRoot } from '../src/util/packageRoot.js';

const root = packageRoot();
const bin = cliEntryPath();
const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = new Chalk({ level: useColor ? 2 : 0 });
// A fixed demo secret; real ones come from the environment (WEBHOOK_SECRET) and never appear in output.
const webhookSecret = `whsec_${Buffer.from('cxctl-demo-webhook-secret-32byte').toString('base64')}`;
const started = Date.now();

interface Step {
  title: string;
  args: string[];
  expectExit: number[];
}

async function main(): Promise<void> {
  const workdir = mkdtempSync(join(tmpdir(), 'cxctl-demo-'));
  cpSync(join(root, 'examples'), workdir, { recursive: true });
  const simulator = await startSimulator(join(workdir, '.cxctl', 'simulator.json'));
  const receiver = await startWebhookReceiver();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CXONE_API_BASE: simulator.url,
    CXONE_CLIENT_ID: 'cxctl-sim',
    CXONE_CLIENT_SECRET: 'cxctl-sim-secret',
    WEBHOOK_URL: receiver.url,
    WEBHOOK_SECRET: webhookSecret,
    ...(useColor ? { FORCE_COLOR: '1' } : {}),
  };
  banner(`cxctl demo: the example tenant repository in ${workdir}`);
  note(
    `CXone simulator: ${simulator.url} (a separate process, default seed: categories, campaigns, DNC lists)`,
  );
  try {
    await run(workdir, env, {
      title: 'Validate the manifests (offline)',
      args: ['validate'],
      expectExit: [0],
    });
    await run(workdir, env, {
      title: 'Prove the compliance rules block what they should (offline)',
      args: ['test'],
      expectExit: [0],
    });
    await run(workdir, env, {
      title: 'Plan: what would change in CXone',
      args: ['plan', '--out', 'plan.json'],
      expectExit: [0],
    });
    await run(workdir, env, {
      title: 'Apply the reviewed plan (audit log, signed webhooks)',
      args: ['apply', '--plan', 'plan.json', '--auto-approve', '--audit-log', 'audit.jsonl'],
      expectExit: [0],
    });
    note(
      `audit log: ${countLines(join(workdir, 'audit.jsonl'))} records (writes and webhook deliveries) in audit.jsonl`,
    );
    await run(workdir, env, {
      title: 'Plan again: nothing left to do',
      args: ['plan', '--detailed-exitcode'],
      expectExit: [0],
    });
    banner('Someone changes CXone by hand (through the API, as the admin UI would)');
    await changeByHand(simulator.url);
    await run(workdir, env, {
      title: 'Drift detection (the nightly job): exit 2 means drift',
      args: ['drift'],
      expectExit: [2],
    });
    await run(workdir, env, {
      title: 'Export the live tenant as manifests (adopt what exists)',
      args: ['export', '--out', 'exported'],
      expectExit: [0],
    });
    note(`exported: ${listFiles(join(workdir, 'exported')).join(', ')}`);
    await run(workdir, env, {
      title: 'The export round-trips: planning it changes nothing',
      args: ['plan', 'exported', '--detailed-exitcode'],
      expectExit: [0],
    });
    banner('Webhooks received (signatures verified with the standardwebhooks library)');
    for (const event of receiver.events) note(`${event.type}  webhook-id ${event.id}`);
    if (receiver.events.length === 0) throw new Error('no webhook was received');
    banner(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Files are in ${workdir}`);
  } finally {
    receiver.server.close();
    await stopSimulator(simulator.process);
  }
}

async function run(cwd: string, env: NodeJS.ProcessEnv, step: Step): Promise<void> {
  banner(step.title);
  process.stdout.write(`${paint.dim('$')} ${paint.bold(['cxctl', ...step.args].join(' '))}\n`);
  const child = spawn(process.execPath, [bin, ...step.args], {
    cwd,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ok = code !== null && step.expectExit.includes(code);
  process.stdout.write(paint.dim(`(exit ${code ?? 'signal'})\n`));
  if (!ok)
    throw new Error(
      `cxctl ${step.args.join(' ')} exited ${code ?? 'by signal'}, expected ${step.expectExit.join(' or ')}`,
    );
}

async function startSimulator(statePath: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'simulator', '--port', '0', '--state', statePath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the simulator did not start within 10 s')),
      10_000,
    );
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (match?.[1]) resolve(match[1]);
      else reject(new Error(`unexpected simulator output: ${line}`));
    });
  });
  return { url, process: child };
}

async function stopSimulator(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.on('close', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface ReceivedEvent {
  type: string;
  id: string;
}

async function startWebhookReceiver(): Promise<{
  url: string;
  server: Server;
  events: ReceivedEvent[];
}> {
  const verifier = new Webhook(webhookSecret);
  const events: ReceivedEvent[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const payload = verifier.verify(body, request.headers as Record<string, string>) as {
          type: string;
        };
        events.push({ type: payload.type, id: String(request.headers['webhook-id']) });
        response.writeHead(204).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/cxctl`, server, events };
}

/** Two hand edits: a changed duration on a managed code, and a code nobody declared. */
async function changeByHand(apiBase: string): Promise<void> {
  const tokenResponse = await fetch(`${apiBase}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=cxctl-sim&client_secret=cxctl-sim-secret',
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const codesUrl = `${apiBase}/api/v2/contact-center/interaction-config/wrap-up-codes`;
  const page = (await (await fetch(`${codesUrl}?page=1&pageSize=500`, { headers })).json()) as {
    items: { id: string; version: number; code: string; duration: number }[];
  };
  const target = page.items.find((item) => item.code === 'RES_002');
  if (!target) throw new Error('RES_002 was not applied');
  const { id, version, ...fields } = target;
  const put = await fetch(`${codesUrl}/${id}`, {
    method: 'PUT',
    headers: { ...headers, 'if-match': `"${version}"` },
    body: JSON.stringify({ ...fields, duration: 900 }),
  });
  if (!put.ok) throw new Error(`hand edit failed: ${put.status}`);
  note(`RES_002 duration ${target.duration} -> 900 s`);
  const post = await fetch(codesUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify([
      { code: 'TMP_HOLIDAY', name: 'Holiday Closure', category: 'Service', duration: 60 },
    ]),
  });
  if (!post.ok) throw new Error(`hand create failed: ${post.status}`);
  note('TMP_HOLIDAY created (not in any manifest)');
}

function banner(text: string): void {
  process.stdout.write(`\n${paint.cyan.bold(`== ${text}`)}\n`);
}

function note(text: string): void {
  process.stdout.write(`${paint.dim('  ')}${text}\n`);
}

function countLines(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
