import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForHttp, type ChildProcesses, type RunningProcess } from './child-processes.js';

export interface BreakwaterServer {
  server: RunningProcess;
  /** The virtual key's secret, for Authorization: Bearer. */
  key: string;
  /** Commands run, for the report when something fails. */
  log: string[];
}

/**
 * - `default`: the config a user gets from `breakwater serve` with one provider and one model
 *   (request log on, exact cache on);
 * - `governed`: every governance feature on — exact and semantic cache (both missing), PII
 *   redaction, an `auto` alias whose router picks between two tiers, plus the key's budget and
 *   rate limit.
 */
export type BreakwaterVariant = 'default' | 'governed';

export interface BreakwaterOptions {
  repoRoot: string;
  temporaryDirectory: string;
  mockPort: number;
  port: number;
  variant: BreakwaterVariant;
  /** Extra node flags for `serve` (e.g. --cpu-prof for bench/gateway/profile.ts). */
  nodeFlags?: readonly string[];
  /** The dashboard at /ui (default on, as in `serve`); bench:dashboard turns it off for its baseline. */
  ui?: boolean;
  /** Distinguishes two servers of the same variant (their folders). */
  name?: string;
  /** Environment for `serve` beyond the bench's own (e.g. BREAKWATER_ADMIN_TOKEN for a dashboard login). */
  env?: Readonly<Record<string, string>>;
}

/** Builds Breakwater (`npm run build`) once for every variant the run starts. */
export async function buildBreakwater(children: ChildProcesses, repoRoot: string): Promise<void> {
  const build = await children.run('npm run build', 'npm', ['run', 'build'], { cwd: repoRoot, env: process.env, timeoutMs: 120_000 });
  if (build.status !== 'exit 0') throw new Error(`npm run build failed (${build.status}):\n${build.output}`);
}

/**
 * Writes a bench config for the variant, creates a virtual key and starts `serve` (built
 * first with buildBreakwater). The key has a budget so the budget-reservation middleware runs
 * on every request, and a huge rpm so the rate limiter is consulted but never refuses.
 */
export async function startBreakwater(children: ChildProcesses, options: BreakwaterOptions): Promise<BreakwaterServer> {
  const log: string[] = [];
  const env = { ...breakwaterEnvironment(), ...options.env };
  const directory = join(options.temporaryDirectory, options.name ?? options.variant);
  mkdirSync(directory, { recursive: true });
  const configPath = join(directory, 'breakwater.yaml');
  writeFileSync(configPath, configYaml(options, directory));
  const cli = join(options.repoRoot, 'dist/cli/main.js');
  const keyArgs = [cli, 'keys', 'create', '--name', 'bench', '--config', configPath, '--json', '--budget', '1000000', '--period', 'total', '--rpm', '100000000'];
  const created = await children.run('breakwater keys create', process.execPath, keyArgs, { cwd: directory, env, timeoutMs: 30_000 });
  log.push(`node ${keyArgs.join(' ')} → ${created.status}`);
  const key = secretFrom(created.output);
  if (created.status !== 'exit 0' || !key) throw new Error(`keys create failed (${created.status}):\n${created.output}`);

  const serveArgs = [...binFlags(cli), ...(options.nodeFlags ?? []), cli, 'serve', '--config', configPath, '--port', String(options.port)];
  log.push(`node ${serveArgs.join(' ')}`);
  const server = children.start(`breakwater serve (${options.variant})`, process.execPath, serveArgs, { cwd: directory, env });
  await waitForHttp(server, `http://127.0.0.1:${options.port}/healthz`, 20_000);
  return { server, key, log };
}

/** The alias wrk asks for, in both variants (in `governed` it is the auto-routed one). */
export const benchModel = 'bench-model';

function configYaml(options: BreakwaterOptions, directory: string): string {
  const common = [
    'store: { driver: sqlite, path: ' + JSON.stringify(join(directory, 'bench.db')) + ' }',
    ...(options.ui === false ? ['ui: { enabled: false }'] : []),
    'providers:',
    `  upstream: { type: openai-compatible, baseUrl: "http://127.0.0.1:${options.mockPort}/v1" }`,
  ];
  if (options.variant === 'default') {
    return [...common, 'models:', `  ${benchModel}: { deployments: [ { provider: upstream, model: gpt-4o-mini } ] }`, ''].join('\n');
  }
  return [
    ...common,
    'cache: { semantic: { enabled: true } }',
    'pii: { mode: redact }',
    'models:',
    '  bench-small: { deployments: [ { provider: upstream, model: gpt-4o-mini } ] }',
    '  bench-large: { deployments: [ { provider: upstream, model: gpt-4o } ] }',
    'autoRoutes:',
    `  ${benchModel}: { tiers: [ { name: small, alias: bench-small }, { name: large, alias: bench-large } ] }`,
    '',
  ].join('\n');
}

/** The node flags in the `breakwater` bin's shebang (`npm start` and the image use the same): the bench runs what users run. */
function binFlags(cli: string): string[] {
  const shebang = readFileSync(cli, 'utf8').split('\n', 1)[0] ?? '';
  const flags = /\bnode\s+(.*)$/.exec(shebang)?.[1] ?? '';
  return flags.split(/\s+/).filter((flag) => flag.startsWith('--'));
}

/** The bench's config must win: drop settings a developer's shell may carry (PORT, BREAKWATER_DB, …). */
function breakwaterEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('BREAKWATER_') || name === 'PORT' || name === 'HOST') continue;
    env[name] = value;
  }
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
