import type { RunningProcess } from './child-processes.js';

export type TargetId = 'direct' | 'breakwater' | 'portkey';

/** One thing wrk is pointed at: the mock itself, or a gateway in front of it. */
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
