import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Runs the calling thread (or process `pid`) at a lower scheduling priority than the event
 * loop's, where the platform allows it. Work moved off the loop (parsing a 16 MB body, the
 * NLP tagger, a document reader) still competes with it for the cores: on a 2-core machine
 * four such jobs at once kept the loop waiting for a core for 100-400 ms. On Linux a thread
 * has its own nice value, found through /proc/thread-self; elsewhere this does nothing.
 */
export function runInBackground(pid?: number): void {
  try {
    const target = pid ?? Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(target) && target > 0) setPriority(target, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not Linux, or not allowed: the work runs at the loop's priority, as before.
  }
}
