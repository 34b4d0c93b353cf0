/**
 * Bundles the CLI with esbuild into dist/bundle/: `main.js` (the `cxctl` bin, from
 * src/cli/bin.ts), a small ES module that runs `cli.cjs`, the code itself, with V8's code cache
 * (see {@link bundleOptions} and src/cli/loadBundle.ts; the cache is written by
 * scripts/trainCodeCache.ts).
 *
 * Why: Node resolves, reads and compiles every ES module separately, and undici alone is some 500
 * CommonJS files. cxctl as ~140 modules plus its dependencies spent 150 to 250 ms just loading
 * before doing anything (`cxctl --version` took 250 ms against 90 ms for `node -e 0`); a handful
 * of bundled files load in a fraction of that. See docs/plan.md, "Performance".
 *
 * The tsc output (dist/src) stays for tests and type declarations; users run the bundle. Assets
 * (schemas/, templates/, examples/) are found from the bundle's location by packageRoot().
 * Run by `npm run build` after tsc: `node dist/scripts/bundle.js`.
 */
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

/** Where the bundle goes, relative to the package root. */
export const BUNDLE_DIR = join('dist', 'bundle');

/**
 * The esbuild options for the package at `root`: two builds into one folder.
 * - `entries`: the file Node starts, a small ES module: `main.js`, the `cxctl` bin
 *   (src/cli/bin.ts).
 * - `bundles`: what it runs, CommonJS so that V8 accepts a code cache for it
 *   (src/cli/loadBundle.ts): `cli.cjs`, the whole CLI (src/cli/main.ts). Modules a command loads
 *   with `import()` are only initialised when it runs.
 */
export function bundleOptions(root: string): { entries: BuildOptions; bundles: BuildOptions } {
  const shared: BuildOptions = {
    absWorkingDir: root,
    outdir: BUNDLE_DIR,
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    plugins: [yargsPlugin, undiciAgentPlugin],
    logLevel: 'warning',
    metafile: true,
  };
  return {
    entries: {
      ...shared,
      entryPoints: { main: 'src/cli/bin.ts' },
      format: 'esm',
    },
    bundles: {
      ...shared,
      entryPoints: { cli: 'src/cli/main.ts' },
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      // The sources are ES modules that find files relative to themselves; in the bundle,
      // relative to the bundle file (packageRoot() walks up from there, `yaml` and ajv's runtime
      // resolve to node_modules from there).
      define: { 'import.meta.url': '__cxctlModuleUrl' },
      banner: {
        js: "const __cxctlModuleUrl = require('node:url').pathToFileURL(__filename).href;",
      },
    },
  };
}

// The API client's transport (src/cxone/http.ts), which needs undici's Agent and nothing else.
const HTTP_TRANSPORT = /[\\/]src[\\/]cxone[\\/]http\.ts$/;

/**
 * The API client uses one thing from undici: `Agent` (and the `request()` method every
 * dispatcher gets from undici's `lib/api`). undici's index also loads fetch, WebSocket, the cache,
 * mocks and proxies, twice the code, and its cookie module makes Node load its own internal copy
 * of undici as well, 30 to 40 ms of the start of every run that reads live state. So the
 * transport gets exactly what undici's
 * index gives it for `Agent`; everything else (webhook delivery) imports undici as usual. esbuild
 * fails the build if undici ever moves these files.
 */
const undiciAgentPlugin: Plugin = {
  name: 'cxctl-undici-agent',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, ({ importer }) =>
      HTTP_TRANSPORT.test(importer) ? { path: 'agent', namespace: 'cxctl-undici' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'cxctl-undici' }, () => ({
      resolveDir: build.initialOptions.absWorkingDir ?? '.',
      contents: `// As undici/index.js does: every dispatcher gets request(), stream(), ... from lib/api.
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js'));
export const Agent = require('undici/lib/dispatcher/agent.js');`,
      loader: 'js',
    }));
  },
};

// yargs' platform shim for Node (the file that imports its dependencies).
const YARGS_SHIM = /[\\/]node_modules[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/;
const LAZY_NAMESPACE = 'cxctl-lazy';

/**
 * Two adjustments to yargs, which is written to be loaded from node_modules:
 * - Its translations (`LANG=de_DE cxctl plan --bogus` says "Unbekanntes Argument") are read from a
 *   folder relative to the module's own file; in the bundle that file is dist/bundle/*.js, so the
 *   folder is found through yargs' package instead.
 * - cliui and string-width lay out help text only, and building their Unicode tables
 *   (`Intl.Segmenter`, property escapes) took about 30 ms of every start; the bundle gives yargs
 *   stand-ins that load them on first use (esbuild initialises a required ES module lazily).
 */
const yargsPlugin: Plugin = {
  name: 'cxctl-yargs',
  setup(build) {
    build.onLoad({ filter: YARGS_SHIM }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const original = "resolve(__dirname, '../../../locales')";
      if (!source.includes(original)) {
        throw new Error(`${path}: cannot find where yargs locates its translations`);
      }
      return {
        contents: source.replace(
          original,
          "resolve(dirname(require.resolve('yargs/package.json')), 'locales')",
        ),
        loader: 'js',
      };
    });
    build.onResolve({ filter: /^(cliui|string-width)$/ }, ({ path, importer }) =>
      YARGS_SHIM.test(importer) ? { path, namespace: LAZY_NAMESPACE } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: LAZY_NAMESPACE }, ({ path }) => ({
      // resolveDir lets the require() below resolve from yargs' folder, to the real module.
      resolveDir: join(build.initialOptions.absWorkingDir ?? '.', 'node_modules', 'yargs'),
      contents: `let loaded;
export default function lazy(...args) {
  loaded ??= require(${JSON.stringify(path)}).default;
  return loaded(...args);
}`,
      loader: 'js',
    }));
  },
};

async function main(): Promise<void> {
  const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
  rmSync(join(root, BUNDLE_DIR), { recursive: true, force: true });
  const { entries, bundles } = bundleOptions(root);
  const results = await Promise.all([build(entries), build(bundles)]);
  chmodSync(join(root, BUNDLE_DIR, 'main.js'), 0o755);
  const outputs = results
    .flatMap((result) => Object.entries(result.metafile?.outputs ?? {}))
    .filter(([file]) => !file.endsWith('.map'));
  const bytes = outputs.reduce((total, [, output]) => total + output.bytes, 0);
  console.log(`bundle: ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB in ${BUNDLE_DIR}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
