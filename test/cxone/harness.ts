/**
 * A real simulator on an ephemeral loopback port plus a client pointed at it, for the client's
 * HTTP tests. Nothing is mocked: requests go over TCP to the simulator's HTTP server.
 */
import { request } from 'undici';
import { createClient, type ClientOptions, type CxoneClient } from '../../src/cxone/client.js';
import type { ClientEvent } from '../../src/cxone/events.js';
import {
  startSimulator,
  type RequestLogEntry,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../src/simulator/index.js';

/** Quick retries so failure tests stay fast; tests of Retry-After and bounds override them. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000 };

export interface Harness {
  sim: RunningSimulator;
  client: CxoneClient;
  /** Every client event, in order. */
  events: ClientEvent[];
  /** A second client on the same simulator (shares nothing with the first). */
  newClient(options?: ClientOptions): CxoneClient;
  /** Call a control endpoint over HTTP. */
  control(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<unknown>;
  /** Logged API requests (token requests included). */
  entries(): RequestLogEntry[];
  close(): Promise<void>;
}

/** Start a simulator and a client (generous limits unless the test sets its own). */
export async function startHarness(
  simOptions: SimulatorOptions = {},
  clientOptions: ClientOptions = {},
): Promise<Harness> {
  const sim = await startSimulator(simOptions);
  const events: ClientEvent[] = [];
  const clients: CxoneClient[] = [];
  const newClient = (options: ClientOptions = {}): CxoneClient => {
    const client = createClient(
      {
        apiBase: sim.url,
        tokenUrl: sim.tokenUrl,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
      },
      { rateLimit: 1000, concurrency: 8, retry: FAST_RETRY, ...options },
    );
    clients.push(client);
    return client;
  };
  const client = newClient({
    ...clientOptions,
    onEvent: (event) => {
      events.push(event);
      clientOptions.onEvent?.(event);
    },
  });
  return {
    sim,
    client,
    events,
    newClient,
    async control(method, path, body) {
      const response = await request(`${sim.url}${path}`, {
        method,
        ...(body !== undefined
          ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
          : {}),
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) {
        throw new Error(`control ${method} ${path} answered ${response.statusCode}: ${text}`);
      }
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    },
    entries: () => sim.requests({ entries: true }).entries ?? [],
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await sim.stop();
    },
  };
}

/** `n` wrap-up codes in the default seed's categories. */
export function makeCodes(
  n: number,
  prefix = 'C',
): {
  code: string;
  name: string;
  category: string;
  duration: number;
  isActive: boolean;
  isDefault: boolean;
}[] {
  const categories = ['Resolution', 'Sales', 'Service', 'Billing'];
  return Array.from({ length: n }, (_unused, index) => ({
    code: `${prefix}${String(index).padStart(5, '0')}`,
    name: `Code ${index}`,
    category: categories[index % categories.length]!,
    duration: 60 + (index % 100),
    isActive: true,
    isDefault: false,
  }));
}

/** Requests the simulator logged for a route label such as `GET /api/v2/campaigns`. */
export function count(harness: Harness, label: string): number {
  return harness.sim.requests().counts[label] ?? 0;
}
