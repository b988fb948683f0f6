/**
 * The leave-one-out (jackknife) Spearman values of a dataset in O(n log n), which give BCa its
 * acceleration (docs/methods.md, "Bootstrap confidence intervals"): on the native kernel
 * (native/jackknife.hpp, where the derivation is written out) or on its TypeScript twin here, to
 * the same bits as the direct O(n^2) sums.
 *
 * Dropping item i moves every other doubled centred rank one step towards item i's (larger values
 * down by 1, smaller ones up by 1, tied ones stay), so sxy4 of the rest is
 * S - rx_i ry_i + A_i + B_i + C_i: two signed prefix sums over the sorted runs and a concordance
 * count from a Fenwick tree, all exact integers.
 * @internal
 * @module
 */
import type { CallControls, Config } from './config';
import { throwIfAborted } from './errors';
import { addonFor, runJob } from './internal/native';
import { Yielder } from './internal/yielder';
import { ranksFromOrder, rhoFromExact, stableOrder } from './ranks';

/** Items of the TypeScript twin between looks at the clock. */
const ITEMS_PER_CHECK = 8192;

/** Per item: its run's dense rank and size among the sorted runs of v, the items below it, and sum_j w_j sign(v_i - v_j). */
interface RunSums {
  group: Uint32Array;
  size: Float64Array;
  below: Float64Array;
  signedSum: Float64Array;
}

function runSums(v: Float64Array, order: Uint32Array, w: Float64Array): RunSums {
  const n = v.length;
  const r: RunSums = { group: new Uint32Array(n), size: new Float64Array(n), below: new Float64Array(n), signedSum: new Float64Array(n) };
  let before = 0;
  let g = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && v[order[j]!] === v[order[i]!]) j++;
    let run = 0;
    for (let t = i; t < j; t++) run += w[order[t]!]!;
    for (let t = i; t < j; t++) {
      const k = order[t]!;
      r.group[k] = g;
      r.size[k] = j - i;
      r.below[k] = i;
      r.signedSum[k] = 2 * before + run;
    }
    before += run;
    g++;
    i = j;
  }
  return r;
}

function tieDrop(t: number): number {
  return t * t * t - t - ((t - 1) * (t - 1) * (t - 1) - (t - 1));
}

/** TypeScript twin of native jackknifeRhos, in steps: it yields where a caller may pause. */
function* jackknifeSteps(x: Float64Array, y: Float64Array): Generator<void, Float64Array, void> {
  const n = x.length;
  const xOrder = stableOrder(x);
  yield;
  const yOrder = stableOrder(y);
  yield;
  const rx = new Float64Array(n);
  const ry = new Float64Array(n);
  const tiesX = ranksFromOrder(x, xOrder, rx);
  const tiesY = ranksFromOrder(y, yOrder, ry);
  let full = 0;
  for (let i = 0; i < n; i++) full += rx[i]! * ry[i]!;
  const byY = runSums(y, yOrder, rx);
  const byX = runSums(x, xOrder, ry);
  yield;
  // C_i from a Fenwick tree of counts per y group, filled x run by x run (native/jackknife.hpp)
  const concordance = new Float64Array(n);
  const tree = new Uint32Array(n + 1);
  const countBelow = (group: number): number => {
    let c = 0;
    for (let k = group; k > 0; k -= k & -k) c += tree[k]!;
    return c;
  };
  let inserted = 0;
  let i = 0;
  let sinceCheck = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && x[xOrder[j]!] === x[xOrder[i]!]) j++;
    for (let t = i; t < j; t++) {
      const k = xOrder[t]!;
      const g = byY.group[k]!;
      concordance[k] = countBelow(g) - (inserted - countBelow(g + 1));
    }
    for (let t = i; t < j; t++) {
      for (let k = byY.group[xOrder[t]!]! + 1; k <= n; k += k & -k) tree[k]!++;
    }
    inserted += j - i;
    for (let t = i; t < j; t++) {
      const k = xOrder[t]!;
      const g = byY.group[k]!;
      const yBelow = byY.below[k]! - countBelow(g);
      const yAbove = n - byY.below[k]! - byY.size[k]! - (inserted - countBelow(g + 1));
      concordance[k] = concordance[k]! + yAbove - yBelow;
    }
    sinceCheck += j - i;
    if (sinceCheck >= ITEMS_PER_CHECK) {
      sinceCheck = 0;
      yield;
    }
    i = j;
  }
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const sxy4 = full - rx[k]! * ry[k]! + byY.signedSum[k]! + byX.signedSum[k]! + concordance[k]!;
    out[k] = rhoFromExact(sxy4, n - 1, tiesX - tieDrop(byX.size[k]!), tiesY - tieDrop(byY.size[k]!));
  }
  return out;
}

/** The TypeScript jackknife on the calling thread, without pausing (for synchronous callers). */
export function jackknifeSync(x: Float64Array, y: Float64Array): Float64Array {
  const steps = jackknifeSteps(x, y);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** The TypeScript jackknife, letting the event loop turn every ~15 ms and honouring `signal`. */
export async function jackknifeFallback(x: Float64Array, y: Float64Array, signal?: AbortSignal): Promise<Float64Array> {
  throwIfAborted(signal);
  const yielder = new Yielder(signal);
  const steps = jackknifeSteps(x, y);
  let step = steps.next();
  while (!step.done) {
    if (yielder.due()) await yielder.pause();
    step = steps.next();
  }
  throwIfAborted(signal);
  return step.value;
}

/**
 * rho_(i), the Spearman value of (x, y) without item i, for every i (NaN where dropping i leaves
 * x or y constant), on the addon when config allows it.
 */
export async function jackknifeRhos(
  x: Float64Array,
  y: Float64Array,
  config: Pick<Config, 'native' | 'verbose'>,
  controls: CallControls,
): Promise<Float64Array> {
  throwIfAborted(controls.signal);
  const addon = addonFor(config);
  if (!addon) return jackknifeFallback(x, y, controls.signal);
  // one kernel thread: the passes are sequential and take milliseconds even at the largest n
  return runJob(addon, 1, { signal: controls.signal }, (token) => addon.jackknife({ x, y }, token));
}
