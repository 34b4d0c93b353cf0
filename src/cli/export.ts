import { defineCommand } from './command.js';
import { withTargetOptions } from './targetOptions.js';

/**
 * `cxctl export --out DIR`: write the tenant's wrap-up codes and compliance rules as manifests.
 * Read-only towards CXone. Refuses a DIR that exists and is not empty unless `--force`, which
 * replaces the files export writes and leaves every other file alone (listing the other YAML files,
 * which plan would read too).
 */
export const exportCommand = defineCommand({
  command: 'export',
  describe: 'Write live CXone configuration as manifests into --out DIR (adopt an existing tenant)',
  readsConfig: true,
  builder: (yargs) =>
    withTargetOptions(
      yargs
        // `--out` is required, so the usage line shows it, as `cxctl export --help` should.
        .usage(
          '$0 export --out DIR\n\nWrite live CXone configuration as manifests (adopt an existing tenant)',
        )
        .option('out', {
          type: 'string',
          demandOption: true,
          describe: 'directory to write the manifests to',
        })
        .option('force', {
          type: 'boolean',
          default: false,
          describe: 'write into a directory that is not empty, replacing files of the same name',
        }),
    ),
  run: async (args, context) => {
    // The implementation (client, YAML writer) loads only when the command runs.
    const { exportMain } = await import('./exportMain.js');
    return exportMain(args, context);
  },
});
