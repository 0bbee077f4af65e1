import { parentPort } from 'node:worker_threads';
import type { Detection } from '../pii-type.js';
import { runInBackground } from '../../background-priority.js';
import { detectNamesByNlp } from './nlp-names.js';

runInBackground();

/**
 * The compromise tagger, in its own thread (see nlp-name-finder.ts): ~20-270 µs per
 * character, too slow to run on the event loop that answers every request.
 * In: `{ id, texts }`. Out: `{ id, names }`, the NAME detections of each text.
 */
export interface NlpJob {
  id: number;
  texts: string[];
}
export interface NlpAnswer {
  id: number;
  names: Detection[][];
}

/** compromise's cost grows faster than linearly on some shapes ("Mr A Mr A …"); pieces this long keep it near linear. */
const pieceLength = 4_096;

parentPort?.on('message', (job: NlpJob) => {
  const names = job.texts.map((text) => {
    const found: Detection[] = [];
    for (let start = 0; start < text.length; ) {
      let end = Math.min(text.length, start + pieceLength);
      // Cut at a line or space, so a name is rarely split.
      if (end < text.length) {
        const cut = Math.max(text.lastIndexOf('\n', end), text.lastIndexOf(' ', end));
        if (cut > start) end = cut;
      }
      for (const name of detectNamesByNlp(text.slice(start, end))) found.push({ type: name.type, start: name.start + start, end: name.end + start });
      start = end;
    }
    return found;
  });
  parentPort!.postMessage({ id: job.id, names } satisfies NlpAnswer);
});
parentPort?.postMessage('ready');
