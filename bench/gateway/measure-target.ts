import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcesses } from './child-processes.js';
import { probe } from './probe.js';
import { cpuTimeMs, residentMb } from './process-stats.js';
import type { Target, TargetId } from './target.js';
import { runWrk, type WrkOptions, type WrkResult } from './wrk-run.js';

/** Durations chosen so that three targets fit in ~2 minutes of load on a 2-core machine. */
export const plan = {
  // Portkey's first ~600 requests cost twice the CPU of later ones (JIT); 3 s gets past that.
  warmupSeconds: 3,
  saturationSeconds: 8,
  saturationConnections: [32, 128],
  pacedSeconds: 8,
  pacedConnections: 8,
  streamWarmupSeconds: 1,
} as const;

export interface RunRecord {
  target: TargetId;
  run: string;
  result: WrkResult;
  /** Server CPU ms per request served during this run (closed-loop runs only). */
  cpuMsPerRequest: number | null;
  /** What a single request returned after a failing run, when wrk saw no error body itself. */
  note: string | undefined;
}

export interface TargetMeasurement {
  target: TargetId;
  runs: RunRecord[];
  /** Best successful-RPS of the valid closed-loop runs; null when none was valid. */
  maxRps: number | null;
  paced: WrkResult | null;
  stream: WrkResult | null;
  /** Why there is no streaming figure (the target cannot stream, or it was not measured). */
  streamFailure: string | undefined;
  cpuMsPerRequest: number | null;
  rssMb: number | null;
}

export interface MeasureContext {
  children: ChildProcesses;
  wrk: string;
  benchDirectory: string;
  nonce: string;
  log: (line: string) => void;
}

export async function measureTarget(context: MeasureContext, target: Target, streamFailure: string | undefined): Promise<TargetMeasurement> {
  const runs: RunRecord[] = [];
  const base = { url: target.url, model: target.model, headers: target.headers };
  const wrkRun = async (run: string, options: Omit<WrkOptions, 'url' | 'model' | 'headers' | 'nonce'>, recordCpu: boolean): Promise<RunRecord> => {
    context.log(`  ${target.id}: ${run} (${options.connections} connections, ${options.durationSeconds} s)`);
    const pid = target.server.pid;
    const cpuBefore = cpuTimeMs(pid);
    const result = await runWrk(context.children, context.wrk, context.benchDirectory, { ...base, ...options, nonce: `${context.nonce}-${target.id}-${run.replaceAll(' ', '-')}` });
    // Breakwater settles its ledger up to 200 ms after the answers; count that work too.
    await sleep(300);
    const cpuMs = cpuTimeMs(pid) - cpuBefore;
    const note = !result.valid && result.firstError === null ? await describeFailure(target, options.stream) : undefined;
    const record: RunRecord = { target: target.id, run, result, cpuMsPerRequest: recordCpu && result.requests > 0 ? cpuMs / result.requests : null, note };
    context.log(
      `    ${result.rps.toFixed(0)} RPS, p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms, ` +
        `non-2xx ${result.non2xx}, socket errors ${result.socketErrors}${result.valid ? '' : ' — INVALID'}`,
    );
    return record;
  };

  await wrkRun('warm-up', { script: 'closed-loop', threads: 2, connections: 32, durationSeconds: plan.warmupSeconds, stream: false }, false);
  for (const connections of plan.saturationConnections) {
    runs.push(await wrkRun(`closed-loop c${connections}`, { script: 'closed-loop', threads: 2, connections, durationSeconds: plan.saturationSeconds, stream: false }, true));
  }
  const pacedOptions = { script: 'paced', threads: 1, connections: plan.pacedConnections, durationSeconds: plan.pacedSeconds } as const;
  const paced = await wrkRun('paced', { ...pacedOptions, stream: false }, false);
  runs.push(paced);
  let stream: RunRecord | undefined;
  if (streamFailure === undefined) {
    // The streaming code path has not run yet in this process: let it warm up first.
    await wrkRun('paced stream warm-up', { ...pacedOptions, durationSeconds: plan.streamWarmupSeconds, stream: true }, false);
    stream = await wrkRun('paced stream', { ...pacedOptions, stream: true }, false);
    runs.push(stream);
  }

  const saturation = runs.filter((record) => record.cpuMsPerRequest !== null && record.result.valid);
  const requests = saturation.reduce((sum, record) => sum + record.result.requests, 0);
  const cpuMs = saturation.reduce((sum, record) => sum + (record.cpuMsPerRequest ?? 0) * record.result.requests, 0);
  return {
    target: target.id,
    runs,
    maxRps: saturation.length > 0 ? Math.max(...saturation.map((record) => record.result.rps)) : null,
    paced: paced.result.valid ? paced.result : null,
    stream: stream?.result.valid ? stream.result : null,
    streamFailure: streamFailure ?? (stream && !stream.result.valid ? 'the paced streaming run had errors (see runs)' : undefined),
    cpuMsPerRequest: requests > 0 ? cpuMs / requests : null,
    rssMb: residentMb(target.server.pid),
  };
}

async function describeFailure(target: Target, stream: boolean): Promise<string> {
  const result = await probe(target, stream, `bench failure probe ${Date.now()}`);
  return result.status === null ? `probe failed: ${result.error ?? 'unknown'}` : `probe answered HTTP ${result.status}: ${result.bodySample}`;
}
