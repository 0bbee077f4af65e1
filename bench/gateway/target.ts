import type { RunningProcess } from './child-processes.js';

/**
 * `direct`: the mock itself; `floor`: a bare node:http + undici pass-through in front of it;
 * `breakwater`: the default config; `governed`: Breakwater with every governance feature on;
 * `portkey`: @portkey-ai/gateway.
 */
export type TargetId = 'direct' | 'floor' | 'breakwater' | 'governed' | 'portkey';

/** Report order. */
export const targetOrder: readonly TargetId[] = ['direct', 'floor', 'breakwater', 'governed', 'portkey'];

/** One thing wrk is pointed at: the mock itself, or a proxy or gateway in front of it. */
export interface Target {
  id: TargetId;
  label: string;
  url: string;
  /** Model name in the request body: the upstream's name, or Breakwater's alias. */
  model: string;
  headers: Readonly<Record<string, string>>;
  /** The process whose CPU time and RSS are reported (for direct: the mock). */
  server: RunningProcess;
}
