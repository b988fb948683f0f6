/**
 * The work of a study run: the scenario grid (in the order of docs/methods.md, "Data model", filtered), the generators of each
 * stage, and the units (one API call each) in canonical order. Tables are always assembled in this
 * canonical order, whatever order units ran in, on which shard, or across resumed runs.
 * @module
 */
import type { Direction } from '../asymptotic';
import type { Config, GeneratorName } from '../config';
import { generatorEntry } from '../kernels/generators/table';
import { SpearsimError } from '../errors';
import { warn } from '../internal/log';
import { searchDirections } from '../power';
import { type Scenario, makeScenario } from '../scenario';
import { STUDY, studyCase } from './data';

/** Serialisable description of a scenario (what the tables print). */
export interface ScenarioInfo {
  /** Stable identity, e.g. `c3-k4-even`, `c1-all_distinct`, `c2-custom-20.20.21.21`. */
  id: string;
  /** Study case id (1-4). */
  case: number;
  /** Case description, e.g. "B-Al, outliers excluded". */
  caseLabel: string;
  /** Sample size. */
  n: number;
  /** n_distinct (n for all-distinct). */
  k: number;
  /** dist_type. */
  shape: Scenario['shape'];
  /** Whether x has no ties. */
  allDistinct: boolean;
  /** x group sizes in ascending x order. */
  counts: number[];
  /** The case's observed Spearman rho (the CI target). */
  observedRho: number;
  /** Search directions of the power stage. */
  directions: Direction[];
}

/** One API call of a study run. */
export interface WorkUnit {
  /** Stable identity, e.g. `power/nonparametric/c3-k4-even/negative`. */
  id: string;
  /** Stage: simulated power search, expected bootstrap CI, or closed-form results. */
  kind: 'power' | 'ci' | 'asymptotic';
  /** The scenario the unit runs on. */
  scenario: Scenario;
  /** The scenario's table fields. */
  info: ScenarioInfo;
  /** Power and CI units. */
  generator?: GeneratorName;
  /** Power units. */
  direction?: Direction;
}

/** Stable identity of a scenario (independent of its position in any grid). */
export function scenarioId(s: Scenario): string {
  const c = `c${s.caseId ?? 'own'}`;
  if (s.allDistinct) return `${c}-all_distinct`;
  if (s.shape === 'custom') return `${c}-custom-${s.counts.join('.')}`;
  return `${c}-k${s.k}-${s.shape}`;
}

/** Short label of a scenario within its case: "k=4 even", "all distinct", "custom [20,20,20,20]". */
export function shortLabel(s: Pick<ScenarioInfo, 'allDistinct' | 'shape' | 'counts' | 'k'>): string {
  return s.allDistinct ? 'all distinct' : s.shape === 'custom' ? `custom [${s.counts.join(',')}]` : `k=${s.k} ${s.shape}`;
}

/** Display and table fields of a study scenario. */
export function scenarioInfo(s: Scenario, config: Pick<Config, 'directionMode'>): ScenarioInfo {
  const c = studyCase(s.caseId!);
  return {
    id: scenarioId(s),
    case: c.id,
    caseLabel: c.label,
    n: s.n,
    k: s.k,
    shape: s.shape,
    allDistinct: s.allDistinct,
    counts: [...s.counts],
    observedRho: c.observedRho,
    directions: searchDirections(s, config.directionMode),
  };
}

/**
 * Scenarios of a study run in grid order (docs/methods.md, "Data model"): per selected case its tied scenarios (the frequency
 * table filtered by k and shape, or the custom count lists whose sum is the case's n), then its
 * all-distinct baseline. Filters shrink the list; they never change a scenario or its seeds.
 */
export function studyGrid(config: Pick<Config, 'cases' | 'kValues' | 'shapes' | 'customCounts' | 'baselines'>): Scenario[] {
  const out: Scenario[] = [];
  const cases = STUDY.cases.filter((c) => config.cases.includes(c.id));
  for (const list of config.customCounts) {
    const sum = list.reduce((a, b) => a + b, 0);
    if (!cases.some((c) => c.n === sum)) {
      throw new SpearsimError('ERR_INVALID_COUNTS', `custom counts [${list.join(', ')}] sum to ${sum}, but no selected case has n=${sum} (${cases.map((c) => `case ${c.id}: n=${c.n}`).join(', ')})`, {
        option: 'customCounts',
        value: list,
        expected: `counts summing to the n of a selected case`,
      });
    }
  }
  for (const c of cases) {
    if (config.customCounts.length > 0) {
      for (const counts of config.customCounts) if (counts.reduce((a, b) => a + b, 0) === c.n) out.push(makeScenario({ case: c.id, counts }));
    } else {
      for (const k of STUDY.kValues) {
        if (!config.kValues.includes(k)) continue;
        for (const shape of STUDY.shapes) if (config.shapes.includes(shape)) out.push(makeScenario({ case: c.id, k, shape }));
      }
    }
    if (config.baselines) out.push(makeScenario({ case: c.id, allDistinct: true }));
  }
  return out;
}

/**
 * Warnings for the selected generators that no study stage runs (their registry entry lists no
 * stage; e.g. a generator that needs a y pool, which a study run has no option for).
 */
export function droppedStudyGenerators(generators: readonly GeneratorName[]): string[] {
  return generators
    .filter((g) => !generatorEntry(g).stages.includes('power'))
    .map((g) => (generatorEntry(g).needsPool ? `the ${g} generator needs a y pool (not available in a study run); dropped` : `the ${g} generator is not used by study runs; dropped`));
}

/**
 * Generators of the Monte Carlo stages, filtered by the stages their registry entries list: the
 * power stage runs the selected generators it lists (none left => nonparametric), the CI stage
 * those of them it lists (none left => nonparametric). Dropped generators are warned about.
 */
export function stageGenerators(config: Pick<Config, 'generators' | 'verbose'>): { power: GeneratorName[]; ci: GeneratorName[] } {
  let power = config.generators.filter((g) => generatorEntry(g).stages.includes('power'));
  for (const message of droppedStudyGenerators(config.generators)) warn(config.verbose, message);
  if (power.length === 0) power = ['nonparametric'];
  const ci = power.filter((g) => generatorEntry(g).stages.includes('ci'));
  return { power, ci: ci.length > 0 ? ci : ['nonparametric'] };
}

/** All units of a study run in canonical order (power per generator, asymptotic, CI per generator). */
export function studyUnits(config: Config, scenarios: readonly Scenario[] = studyGrid(config)): WorkUnit[] {
  const infos = scenarios.map((s) => ({ scenario: s, info: scenarioInfo(s, config) }));
  const gens = stageGenerators(config);
  const units: WorkUnit[] = [];
  if (config.stages.includes('power')) {
    for (const generator of gens.power) {
      for (const { scenario, info: i } of infos) {
        for (const direction of i.directions) units.push({ id: `power/${generator}/${i.id}/${direction}`, kind: 'power', scenario, info: i, generator, direction });
      }
    }
  }
  if (config.stages.includes('asymptotic')) {
    for (const { scenario, info: i } of infos) units.push({ id: `asymptotic/${i.id}`, kind: 'asymptotic', scenario, info: i });
  }
  if (config.stages.includes('ci')) {
    for (const generator of gens.ci) {
      for (const { scenario, info: i } of infos) units.push({ id: `ci/${generator}/${i.id}`, kind: 'ci', scenario, info: i, generator });
    }
  }
  return units;
}

/** Execution order: scenario by scenario (caches stay local), stages in canonical order within it. */
export function executionOrder(units: readonly WorkUnit[], scenarios: readonly Scenario[]): WorkUnit[] {
  const position = new Map(scenarios.map((s, i) => [scenarioId(s), i]));
  return units
    .map((u, i) => ({ u, i }))
    .sort((a, b) => position.get(a.u.info.id)! - position.get(b.u.info.id)! || a.i - b.i)
    .map(({ u }) => u);
}
