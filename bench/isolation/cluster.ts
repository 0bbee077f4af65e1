import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcesses, RunningProcess } from '../gateway/child-processes.js';

export interface Node {
  process: RunningProcess;
  /** http://127.0.0.1:PORT */
  address: string;
}

/** Resolves with the first match of `pattern` in the process's output; fails if it ends first. */
export async function waitForOutput(running: RunningProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(running.output());
    if (match) return match;
    if (running.exitStatus() !== undefined) throw new Error(`${running.name} ended (${running.exitStatus()}) before printing ${pattern}; its output:\n${running.output()}`);
    if (Date.now() > deadline) throw new Error(`${running.name} did not print ${pattern} within ${timeoutMs} ms; its output:\n${running.output()}`);
    await sleep(50);
  }
}

/** `breakwater serve --role <role> --port 0` from source; resolves once it logs its address. */
export async function startNode(
  children: ChildProcesses,
  name: string,
  role: 'api' | 'worker',
  options: { repoRoot: string; config: string; env: NodeJS.ProcessEnv },
): Promise<Node> {
  // The V8 flags the `breakwater` bin, `npm start` and the image run with.
  const args = ['--max-semi-space-size=16', '--heap-growing-percent=50', '--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', options.config, '--role', role, '--port', '0'];
  const running = children.start(name, process.execPath, args, {
    cwd: options.repoRoot,
    env: options.env,
  });
  const match = await waitForOutput(running, /Breakwater listening on (http:\/\/[\d.]+:\d+)/, 90_000);
  return { process: running, address: match[1]! };
}

/** `breakwater keys create --json`; returns the secret. */
export async function createKey(children: ChildProcesses, options: { repoRoot: string; config: string; env: NodeJS.ProcessEnv }): Promise<string> {
  const result = await children.run(
    'keys create',
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'keys', 'create', '--name', 'isolation-bench', '--json', '--config', options.config],
    {
      cwd: options.repoRoot,
      env: options.env,
      timeoutMs: 60_000,
    },
  );
  const line = result.output.split('\n').find((candidate) => candidate.startsWith('{'));
  if (result.status !== 'exit 0' || !line) throw new Error(`keys create ended with ${result.status}; its output:\n${result.output}`);
  return (JSON.parse(line) as { key: string }).key;
}

/** POST /v1/jobs with a chat request for `model`; returns the job id. */
export async function submitChatJob(api: string, key: string, model: string): Promise<string> {
  const response = await fetch(`${api}/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'chat', request: { model, messages: [{ role: 'user', content: 'Summarise the quarterly report.' }], max_tokens: 16 } }),
  });
  const text = await response.text();
  if (response.status !== 202) throw new Error(`POST /v1/jobs answered ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { id: string }).id;
}

/** Submits `count` jobs, `parallel` requests at a time. */
export async function submitMany(api: string, key: string, model: string, count: number, parallel: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      await submitChatJob(api, key, model);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
}

/** Polls GET /v1/jobs/:id until the job has ended; returns its status, or 'timeout'. */
export async function waitForJob(api: string, key: string, id: string, timeoutMs: number): Promise<{ status: string; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let body = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${api}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } });
    body = await response.text();
    const status = (JSON.parse(body) as { status?: string }).status ?? `http ${response.status}`;
    if (['succeeded', 'failed', 'cancelled'].includes(status)) return { status, body };
    await sleep(200);
  }
  return { status: 'timeout', body };
}

export interface UpstreamStats {
  open: number;
  max_open: number;
  answered_slow: number;
}

export async function upstreamStats(upstream: string): Promise<UpstreamStats> {
  const response = await fetch(`${upstream}/stats`);
  return (await response.json()) as UpstreamStats;
}
