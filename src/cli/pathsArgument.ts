import type { Argv } from 'yargs';

/** What {@link withManifestPaths} adds to a command's arguments. */
export interface ManifestPathsArgs {
  paths: string[] | undefined;
}

/**
 * Declare the `[paths..]` positional of the commands that read manifests (validate, test, plan,
 * drift, apply, crm mappings); the default is resolved by src/io/manifestFiles.ts.
 */
export function withManifestPaths<T>(yargs: Argv<T>): Argv<T & ManifestPathsArgs> {
  return yargs.positional('paths', {
    type: 'string',
    array: true,
    describe: 'manifest files or directories (default: manifests/ if it exists, else .)',
  });
}
