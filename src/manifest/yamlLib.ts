/**
 * The `yaml` package, loaded on first use. Files on the fast path never need it, and loading it
 * costs about as much CPU as validating a few thousand wrap-up codes, so it is not imported at
 * start-up. Types are imported statically (erased at compile time).
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

type YamlModule = typeof Yaml;

let loaded: YamlModule | undefined;

/** The yaml module (its CommonJS build, which is the same code as its ESM build). */
export function yamlLib(): YamlModule {
  loaded ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return loaded;
}
