import { Command, Option } from 'commander';
import { appLogger, createApp, type Role } from '../app.js';
import { describeStore } from '../adapters/open-adapters.js';
import { warmUpRequestRules } from '../core/warm-up.js';
import { buildServer } from '../http/server.js';
import { integer, loadFromFlags, withConfigOption, type ConfigFlags } from './config-options.js';
import { modelFetcher } from './models/fetch-model.js';

export function serveCommand(): Command {
  return withConfigOption(new Command('serve'))
    .description('Start the Breakwater server (embedded defaults when there is no config file)')
    .option('-p, --port <port>', 'port to listen on (default: $PORT, then server.port, then 8080)', integer)
    .option('--host <host>', 'interface to bind (default: server.host, 127.0.0.1)')
    .addOption(
      new Option('--role <role>', 'api: serve HTTP only; worker: run jobs (HTTP serves health and metrics only); all: both')
        .choices(['api', 'worker', 'all'])
        .env('BREAKWATER_ROLE')
        .default('all'),
    )
    .action(async (flags: ConfigFlags & { role: Role }) => {
      const loaded = loadFromFlags(flags);
      const logger = appLogger(loaded.config, { buffered: true });
      const app = await createApp(loaded, { role: flags.role, logger, services: { fetchModel: modelFetcher(loaded.env, logger) } });
      const server = await buildServer(app);
      // Compiled before the first request rather than inside it (core/warm-up.ts).
      warmUpRequestRules();
      const address = await server.listen({ port: loaded.config.server.port, host: loaded.config.server.host });
      const keyCount = (await app.keys.list()).filter((key) => key.revokedAt === null).length;
      app.logger.info(
        {
          address,
          role: app.role,
          config: loaded.source,
          store: describeStore(loaded.config),
          queue: loaded.config.queue.driver,
          models: Object.keys(loaded.config.models),
          pipelines: [...app.pipelines.keys()],
          keys: keyCount,
        },
        `Breakwater listening on ${address}`,
      );
      if (keyCount === 0) app.logger.warn('No virtual keys yet: create one with `breakwater keys create --name my-app`');
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        app.logger.info({ signal }, 'shutting down: finishing in-flight requests and running jobs');
        await server.close();
        await app.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
