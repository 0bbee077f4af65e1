import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForHttp, type ChildProcesses, type RunningProcess } from './child-processes.js';

export interface BreakwaterServer {
  server: RunningProcess;
  /** The virtual key's secret, for Authorization: Bearer. */
  key: string;
  /** Commands run, for the report when something fails. */
  log: string[];
}

export interface BreakwaterOptions {
  repoRoot: string;
  temporaryDirectory: string;
  mockPort: number;
  port: number;
}

/**
 * Builds Breakwater, writes a bench config, creates a virtual key and starts `serve`.
 * The key has a budget so the budget-reservation middleware runs on every request, and a
 * huge rpm so the rate limiter is consulted but never refuses: all default middleware stays
 * on, which is the cost users pay.
 */
export async function startBreakwater(children: ChildProcesses, options: BreakwaterOptions): Promise<BreakwaterServer> {
  const log: string[] = [];
  const env = breakwaterEnvironment();
  const build = await children.run('npm run build', 'npm', ['run', 'build'], { cwd: options.repoRoot, env: process.env, timeoutMs: 120_000 });
  log.push(`npm run build → ${build.status}`);
  if (build.status !== 'exit 0') throw new Error(`npm run build failed (${build.status}):\n${build.output}`);

  const configPath = join(options.temporaryDirectory, 'breakwater.yaml');
  writeFileSync(configPath, configYaml(options));
  const cli = join(options.repoRoot, 'dist/cli/main.js');
  const keyArgs = [cli, 'keys', 'create', '--name', 'bench', '--config', configPath, '--json', '--budget', '1000000', '--period', 'total', '--rpm', '100000000'];
  const created = await children.run('breakwater keys create', process.execPath, keyArgs, { cwd: options.temporaryDirectory, env, timeoutMs: 30_000 });
  log.push(`node ${keyArgs.join(' ')} → ${created.status}`);
  const key = secretFrom(created.output);
  if (created.status !== 'exit 0' || !key) throw new Error(`keys create failed (${created.status}):\n${created.output}`);

  // The V8 flag the `breakwater` bin (its shebang), `npm start` and the container image run with.
  const serveArgs = ['--max-semi-space-size=64', cli, 'serve', '--config', configPath, '--port', String(options.port)];
  log.push(`BREAKWATER_LOG_LEVEL=warn node ${serveArgs.join(' ')}`);
  const server = children.start('breakwater serve', process.execPath, serveArgs, { cwd: options.temporaryDirectory, env });
  await waitForHttp(server, `http://127.0.0.1:${options.port}/healthz`, 20_000);
  return { server, key, log };
}

function configYaml(options: BreakwaterOptions): string {
  return [
    'store: { driver: sqlite, path: ' + JSON.stringify(join(options.temporaryDirectory, 'bench.db')) + ' }',
    'log: { level: warn, requests: false }',
    'providers:',
    `  upstream: { type: openai-compatible, baseUrl: "http://127.0.0.1:${options.mockPort}/v1" }`,
    'models:',
    '  bench-model: { deployments: [ { provider: upstream, model: gpt-4o-mini } ] }',
    '',
  ].join('\n');
}

/** The bench's config must win: drop settings a developer's shell may carry (PORT, BREAKWATER_DB, …). */
function breakwaterEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('BREAKWATER_') || name === 'PORT' || name === 'HOST') continue;
    env[name] = value;
  }
  env.BREAKWATER_LOG_LEVEL = 'warn';
  return env;
}

function secretFrom(output: string): string | undefined {
  for (const line of output.split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { key?: unknown }).key === 'string') return (parsed as { key: string }).key;
    } catch {
      // Not the JSON line.
    }
  }
  return undefined;
}
