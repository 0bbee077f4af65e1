/**
 * Turns for long CPU work on the event loop: `await nextTurn()` before each long step lets
 * the loop serve I/O first, and lets only one waiting step run per loop iteration, oldest first.
 *
 * Yielding with a bare `setImmediate` is not enough under concurrency: every request waiting
 * on one runs in the same check phase, back to back, before the loop reads a socket again —
 * four 4 MB calls each taking a 40 ms step held `/healthz` ~200 ms (bench:hostile). Here each
 * loop iteration releases one step, so I/O waits for one step, never for all of them.
 * Immediates queued while the check phase runs wait for the next iteration (Node's rule), which
 * is what puts the poll phase between two steps.
 */
const waiting: Array<() => void> = [];
let releasing = false;

export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!releasing) {
      releasing = true;
      setImmediate(releaseOne);
    }
  });
}

function releaseOne(): void {
  const next = waiting.shift();
  if (waiting.length > 0) setImmediate(releaseOne);
  else releasing = false;
  next?.();
}
