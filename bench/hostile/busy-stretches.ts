/**
 * What held the event loop: reads a V8 `.cpuprofile` (node --cpu-prof) and prints its longest
 * busy stretches — runs of consecutive samples on the main thread that are neither idle nor
 * garbage collection waiting — with the frames that took most of each. A stretch is one turn
 * of the loop (or several back to back), so its length is what a request arriving then waited.
 *
 *   node --import tsx bench/hostile/busy-stretches.ts <file.cpuprofile> [count=15] [minMs=10]
 *
 * Used with HOSTILE_SERVE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (README.md).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, countArg, minArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: busy-stretches.ts <file.cpuprofile> [count] [minMs]');
  process.exit(2);
}
const count = Number(countArg ?? 15);
const minMs = Number(minArg ?? 10);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const idle = new Set(profile.nodes.filter((node) => ['(idle)', '(program)'].includes(node.callFrame.functionName)).map((node) => node.id));

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
};
/** The sample's stack, leaf first, without the root. */
const stack = (id: number) => {
  const frames: ProfileNode[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const node = byId.get(at)!;
    if (node.callFrame.functionName !== '(root)') frames.push(node);
  }
  return frames;
};

interface Stretch {
  startMs: number;
  ms: number;
  samples: Array<{ id: number; ms: number }>;
}
const stretches: Stretch[] = [];
let clock = 0;
let current: Stretch | undefined;
for (let index = 0; index < profile.samples.length; index++) {
  const id = profile.samples[index]!;
  // timeDeltas[i] is the time since the previous sample: sample i covers the interval up to the next.
  const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
  clock += (profile.timeDeltas[index] ?? 0) / 1000;
  if (idle.has(id)) {
    if (current) stretches.push(current);
    current = undefined;
    continue;
  }
  current ??= { startMs: clock, ms: 0, samples: [] };
  current.ms += ms;
  current.samples.push({ id, ms });
}
if (current) stretches.push(current);

const longest = stretches
  .filter((stretch) => stretch.ms >= minMs)
  .sort((a, b) => b.ms - a.ms)
  .slice(0, count);
console.log(`${stretches.filter((stretch) => stretch.ms >= minMs).length} busy stretches ≥ ${minMs} ms; the ${longest.length} longest:`);
for (const stretch of longest) {
  console.log(`\n${stretch.ms.toFixed(1)} ms at ${(stretch.startMs / 1000).toFixed(3)} s`);
  // Inclusive time per frame within the stretch (each frame counted once per sample).
  const inclusive = new Map<number, number>();
  const self = new Map<number, number>();
  for (const sample of stretch.samples) {
    self.set(sample.id, (self.get(sample.id) ?? 0) + sample.ms);
    for (const node of new Set(stack(sample.id))) inclusive.set(node.id, (inclusive.get(node.id) ?? 0) + sample.ms);
  }
  const top = (map: Map<number, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([id, ms]) => `    ${ms.toFixed(1).padStart(6)} ms  ${label(byId.get(id)!)}`);
  console.log('  self:');
  for (const line of top(self, 5)) console.log(line);
  console.log('  inclusive (our code and libraries):');
  const ours = new Map([...inclusive].filter(([id]) => /dist\/|node_modules\//.test(byId.get(id)!.callFrame.url)));
  for (const line of top(ours, 8)) console.log(line);
}
