/**
 * One measurement of bench/validate.ts, run in a fresh process so that memory and JIT state of one
 * scenario never leak into another. Prints one JSON line: CPU and wall milliseconds of the work
 * (module loading excluded) and the process's peak RSS.
 *
 * Usage: node dist/bench/validateWorker.js SCENARIO FILE
 */
import { readFileSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import jsYaml from 'js-yaml';
import { parse } from 'yaml';
import { readManifestFiles } from '../src/io/manifestFiles.js';
import { buildDesiredState } from '../src/manifest/pipeline.js';

const [scenario, file] = process.argv.slice(2);
if (!scenario || !file) throw new Error('usage: validateWorker SCENARIO FILE');

const startCpu = process.cpuUsage();
const startWall = performance.now();
let detail = '';
switch (scenario) {
  case 'js-yaml load':
    jsYaml.load(readFileSync(file, 'utf8'), { schema: jsYaml.CORE_SCHEMA });
    break;
  case 'yaml parse':
    parse(readFileSync(file, 'utf8'));
    break;
  case 'validate (auto)':
  case 'validate (slow path forced)': {
    const read = readManifestFiles([basename(file)], dirname(file));
    const result = buildDesiredState(read.sources, {
      env: {},
      parser: scenario === 'validate (auto)' ? 'auto' : 'slow',
    });
    const { sliced, fileParses } = result.locator.stats;
    detail = `${result.files.map((f) => f.path).join(',')} path, ${result.diagnostics.length} diagnostics, ${result.desired.wrapUpCodes.length} codes, positions: ${sliced} by slice, ${fileParses} whole-file parses`;
    break;
  }
  default:
    throw new Error(`unknown scenario ${scenario}`);
}
const cpu = process.cpuUsage(startCpu);
const wallMs = performance.now() - startWall;
console.log(
  JSON.stringify({
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    rssMiB: process.resourceUsage().maxRSS / 1024,
    detail,
  }),
);
