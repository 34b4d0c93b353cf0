/**
 * The implementation of `cxctl export` (see export.ts for its options), loaded when the command runs.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CxctlError } from '../errors.js';
import { exportManifests } from '../export/manifests.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { displayPath } from '../io/manifestFiles.js';
import { readLiveState } from '../kinds/readLive.js';
import { createClient, limitOptions } from '../cxone/client.js';
import { openTarget } from '../config/embedded.js';
import type { CliContext, GlobalArgs } from './context.js';
import { targetSpecFromArgs, type TargetArgs } from './targetOptions.js';
import { cliVersion } from '../util/version.js';

/** Parsed arguments of `cxctl export`. */
export interface ExportArgs extends TargetArgs, GlobalArgs {
  out: string;
  force: boolean;
}

/** Run `cxctl export`; returns the exit code. */
export async function exportMain(args: ExportArgs, context: CliContext): Promise<number> {
  const directory = resolve(context.cwd, args.out);
  const shown = displayPath(context.cwd, directory);
  if (existsSync(directory)) {
    if (!statSync(directory).isDirectory()) {
      throw new CxctlError('EXPORT_NOT_A_DIRECTORY', `${shown} exists and is not a directory`);
    }
    if (readdirSync(directory).length > 0 && !args.force) {
      throw new CxctlError('EXPORT_DIRECTORY_NOT_EMPTY', `${shown} is not empty`, {
        hint: 'choose an empty or new directory, or pass --force to replace the files export writes there',
      });
    }
  }
  const spec = targetSpecFromArgs(args, context, { webhooks: false });
  const target = await openTarget(spec, { cwd: context.cwd, logger: context.logger });
  let live;
  try {
    const client = createClient(target, {
      ...limitOptions(target.limits),
      logger: context.logger,
    });
    try {
      live = await readLiveState(client, {
        campaigns: (refs) => refs.data.campaigns.map((campaign) => campaign.id),
      });
    } finally {
      await client.close();
    }
  } finally {
    await target.close();
  }

  const result = exportManifests(live, { cxctlVersion: cliVersion() });
  const written = new Set<string>();
  for (const file of result.files) {
    const path = join(directory, ...file.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, file.text, 'the exported manifest');
    written.add(path);
  }
  const others = yamlFilesBelow(directory).filter((path) => !written.has(path));
  if (others.length > 0) {
    context.logger.warn(
      `${others.length} other YAML file(s) in ${shown} were left as they are and are read by plan too: ${others
        .slice(0, 5)
        .map((path) => relative(directory, path))
        .join(', ')}${others.length > 5 ? ', ...' : ''}`,
    );
  }
  const { wrapUpCodes, complianceRules, campaigns } = result.counts;
  context.stdout.write(
    result.files.length === 0
      ? `Nothing to export: ${spec.label} has no wrap-up codes and no compliance rules.\n`
      : `Exported ${wrapUpCodes} wrap-up code(s) and ${complianceRules} compliance rule(s) in ${campaigns} campaign(s) from ${target.label} to ${shown}:\n` +
          result.files.map((file) => `  ${file.path}\n`).join(''),
  );
  return 0;
}

/** `*.yaml`/`*.yml` files below `directory` (hidden entries skipped), depth-limited. */
function yamlFilesBelow(directory: string, depth = 0): string[] {
  if (depth > 8 || !existsSync(directory)) return [];
  const found: string[] = [];
  for (const name of readdirSync(directory)) {
    if (name.startsWith('.')) continue;
    const path = join(directory, name);
    const stat = statSync(path);
    if (stat.isDirectory()) found.push(...yamlFilesBelow(path, depth + 1));
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) found.push(path);
  }
  return found.sort();
}
