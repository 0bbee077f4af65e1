import { Command } from 'commander';
import { SqliteStore } from '../adapters/store/sqlite/sqlite-store.js';
import { loadFromFlags, withConfigOption, type ConfigFlags } from './config-options.js';

export function migrateCommand(): Command {
  return withConfigOption(new Command('migrate'))
    .description('Apply pending database migrations (serve also applies them at start-up)')
    .action(async (flags: ConfigFlags) => {
      const { config } = loadFromFlags(flags);
      const store = new SqliteStore(config.store.path);
      const { applied } = await store.migrate();
      await store.close();
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
    });
}
