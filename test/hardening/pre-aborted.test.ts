// A signal that is already aborted: every call that takes one rejects with ERR_ABORTED at once,
// also when the answer is in a cache (a second calibrate or nullDistribution of the same inputs
// used to return the cached value and ignore the signal). The table covers every exported function
// that checks its controls (found in lib/ by that call), so a new one must be added here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapCIs } from '../../lib/bootstrap';
import * as L from '../../lib/index';

const SMALL = { verbose: 0, threads: 2, nSims: 40, nReps: 3, nBoot: 40, nCal: 20, nPre: 200, nPerm: 50, seed: 3 };
const scenario = L.makeScenario({ case: 1, k: 4, shape: 'even' });
const x = Array.from({ length: 30 }, (_, i) => i % 4);
const y = Array.from({ length: 30 }, (_, i) => (i * 7) % 31);
const design = L.makeDesign({ x: { proportions: [0.25, 0.25, 0.5] } });

type Call = (signal?: AbortSignal) => Promise<unknown>;
const CALLS: Record<string, Call> = {
  calibrate: (signal) => L.calibrate(scenario, 0.3, { ...SMALL, signal }),
  expectedSpearman: (signal) => L.expectedSpearman(scenario, [0.2, 0.4], { ...SMALL, signal }),
  nullDistribution: (signal) => L.nullDistribution(scenario, { ...SMALL, signal }),
  expectedCI: (signal) => L.expectedCI(scenario, { ...SMALL, signal }),
  ciBootstrap: (signal) => L.ciBootstrap(scenario, { ...SMALL, signal }), // the deprecated alias
  estimatePower: (signal) => L.estimatePower(scenario, { ...SMALL, rho: 0.3, signal }),
  powerCurve: (signal) => L.powerCurve(scenario, [0.2], { ...SMALL, signal }),
  minDetectableRho: (signal) => L.minDetectableRho(scenario, { ...SMALL, signal }),
  powerCurvePlot: (signal) => L.powerCurvePlot(scenario, { ...SMALL, rhos: [0.2], signal }),
  bootstrap: (signal) => L.bootstrap(x, y, { ...SMALL, signal }),
  bootstrapBatch: (signal) => L.bootstrapBatch([x], [y], { ...SMALL, signal }),
  bootstrapCI: (signal) => L.bootstrapCI(x, y, { ...SMALL, signal }),
  bootstrapCIs: (signal) => bootstrapCIs(x, y, ['percentile', 'bca'], { ...SMALL, signal }),
  extendBootstrap: async (signal) => L.extendBootstrap(await L.bootstrap(x, y, SMALL), { nBoot: 300, threads: 2, signal }),
  spearmanTest: async (signal) => {
    for (const method of ['permutation', 't', 'asymptotic'] as const) await L.spearmanTest(x, y, { ...SMALL, method, signal });
  },
  runStudy: (signal) => L.runStudy({ ...SMALL, cases: [1], kValues: [4], shapes: ['even'], stages: ['asymptotic'], baselines: false, outputDir: path.join(fs.mkdtempSync('/tmp/spearsim-pre-'), 'out'), signal }),
  designPower: (signal) => L.designPower(design, { ...SMALL, n: 30, rho: 0.3, signal }),
  designMinDetectableRho: (signal) => L.designMinDetectableRho(design, { ...SMALL, n: 30, signal }),
  designSampleSize: (signal) => L.designSampleSize(design, { ...SMALL, rho: 0.5, nRange: [10, 40], signal }),
  designCi: (signal) => L.designCi(design, { ...SMALL, n: 30, rho: 0.3, signal }),
  designCiWidth: (signal) => L.designCiWidth(design, { ...SMALL, rho: 0.3, halfWidth: 0.4, nRange: [10, 40], signal }),
  designPowerGrid: (signal) => L.designPowerGrid(design, { ns: [20], rhos: [0.3] }, { ...SMALL, signal }),
  planStudy: (signal) => L.planStudy({ ...SMALL, cases: [1], kValues: [4], shapes: ['even'], signal }),
};

/**
 * Public functions that check their controls: through checkControls (the gate for signals) or a
 * helper that does (designContext, ...), found by a fixpoint over the exported functions of lib/.
 */
function functionsCheckingControls(): string[] {
  const bodies = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts')) {
        for (const part of fs.readFileSync(file, 'utf8').split(/\nexport (?:async )?function /).slice(1)) {
          const body = part.split(/\n}\n/)[0]!;
          bodies.set(/^\w+/.exec(part)![0], body);
        }
      }
    }
  };
  walk(path.join(__dirname, '..', '..', 'lib'));
  const gates = new Set(['checkControls']);
  const api = new Set<string>();
  for (let grown = true; grown; ) {
    grown = false;
    for (const [name, body] of bodies) {
      if (gates.has(name) || api.has(name) || ![...gates].some((g) => body.includes(`${g}(`))) continue;
      if (typeof (L as Record<string, unknown>)[name] === 'function') api.add(name);
      else gates.add(name);
      grown = true;
    }
  }
  return [...api].sort();
}

describe('a pre-aborted signal', () => {
  it('the table covers every function that checks its controls', () => {
    expect(Object.keys(CALLS).sort()).toEqual(expect.arrayContaining(functionsCheckingControls()));
  });

  for (const [name, call] of Object.entries(CALLS)) {
    it(`${name}: rejects at once with ERR_ABORTED, also when its result is cached`, async () => {
      if (name !== 'runStudy' && name !== 'planStudy') await call(); // warms the caches
      const aborted = AbortSignal.abort();
      const t0 = performance.now();
      await expect(call(aborted)).rejects.toMatchObject({ code: 'ERR_ABORTED' });
      expect(performance.now() - t0).toBeLessThan(1000);
    }, 60000);
  }
});
