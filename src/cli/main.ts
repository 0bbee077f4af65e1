#!/usr/bin/env -S node --max-semi-space-size=64
// A 64 MB young generation: under load a job or request allocates a few KB that die young;
// fewer, larger scavenges cost less than many small ones (bench:queue, docs/operations.md).
import { Command } from 'commander';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { keysCommand } from './keys-command.js';
import { serveCommand } from './serve-command.js';
import { migrateCommand } from './migrate-command.js';
import { demoCommand } from './demo-command.js';
import { runCommand } from './run-command.js';
import { jobsCommand } from './jobs-command.js';
import { modelsCommand } from './models-command.js';
import { routerCommand } from './router-command.js';

const program = new Command()
  .name('breakwater')
  .description('Breakwater: the OpenAI-compatible AI gateway and durable AI work engine.')
  .showHelpAfterError('(add --help for usage)');

program.addCommand(serveCommand());
program.addCommand(keysCommand());
program.addCommand(migrateCommand());
program.addCommand(demoCommand());
program.addCommand(runCommand());
program.addCommand(jobsCommand());
program.addCommand(modelsCommand());
program.addCommand(routerCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (BreakwaterError.isInstance(error)) {
    process.stderr.write(`breakwater: ${error.code}: ${error.message}\n`);
    process.exit(error.code === 'CONFIG_INVALID' ? 78 : 1);
  }
  throw error;
}
