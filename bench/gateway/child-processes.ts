import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  /** The last few KB of the process's stdout and stderr, to quote when it misbehaves. */
  output(): string;
  /** Exit code (or signal name) once the process has ended, undefined while it runs. */
  exitStatus(): string | undefined;
  readonly exited: Promise<void>;
}

export interface CommandResult {
  status: string;
  output: string;
}

const outputLimit = 16 * 1024;

/**
 * Every child of the bench. Each one leads its own process group, so kill(-pid) also ends
 * whatever it spawned (npm's shell, tsc) and a Ctrl-C at the terminal cannot leave a server
 * listening behind us: the orchestrator's handlers kill each group by its id.
 */
export class ChildProcesses {
  private readonly live = new Map<number, ChildProcess>();

  start(name: string, command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): RunningProcess {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start ${name}: ${command} ${args.join(' ')}`);
    const pid = child.pid;
    this.live.set(pid, child);
    let buffer = '';
    let status: string | undefined;
    // Always drain the pipes: a child blocked on a full pipe would stall mid-benchmark.
    const keep = (part: Buffer) => {
      buffer = (buffer + part.toString('utf8')).slice(-outputLimit);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<void>((resolve) => {
      child.once('error', (error) => {
        keep(Buffer.from(`\n[spawn error] ${error.message}\n`));
        status ??= 'spawn-error';
        this.live.delete(pid);
        resolve();
      });
      child.once('close', (code, signal) => {
        status = code !== null ? `exit ${code}` : `signal ${signal ?? 'unknown'}`;
        this.live.delete(pid);
        resolve();
      });
    });
    return { name, pid, output: () => buffer, exitStatus: () => status, exited };
  }

  /** Runs a command to completion (bounded by timeoutMs) and returns its combined output. */
  async run(name: string, command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<CommandResult> {
    const running = this.start(name, command, args, options);
    const timer = setTimeout(() => this.kill(running.pid, 'SIGKILL'), options.timeoutMs);
    await running.exited;
    clearTimeout(timer);
    return { status: running.exitStatus() ?? 'unknown', output: running.output() };
  }

  kill(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** SIGTERM every group, then SIGKILL whatever has not ended within graceMs. */
  async stopAll(graceMs = 2000): Promise<void> {
    const pending = [...this.live.entries()];
    for (const [pid] of pending) this.kill(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (this.live.size > 0 && Date.now() < deadline) await sleep(50);
    this.killAllNow();
  }

  /** Synchronous last resort for process.on('exit'). */
  killAllNow(): void {
    for (const pid of this.live.keys()) this.kill(pid, 'SIGKILL');
  }
}

/** Resolves once a TCP connect to 127.0.0.1:port succeeds; fails if the process ends first. */
export async function waitForTcp(server: RunningProcess, port: number, timeoutMs: number): Promise<void> {
  await waitUntil(
    server,
    timeoutMs,
    `a TCP connect to 127.0.0.1:${port}`,
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
  );
}

/** Resolves once GET url answers 200; fails if the process ends first. */
export async function waitForHttp(server: RunningProcess, url: string, timeoutMs: number): Promise<void> {
  await waitUntil(server, timeoutMs, `GET ${url} = 200`, async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  });
}

async function waitUntil(server: RunningProcess, timeoutMs: number, what: string, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitStatus() !== undefined) {
      throw new Error(`${server.name} ended (${server.exitStatus()}) before ${what}; its output:\n${server.output()}`);
    }
    if (await ready()) return;
    await sleep(50);
  }
  throw new Error(`${server.name} was not ready (${what}) within ${timeoutMs} ms; its output:\n${server.output()}`);
}

/** `count` free loopback ports, all listening at once so the kernel cannot hand out the same one twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((done, fail) => {
          const server = createServer();
          server.once('error', fail);
          server.listen(0, '127.0.0.1', () => done(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}
