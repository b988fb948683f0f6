/**
 * Thread budget of this JavaScript realm. Native kernels own the threads; concurrent calls share the
 * budget instead of multiplying it (one parallel layer at a time). A call asking for `t` threads
 * waits until `t` are free; calls start in arrival order. Across worker_threads realms the native
 * addon's process-wide budget (native/thread_budget.hpp) caps the kernel threads actually granted.
 */
let budget = 0;
let inUse = 0;
const waiting: Array<{ threads: number; start: () => void }> = [];

/** Sets the budget (default: the largest thread count requested so far). */
export function setThreadBudget(threads: number): void {
  budget = threads;
  pump();
}

function pump(): void {
  while (waiting.length > 0 && inUse + waiting[0]!.threads <= Math.max(budget, waiting[0]!.threads)) {
    const next = waiting.shift()!;
    inUse += next.threads;
    next.start();
  }
}

/** Threads currently held by running native calls. */
export function threadsInUse(): number {
  return inUse;
}

/** Runs `task` once `threads` threads of the budget are free, releasing them when it settles. */
export async function withThreads<T>(threads: number, task: () => Promise<T>): Promise<T> {
  if (threads > budget) budget = threads;
  if (waiting.length === 0 && inUse + threads <= budget) {
    inUse += threads; // free now: no queue, no extra promise turn
  } else {
    await new Promise<void>((resolve) => {
      waiting.push({ threads, start: resolve });
      pump();
    });
  }
  try {
    return await task();
  } finally {
    inUse -= threads;
    pump();
  }
}

/**
 * Kernel threads for a job of `work` units: one per `workPerThread` units, at least 1 and at most
 * `requested`. A thread costs a hand-off and a team start, so small jobs run faster on fewer
 * threads; results never depend on the count.
 */
export function threadsForWork(requested: number, work: number, workPerThread: number): number {
  return Math.max(1, Math.min(requested, Math.floor(work / workPerThread)));
}
