import { Command } from 'commander';
import { openStore } from '../adapters/open-adapters.js';
import { SqliteStore } from '../adapters/store/sqlite/sqlite-store.js';
import { loadFromFlags, withConfigOption, type ConfigFlags } from './config-options.js';

export function migrateCommand(): Command {
  return withConfigOption(new Command('migrate'))
    .description('Apply pending database migrations (serve also applies them at start-up)')
    .action(async (flags: ConfigFlags) => {
      const { config, env } = loadFromFlags(flags);
      // The SQLite store reports what it applied; the PostgreSQL store migrates as it opens
      // (under an advisory lock, so replicas starting together apply each migration once).
      if (config.store.driver === 'sqlite') {
        const store = new SqliteStore(config.store.path);
        const { applied } = await store.migrate();
        await store.close();
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n');
        return;
      }
      const store = await openStore(config, env);
      await store.close();
      process.stdout.write('migrations applied: the database is up to date\n');
    });
}
