import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const repository = fileURLToPath(new URL('../../', import.meta.url));

/** The environment of a child server: not a node:test child, no config from the caller's shell. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['NODE_TEST_CONTEXT', 'BREAKWATER_CONFIG', 'BREAKWATER_ROLE', 'PORT']) delete env[name];
  return { ...env, ...extra };
}

export interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `breakwater serve` from source on port 0 and resolves with its URL once it says it listens. */
export async function startServer(configPath: string, options: { role?: 'api' | 'worker' | 'all'; env?: NodeJS.ProcessEnv } = {}): Promise<Server> {
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', configPath, '--port', '0', ...(options.role ? ['--role', options.role] : [])];
  const child = spawn(process.execPath, args, { cwd: repository, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /Breakwater listening on (http:\/\/[^"\s]+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`breakwater serve exited (${code ?? signal}) before listening:\n${output}`)));
  });
  return { child, url, output: () => output };
}

export async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
}
