// Measures how long the event loop stays blocked while `work` runs: the largest gap between the
// ticks of a 5 ms interval timer, and the run's whole duration.
export async function worstLoopGap(work: () => Promise<unknown>): Promise<{ worst: number; elapsed: number }> {
  const started = Date.now();
  let last = started;
  let worst = 0;
  const probe = setInterval(() => {
    const now = Date.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(probe);
  }
  return { worst: Math.max(worst, Date.now() - last), elapsed: Date.now() - started };
}

/**
 * Starts `work` with a signal, aborts it after `afterMs` and returns the rejection's code and the
 * milliseconds from the abort to the settlement.
 */
export async function abortLatency(work: (signal: AbortSignal) => Promise<unknown>, afterMs: number): Promise<{ code: string; ms: number }> {
  const controller = new AbortController();
  const promise = work(controller.signal);
  let abortedAt = 0;
  setTimeout(() => {
    abortedAt = Date.now();
    controller.abort();
  }, afterMs);
  const code = await promise.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
  return { code, ms: Date.now() - abortedAt };
}
