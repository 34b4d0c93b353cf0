import { applyCommand } from './apply.js';
import type { CliCommand } from './command.js';
import { crmCommand } from './crm.js';
import { driftCommand } from './drift.js';
import { exportCommand } from './export.js';
import { initCommand } from './init.js';
import { planCommand } from './plan.js';
import { simulatorCommand } from './simulator.js';
import { testCommand } from './test.js';
import { validateCommand } from './validate.js';

/**
 * The registry of commands, in the order `cxctl --help` lists them.
 * Adding a command = one file in src/cli/ + one line here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own argument type
export const commands: readonly CliCommand<any>[] = [
  validateCommand,
  planCommand,
  applyCommand,
  driftCommand,
  exportCommand,
  testCommand,
  crmCommand,
  simulatorCommand,
  initCommand,
];
