#!/usr/bin/env -S node --max-semi-space-size=16 --heap-growing-percent=50
// A 16 MB semi-space and the old generation grown by 1.5x its live size at each major GC: V8's
// defaults let a loaded server's heap grow to ~4x what is live. Measured in bench:gateway's
// closed loop: the same CPU per request as a 64 MB semi-space, 220 MB RSS instead of 354 MB
// (bench/gateway/README.md, docs/operations.md#memory). bench:queue ran ~5-10% faster with 64 MB.
import { Command } from 'commander';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { keysCommand } from './keys-command.js';
import { serveCommand } from './serve-command.js';
import { migrateCommand } from './migrate-command.js';
import { demoCommand } from './demo-command.js';
import { runCommand } from './run-command.js';
import { jobsCommand } from './jobs-command.js';
import { workflowsCommand } from './workflows-command.js';
import { modelsCommand } from './models-command.js';
import { routerCommand } from './router-command.js';
import { promptsCommand } from './prompts-command.js';
import { ingestCommand } from './ingest-command.js';

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
program.addCommand(workflowsCommand());
program.addCommand(modelsCommand());
program.addCommand(routerCommand());
program.addCommand(promptsCommand());
program.addCommand(ingestCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (BreakwaterError.isInstance(error)) {
    process.stderr.write(`breakwater: ${error.code}: ${error.message}\n`);
    process.exit(error.code === 'CONFIG_INVALID' ? 78 : 1);
  }
  throw error;
}
