import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CostLine {
  name: string;
  /** CPU microseconds per request served in the window. */
  usPerRequest: number;
  share: number;
}

export interface ProfileSummary {
  windowMs: number;
  sampledMs: number;
  /** Self time by where the code lives: a package, Node's internals, Breakwater's own files, GC. */
  byArea: CostLine[];
  /** Self time by function. */
  bySelf: CostLine[];
  /** Inclusive time by function (a sample counts once for every distinct function on its stack). */
  byTotal: CostLine[];
}

/**
 * Reads a `node --cpu-prof` profile and sums the main thread's samples taken between `fromUs`
 * and `toUs` (CLOCK_MONOTONIC microseconds, the clock of the profile's timestamps and of
 * process.hrtime), divided by `requests` served meanwhile: the cost per request of the
 * closed-loop phase alone, without start-up and warm-up.
 */
export function summariseCpuProfile(path: string, fromUs: number, toUs: number, requests: number, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const area = new Map<string, number>();
  let time = profile.startTime;
  let sampled = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    const delta = profile.timeDeltas[index] ?? 0;
    time += delta;
    if (time < fromUs || time > toUs) continue;
    // A sample stands for the interval since the previous one.
    const node = byId.get(profile.samples[index]!);
    if (!node) continue;
    const name = frameName(node);
    if (name === '(idle)') continue;
    sampled += delta;
    add(self, name, delta);
    add(area, areaOf(node), delta);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id);
      if (!frame) break;
      const frameLabel = frameName(frame);
      if (seen.has(frameLabel) || frameLabel === '(root)') continue;
      seen.add(frameLabel);
      add(total, frameLabel, delta);
    }
  }
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, usPerRequest: us / Math.max(1, requests), share: sampled > 0 ? us / sampled : 0 }));
  return { windowMs: (toUs - fromUs) / 1000, sampledMs: sampled / 1000, byArea: lines(area), bySelf: lines(self), byTotal: lines(total) };
}

function add(map: Map<string, number>, name: string, us: number): void {
  map.set(name, (map.get(name) ?? 0) + us);
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  return `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

/** Where a frame's code lives: `pkg:fastify`, `node:internal`, `breakwater:src/http`, `(garbage collector)`. */
function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtin)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return `pkg:${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return `breakwater:${url
      .slice(dist + '/dist/'.length)
      .split('/')
      .slice(0, 3)
      .join('/')}`;
  return url;
}

export function formatSummary(summary: ProfileSummary): string[] {
  const block = (title: string, lines: CostLine[]) => [
    '',
    title,
    ...lines.map((line) => `  ${line.usPerRequest.toFixed(1).padStart(7)} µs/req  ${(line.share * 100).toFixed(1).padStart(5)}%  ${line.name}`),
  ];
  return [
    `window ${summary.windowMs.toFixed(0)} ms, main-thread CPU sampled ${summary.sampledMs.toFixed(0)} ms (idle excluded)`,
    ...block('Self time by area:', summary.byArea),
    ...block('Self time by function:', summary.bySelf),
    ...block('Inclusive time by function:', summary.byTotal),
  ];
}
