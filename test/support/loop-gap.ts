/**
 * Measures how long this process's event loop is held while work runs: a 5 ms ticker records
 * the longest gap between its turns (a loop held for N ms shows a gap of about N + 5).
 * `stop()` returns the longest gap, counting the one still open.
 */
export function loopGapMeter(): { stop(): number } {
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(ticker);
      return Math.max(longest, performance.now() - last);
    },
  };
}
