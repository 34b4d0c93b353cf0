import { resolve } from 'node:path';
import { registerSecret } from '../secrets.js';
import type { SimulatorOptions } from '../simulator/index.js';
import { defineCommand } from './command.js';

/**
 * `cxctl simulator`: serve the embedded CXone API simulator until SIGINT/SIGTERM (SIMULATOR.md).
 * The first stdout line is exactly `listening on http://HOST:PORT`, so scripts can wait for it.
 */
export const simulatorCommand = defineCommand({
  command: 'simulator',
  describe: 'Run the embedded CXone API simulator (loopback by default)',
  builder: (yargs) =>
    yargs
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'interface to bind; the /__sim/ control API is only served on loopback',
      })
      .option('port', { type: 'number', default: 0, describe: 'port (0 = pick a free one)' })
      .option('seed', { type: 'string', describe: 'JSON file with the initial state' })
      .option('state', {
        type: 'string',
        describe: 'JSON state file: loaded if it exists, written after changes and on exit',
      })
      .option('latency-ms', {
        type: 'number',
        default: 0,
        describe: 'delay added to every API response',
      })
      .option('token-ttl', {
        type: 'number',
        default: 3600,
        describe: 'access token lifetime in seconds',
      })
      .option('rate-limit', {
        type: 'number',
        describe: 'requests per second per tenant (default: no limit)',
      })
      .option('retry-after', {
        type: 'boolean',
        default: true,
        describe:
          'send Retry-After with rate-limit 429s (--no-retry-after answers 429 without it, as many tenants do)',
      })
      .option('client-id', { type: 'string', default: 'cxctl-sim', describe: 'OAuth client id' })
      .option('client-secret', {
        type: 'string',
        default: 'cxctl-sim-secret',
        describe: 'OAuth client secret',
      }),
  run: async (args, context) => {
    registerSecret(args['client-secret']);
    // Loaded here, not at start-up: every other command would pay for it.
    const { readStateFile, startSimulator } = await import('../simulator/index.js');
    const { isLoopbackAddress } = await import('../simulator/http.js');
    const options: SimulatorOptions = {
      host: args.host,
      port: args.port,
      latencyMs: args['latency-ms'],
      tokenTtlSeconds: args['token-ttl'],
      clientId: args['client-id'],
      clientSecret: args['client-secret'],
      onError: (error) =>
        context.logger.error(
          `simulator: ${error instanceof Error ? error.message : String(error)}`,
        ),
    };
    if (args.seed !== undefined)
      options.seed = readStateFile(resolve(context.cwd, args.seed), 'seed file', args.seed).state;
    if (args.state !== undefined) options.statePath = resolve(context.cwd, args.state);
    if (args['rate-limit'] !== undefined)
      options.rateLimit = {
        requestsPerSecond: args['rate-limit'],
        ...(args['retry-after'] ? {} : { retryAfter: false }),
      };

    const simulator = await startSimulator(options);
    context.stdout.write(`listening on ${simulator.url}\n`);
    if (!isLoopbackAddress(args.host)) {
      context.logger.warn(
        `${args.host} is not a loopback address: the /__sim/ control API is disabled, and anyone who can reach this port can use the simulated API`,
      );
    }
    context.logger.info(
      `client id ${simulator.clientId}; token URL ${simulator.tokenUrl}${simulator.controlApi ? `; control API ${simulator.url}/__sim/` : ''}`,
    );
    await new Promise<void>((done) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        context.logger.info(`${signal}: stopping`);
        done();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await simulator.stop();
    return 0;
  },
});
