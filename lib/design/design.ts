/**
 * A design: sample size (or a range of it), the x tie structure and the y model, as margins that
 * rescale to any n. docs/methods.md, "Planning your own study".
 * @module
 */
import type { EmpiricalPoolSpec } from '../generators';
import { SpearsimError, rangeError, typeError } from '../errors';
import { MAX_N, type Scenario, makeScenario } from '../scenario';
import type { StreamIdentity } from '../streams';
import { type Weights, checkProportions, countWeights, countsAt, smallestValidN, tieCounts } from './margins';
import { checkPilotValues } from './pilot';
import type { Design, DesignAtN, DesignSpec } from './types';

/** Upper end of the n search when no range is given. */
export const DEFAULT_MAX_SEARCH_N = 10000;
/** Smallest n of a design. */
export const MIN_DESIGN_N = 3;

// Weights behind each design made here (exact integer ratios for counts and pilot columns).
const weightsOf = new WeakMap<Design, { x: Weights; y: Weights | null }>();

function checkN(option: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_DESIGN_N || n > MAX_N) throw rangeError(option, n, `an integer in [${MIN_DESIGN_N}, ${MAX_N}]`);
  return n;
}

function xWeights(spec: DesignSpec['x']): { weights: Weights; source: Design['xSource']; counts: readonly number[] | null; from?: string } {
  if (spec === null || typeof spec !== 'object') throw typeError('x', spec, 'an object { counts } | { proportions } | { pilot }');
  const keys = ['counts', 'proportions', 'pilot'].filter((k) => (spec as unknown as Record<string, unknown>)[k] !== undefined);
  if (keys.length !== 1) {
    throw new SpearsimError('ERR_INVALID_TYPE', `x needs exactly one of counts, proportions, pilot; received ${keys.length === 0 ? 'none' : keys.join(' + ')}`, {
      option: 'x',
      expected: 'exactly one of counts, proportions, pilot',
    });
  }
  if ('counts' in spec && spec.counts !== undefined) {
    const weights = countWeights('counts', spec.counts);
    return { weights, source: 'counts', counts: weights.weights };
  }
  if ('proportions' in spec && spec.proportions !== undefined) return { weights: checkProportions('proportions', spec.proportions), source: 'proportions', counts: null };
  const pilot = spec as { pilot: readonly number[]; source?: string };
  const from = pilot.source ?? 'pilot x';
  if (!Array.isArray(pilot.pilot)) throw typeError('x.pilot', pilot.pilot, 'a list of numbers');
  checkPilotValues('x.pilot', pilot.pilot, from);
  const counts = Object.freeze(tieCounts(pilot.pilot));
  return { weights: { weights: counts, total: pilot.pilot.length }, source: 'pilot', counts, from };
}

function nSpec(spec: DesignSpec['n'], xDefault: number | null, lowest: number): { n: number | null; range: [number, number] } {
  if (spec === undefined) return { n: xDefault, range: [lowest, Math.max(lowest, DEFAULT_MAX_SEARCH_N)] };
  if (Array.isArray(spec)) {
    if (spec.length !== 2) throw rangeError('n', spec, 'a number or a range [lo, hi]');
    const lo = checkN('n', spec[0]);
    const hi = checkN('n', spec[1]);
    if (lo > hi) throw rangeError('n', spec, 'a range [lo, hi] with lo <= hi');
    return { n: null, range: [Math.max(lo, lowest), hi] };
  }
  const n = checkN('n', spec);
  return { n, range: [lowest, Math.max(lowest, DEFAULT_MAX_SEARCH_N, n)] };
}

/**
 * Resolves a design specification. Errors name the option at fault: proportions that do not sum
 * to 1 or are negative, a pilot column with fewer than 2 distinct values or 3 rows, an n outside
 * [3, 200000], or an n at which a group would round to 0 (naming the smallest n that works).
 */
export function makeDesign(spec: DesignSpec): Design {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw typeError('design', spec, 'an object { n?, x, y? }');
  const x = xWeights(spec.x);
  const y = spec.y ?? { kind: 'continuous' as const };
  if (y === null || typeof y !== 'object') throw typeError('y', y, 'an object { kind }');
  let yWeights: Weights | null = null;
  let yPool: readonly number[] | null = null;
  let yFrom: string | undefined;
  if (y.kind === 'ordinal') {
    yWeights = checkProportions('yLevels', y.proportions);
  } else if (y.kind === 'pilot') {
    yFrom = y.source ?? 'pilot y';
    if (!Array.isArray(y.values)) throw typeError('y.values', y.values, 'a list of numbers');
    checkPilotValues('y.values', y.values, yFrom);
    yPool = Object.freeze([...y.values].sort((a, b) => a - b));
  } else if (y.kind !== 'continuous') {
    throw rangeError('y.kind', (y as { kind: unknown }).kind, '"continuous", "ordinal" or "pilot"');
  }
  const lowest = Math.max(MIN_DESIGN_N, smallestValidN(x.weights), yWeights ? smallestValidN(yWeights) : 0);
  const xDefault = x.source === 'proportions' ? null : x.weights.total;
  const { n, range } = nSpec(spec.n, xDefault, lowest);
  if (spec.label !== undefined && typeof spec.label !== 'string') throw typeError('label', spec.label, 'a string');
  const xText = x.source === 'counts' ? `x counts [${x.counts!.join(', ')}]` : x.source === 'pilot' ? `x ties of ${x.from} (${x.counts!.length} levels)` : `x proportions [${x.weights.weights.join(', ')}]`;
  const yText = y.kind === 'ordinal' ? `ordinal y [${yWeights!.weights.join(', ')}]` : y.kind === 'pilot' ? `y pool from ${yFrom} (${yPool!.length} values)` : 'continuous y';
  const design: Design = Object.freeze({
    n,
    nRange: Object.freeze(range) as readonly [number, number],
    xSource: x.source,
    xProportions: Object.freeze(x.weights.weights.map((w) => w / x.weights.total)),
    xCounts: x.counts,
    yKind: y.kind,
    yProportions: yWeights ? yWeights.weights : null,
    yPool,
    sources: Object.freeze({ ...(x.from ? { x: x.from } : {}), ...(yFrom ? { y: yFrom } : {}) }),
    description: `${spec.label ?? 'Own study'}: ${xText}, ${yText}`,
  });
  weightsOf.set(design, { x: x.weights, y: yWeights });
  if (n !== null) designAtN(design, n, 'n'); // an n given with the design must give every group at least 1
  return design;
}

function weights(design: Design): { x: Weights; y: Weights | null } {
  const w = weightsOf.get(design);
  if (!w) throw typeError('design', design, 'a design from makeDesign(spec)');
  return w;
}

/** The design's margins at n (largest-remainder rounding, every group at least 1). */
export function designAtN(design: Design, n: number, nOption = 'n'): DesignAtN {
  const w = weights(design);
  checkN(nOption, n);
  return {
    n,
    counts: countsAt(w.x, n, nOption, 'x'),
    yCounts: w.y ? countsAt(w.y, n, nOption, 'y level') : null,
  };
}

/** The smallest n at which both margins give every group at least 1. */
export function smallestDesignN(design: Design): number {
  const w = weights(design);
  return Math.max(MIN_DESIGN_N, smallestValidN(w.x), w.y ? smallestValidN(w.y) : 0);
}

/** The scenario simulated at n (y scale: a unit log-normal; Spearman depends on ranks only). */
export function scenarioAt(design: Design, at: DesignAtN): Scenario {
  return makeScenario({ n: at.n, counts: at.counts, yMedian: 1, yIqr: 1, label: 'Design' });
}

/** The y pool of the rank-mixing generator at n: ordinal levels (fixed margin) or the pilot resampled; none for continuous y. */
export function poolAt(design: Design, at: DesignAtN): EmpiricalPoolSpec | undefined {
  if (at.yCounts) return { fixed: at.yCounts.flatMap((c, level) => new Array<number>(c).fill(level + 1)) };
  if (design.yPool) return { fillCount: at.n, fillSource: design.yPool };
  return undefined;
}

/** What the sims' streams are named by: the design's margins, not n (common random numbers across n). */
export function designStreamIdentity(design: Design, generator: string, direction: string): StreamIdentity {
  const w = weights(design);
  return {
    task: 'design-power',
    x: w.x.weights.map((v) => v / w.x.total),
    y: design.yKind,
    yLevels: w.y ? w.y.weights : null,
    yPool: design.yPool ? design.yPool.length : null,
    generator,
    direction,
  };
}
