import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CxctlError } from '../errors.js';
import { scaffoldFiles, type TemplateFile } from '../init/scaffold.js';
import { packageRoot } from '../util/packageRoot.js';
import { defineCommand } from './command.js';
import { cliVersion } from '../util/version.js';

/** `cxctl init [DIR]`: scaffold a repository ready for validate, test and plan. */
export const initCommand = defineCommand({
  command: 'init [dir]',
  describe: 'Create cxctl.yaml, manifests/ and CI workflow examples in DIR (default: .)',
  builder: (yargs) =>
    yargs
      .positional('dir', {
        type: 'string',
        default: '.',
        describe: 'directory to create the files in',
      })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite files that exist' }),
  run: (args, context) => {
    const target = resolve(context.cwd, args.dir);
    const root = packageRoot();
    const files = scaffoldFiles(
      readTemplates(join(root, 'templates', 'init')),
      readTemplates(join(root, 'examples', '.github', 'workflows')),
      cliVersion(),
    );
    const existing = files.filter((file) => existsSync(join(target, file.path)));
    if (existing.length > 0 && !args.force) {
      throw new CxctlError(
        'INIT_FILES_EXIST',
        `${existing.length} file(s) already exist in ${displayPath(context.cwd, target)}: ${existing.map((f) => f.path).join(', ')}; nothing was written`,
        { hint: 'choose an empty directory, or pass --force to overwrite them' },
      );
    }
    for (const file of files) {
      const path = join(target, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    const where = displayPath(context.cwd, target);
    context.stdout.write(`Created ${files.length} files in ${where}:\n`);
    for (const file of files) context.stdout.write(`  ${file.path}\n`);
    const cd = where === '.' ? '' : `cd ${where} && `;
    context.stdout.write(
      `\nNext: ${cd}cxctl validate && cxctl test && cxctl plan\n` +
        '(the default profile targets the embedded simulator; add your tenant to cxctl.yaml)\n',
    );
    return Promise.resolve(0);
  },
});

/** Every file under `root`, recursively, with `/`-separated relative paths. */
function readTemplates(root: string): TemplateFile[] {
  const entries = readdirSync(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return {
        path: relative(root, path).split('\\').join('/'),
        content: readFileSync(path, 'utf8'),
      };
    });
}

function displayPath(cwd: string, path: string): string {
  return relative(cwd, path) || '.';
}
