// Child process of test/stress/memory.test.ts: loads the library, measures a baseline peak RSS
// after a warm-up (addon loaded, threads created), runs one large case, and prints
// { baselineKB, maxRSSKB, outcome } as JSON. Run with ts-node (transpile only).
import * as L from '../../../lib/index';

type Case = (memoryLimit: number) => Promise<unknown>;

const own = { n: 100, counts: [25, 25, 25, 25], yMedian: 10, yIqr: 4 };
const stored = (reps: number, n: number): { x: number[][]; y: number[][] } => {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let r = 0; r < reps; r++) {
    x.push(Array.from({ length: n }, (_, i) => (i * 7 + r) % 4));
    y.push(Array.from({ length: n }, (_, i) => (i * 13 + r * 3) % n));
  }
  return { x, y };
};
let data: { x: number[][]; y: number[][] } | undefined;

const CASES: Record<string, { prepare?: () => void; run: Case }> = {
  // 1e6 reps of generated data at n = 100 (the big-reps workload of bench/, fewer resamples): O(threads x n) buffers + O(nReps) summaries
  'ci-million-reps': { run: (m) => L.ciBootstrap(own, { nReps: 1e6, nBoot: 20, nCal: 200, memoryLimit: m, threads: 2, verbose: 0, rho: 0.3 }) },
  // stored datasets: the boot-index buffer is chunked to fit
  'stored-batch': { prepare: () => (data = stored(20000, 73)), run: (m) => L.bootstrapBatch(data!.x, data!.y, { nBoot: 500, memoryLimit: m, threads: 2, verbose: 0 }) },
  // many independent power estimates: native power sets must be freed, not left to the GC
  'power-repeated': {
    run: async (m) => {
      for (let i = 0; i < 120; i++) await L.estimatePower({ case: 1, k: 4, shape: 'even' }, { rho: 0.3, nSims: 10000, seed: i, memoryLimit: m, threads: 2, verbose: 0, nCal: 100 });
    },
  },
  'power-search-large': { run: (m) => L.minDetectableRho({ case: 1, k: 4, shape: 'even' }, { nSims: 5e5, nCal: 200, memoryLimit: m, threads: 2, verbose: 0, usePermutationPvalue: false }) },
  'null-large': { run: (m) => L.nullDistribution(L.makeScenario({ case: 2, k: 5, shape: 'even' }), { nPre: 2e6, memoryLimit: m, threads: 2, verbose: 0 }) },
  'calibration-large': { run: (m) => L.calibrate({ case: 3, k: 4, shape: 'even' }, 0.3, { nCal: 1e5, memoryLimit: m, threads: 2, verbose: 0 }) },
  'study-grid': {
    run: (m) => L.runStudy({ cases: [1, 2], kValues: [4, 7], shapes: ['even', 'heavy_tail'], nSims: 5000, nReps: 400, nBoot: 300, nCal: 200, nPre: 20000, memoryLimit: m, threads: 2, verbose: 0, outputDir: process.argv[4]! }),
  },
  // far too large for the limit: must fail up front, quickly, without allocating
  'too-large-ci': { run: (m) => L.ciBootstrap(own, { nReps: 1e9, nBoot: 10, memoryLimit: m, verbose: 0, rho: 0.3 }) },
  'too-large-null': { run: (m) => L.nullDistribution(L.makeScenario({ case: 1, k: 4, shape: 'even' }), { nPre: 1e8, memoryLimit: m, verbose: 0 }) },
  'too-large-calibration': { run: (m) => L.calibrate({ case: 1, k: 4, shape: 'even' }, 0.3, { nCal: 1e7, memoryLimit: m, verbose: 0 }) },
  'too-large-stored': { prepare: () => (data = stored(200, 73)), run: (m) => L.bootstrapBatch(data!.x, data!.y, { nBoot: 1e8, memoryLimit: m, threads: 2, verbose: 0 }) },
};

async function main(): Promise<void> {
  const name = process.argv[2]!;
  const memoryLimit = Number(process.argv[3]);
  const c = CASES[name];
  if (!c) throw new Error(`unknown case ${name}`);
  // warm-up: addon loaded, OpenMP and libuv threads created, JIT warm
  await L.bootstrapCI([1, 2, 3, 4, 1, 2], [3, 1, 2, 5, 4, 6], { nBoot: 200, threads: 2, verbose: 0 });
  await L.estimatePower({ case: 1, k: 4, shape: 'even' }, { rho: 0.3, nSims: 100, nCal: 20, threads: 2, verbose: 0, usePermutationPvalue: false });
  c.prepare?.();
  if (global.gc) global.gc();
  const baselineKB = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  let outcome: string;
  try {
    await c.run(memoryLimit);
    outcome = 'ok';
  } catch (e) {
    outcome = (e as { code?: string }).code ?? `uncoded: ${(e as Error).message}`;
  }
  process.stdout.write(`${JSON.stringify({ baselineKB, maxRSSKB: process.resourceUsage().maxRSS, outcome, seconds: (performance.now() - t0) / 1000 })}\n`);
}

main().catch((e) => {
  process.stderr.write(String((e as Error).stack));
  process.exit(1);
});
