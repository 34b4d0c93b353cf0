/**
 * Opening a resolved target: for `embedded`, start the CXone simulator in this process on an
 * ephemeral loopback port with its state in `.cxctl/simulator-state.json` under the working
 * directory (loaded at start, written on every change and at close).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CxctlError } from '../errors.js';
import { registerSecret } from '../secrets.js';
import type { SimulatorOptions } from '../simulator/index.js';
import { silentLogger, type Logger } from '../util/log.js';
import type { Target, TargetSpec } from './types.js';

/** Where the embedded simulator keeps its state, relative to the working directory. */
export const EMBEDDED_STATE_FILE = join('.cxctl', 'simulator-state.json');

/** Options of {@link openTarget}. */
export interface OpenTargetOptions {
  /** Working directory; the embedded simulator's state lives below it. */
  cwd: string;
  logger?: Logger;
  /** Extra simulator settings (latency for demos and benchmarks, a seed for tests). */
  simulator?: Omit<SimulatorOptions, 'host' | 'port' | 'statePath'>;
}

/** Make `spec` usable: connection details, and a started simulator for `embedded`. */
export async function openTarget(spec: TargetSpec, options: OpenTargetOptions): Promise<Target> {
  if (spec.kind === 'http') {
    if (!spec.apiBase || !spec.tokenUrl || !spec.clientId || !spec.clientSecret) {
      throw new CxctlError(
        'CONFIG_INCOMPLETE',
        'the target is missing its API base or credentials',
        {
          source: 'tool',
        },
      );
    }
    return {
      kind: 'http',
      label: spec.label,
      ...(spec.profile !== undefined ? { profile: spec.profile } : {}),
      apiBase: spec.apiBase,
      tokenUrl: spec.tokenUrl,
      clientId: spec.clientId,
      clientSecret: spec.clientSecret,
      ...(spec.campaignId !== undefined ? { campaignId: spec.campaignId } : {}),
      limits: spec.limits,
      webhooks: spec.webhooks,
      close: () => Promise.resolve(),
    };
  }

  const logger = options.logger ?? silentLogger;
  const statePath = join(options.cwd, EMBEDDED_STATE_FILE);
  try {
    mkdirSync(dirname(statePath), { recursive: true });
  } catch (error: unknown) {
    throw new CxctlError(
      'EMBEDDED_STATE_DIR',
      `cannot create ${dirname(EMBEDDED_STATE_FILE)} for the embedded simulator's state: ${(error as Error).message}`,
      { hint: 'run cxctl from a writable directory, or choose another target' },
    );
  }
  // Loaded only for embedded targets, so runs against a tenant never load the simulator.
  const { startSimulator } = await import('../simulator/index.js');
  const simulator = await startSimulator({
    ...options.simulator,
    host: '127.0.0.1',
    port: 0,
    statePath,
    onError: (error: unknown) => {
      logger.warn(`embedded simulator: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  registerSecret(simulator.clientSecret);
  logger.debug(`embedded simulator on ${simulator.url}, state in ${EMBEDDED_STATE_FILE}`);
  let closing: Promise<void> | undefined;
  return {
    kind: 'embedded',
    label: 'embedded',
    ...(spec.profile !== undefined ? { profile: spec.profile } : {}),
    apiBase: simulator.url,
    tokenUrl: simulator.tokenUrl,
    clientId: simulator.clientId,
    clientSecret: simulator.clientSecret,
    ...(spec.campaignId !== undefined ? { campaignId: spec.campaignId } : {}),
    limits: spec.limits,
    webhooks: spec.webhooks,
    close: () => (closing ??= simulator.stop()),
  };
}
