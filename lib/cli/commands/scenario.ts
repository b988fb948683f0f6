/**
 * `spearsim scenario --case 3 --k 4 --shape even`: the single-scenario tool (docs/methods.md, "Outputs"). Minimum
 * detectable rho per generator and direction, expected bootstrap CI per generator (linear
 * included) at the observed rho (or --rho), plus asymptotic rows. `--ci-only` / `--power-only`
 * run one part for one generator (`--generator`, default nonparametric).
 * Also exports the scenario flags shared with `power` and `plot`.
 * @module
 */
import { oneOf } from '../../internal/options';
import { INTERVAL_METHODS } from '../../interval-methods/registry';
import type { Config, GeneratorName, OptionKey } from '../../config';
import { SpearsimError } from '../../errors';
import type { Scenario, ScenarioSpec } from '../../scenario';
import type { WorkUnit } from '../../study/grid';
import type { FlagSpec, ParsedArgs } from '../args';
import { type Command, table } from '../command';

/** Flags naming one scenario of the study. */
export const SCENARIO_FLAGS: readonly FlagSpec[] = [
  { name: 'case', kind: 'number', description: 'study case 1-4 (required)' },
  { name: 'k', kind: 'number', description: 'number of distinct x values 4-10 (with --shape)' },
  { name: 'shape', kind: 'string', description: 'frequency shape: even, heavy_tail, heavy_center (with --k)' },
  { name: 'freq', kind: 'integerList', description: 'custom x counts, comma-separated, summing to the case n (replaces --k/--shape)', aliases: ['counts'] },
  { name: 'allDistinct', kind: 'boolean', description: "the case's all-distinct baseline" },
];

/** The scenario named by the scenario flags. */
export async function scenarioFromFlags(args: ParsedArgs): Promise<Scenario> {
  const f = args.flags as { case?: number; k?: number; shape?: string; freq?: number[]; allDistinct?: boolean };
  if (f.case === undefined) throw new SpearsimError('ERR_INVALID_TYPE', 'a scenario needs --case (1-4)', { option: '--case', expected: 'one of 1, 2, 3, 4' });
  const modes = [f.k !== undefined || f.shape !== undefined ? '--k/--shape' : null, f.freq ? '--freq' : null, f.allDistinct ? '--all-distinct' : null].filter((m) => m !== null);
  if (modes.length !== 1) {
    throw new SpearsimError('ERR_INVALID_TYPE', `a scenario needs exactly one of --k with --shape, --freq, --all-distinct; received ${modes.length === 0 ? 'none' : modes.join(' and ')}`, {
      option: '--k',
      expected: 'exactly one of --k with --shape, --freq, --all-distinct',
    });
  }
  if ((f.k === undefined) !== (f.shape === undefined) && !f.freq && !f.allDistinct) {
    throw new SpearsimError('ERR_INVALID_TYPE', `--k and --shape go together; received only ${f.k === undefined ? '--shape' : '--k'}`, { option: f.k === undefined ? '--k' : '--shape' });
  }
  const spec = f.allDistinct ? { case: f.case, allDistinct: true as const } : f.freq ? { case: f.case, counts: f.freq } : { case: f.case, k: f.k!, shape: f.shape! };
  const { makeScenario } = await import('../../scenario');
  return makeScenario(spec as ScenarioSpec);
}

/** Engine and size options of the single-scenario commands. */
export const SCENARIO_OPTIONS: readonly OptionKey[] = [
  'generator', 'generators', 'nSims', 'nReps', 'nBoot', 'nCal', 'nPre', 'nPerm', 'seed', 'alpha', 'targetPower', 'calibrationMode',
  'usePermutationPvalue', 'pvalueMcOnCacheMiss', 'empiricalUsePrecomputedNull', 'directionMode', 'tieCorrection', 'fisherVariance', 'vectorize',
  'batchBootstrap', 'chunkResamples', 'threads', 'memoryLimit', 'native', 'verbose', 'cacheDir', 'saveCache',
];

/** Generators of the single-scenario tool: --generator alone, --generators, or (ci/power-only) the default generator. */
async function toolGenerators(args: ParsedArgs, config: Config, single: boolean): Promise<GeneratorName[]> {
  if (args.options.generator !== undefined) return [config.generator];
  if (args.options.generators !== undefined || !single) return (await import('../../study/grid')).stageGenerators(config).power;
  return [config.generator];
}

/** A power row of the tool: a generator's search, or the asymptotic formula (nSims null). */
interface PowerRow {
  method: string;
  generator: GeneratorName | null;
  direction: string;
  minDetectableRho: number;
  nSims: number | null;
  boundaryWarning: unknown;
  seconds: number;
}

/** A CI row of the tool: a generator's expected bootstrap CI, or the asymptotic Fisher-z CI. */
interface CiRow {
  method: string;
  generator: GeneratorName | null;
  rho: number;
  ciLower: number;
  ciUpper: number;
  meanRhoHat: number;
  seconds: number;
  ciLowerSd?: number;
  ciUpperSd?: number;
  nReps?: number;
  nBoot?: number;
  rhoIn?: number;
  dropped?: number;
  /** Bootstrap rows: the interval of each simulated dataset. */
  intervalMethod?: string;
}

export const scenarioCommand: Command = {
  name: 'scenario',
  summary: 'one scenario: minimum detectable rho and expected bootstrap CI per generator, plus asymptotic rows',
  options: SCENARIO_OPTIONS,
  flags: [
    ...SCENARIO_FLAGS,
    { name: 'rho', kind: 'number', description: "CI target Spearman rho (default: the case's observed rho)" },
    { name: 'intervalMethod', kind: 'string', description: `interval of each simulated dataset: ${INTERVAL_METHODS.join(', ')} (default percentile)` },
    { name: 'ciOnly', kind: 'boolean', description: 'only the bootstrap CI' },
    { name: 'powerOnly', kind: 'boolean', description: 'only the minimum detectable rho' },
  ],
  base: () => ({ nSims: 500, nBoot: 500, nReps: 20, seed: 42 }),
  async run({ args, config, signal, print, log }) {
    const scenario = await scenarioFromFlags(args);
    const { ciOnly, powerOnly, rho: rhoFlag } = args.flags as { ciOnly?: boolean; powerOnly?: boolean; rho?: number };
    const intervalMethod = oneOf('--interval-method', args.flags.intervalMethod, INTERVAL_METHODS, 'percentile');
    if (ciOnly && powerOnly) throw new SpearsimError('ERR_INVALID_TYPE', '--ci-only and --power-only exclude each other', { option: '--power-only' });
    const [{ tieModes }, { expectedCI }, { minDetectableRho }, { provenance }, { scenarioInfo }, { asymptoticUnit }, { ASYMPTOTIC_METHOD, ASYMPTOTIC_CI_STEM }] = await Promise.all([
      import('../../asymptotic'), import('../../ci'), import('../../power'), import('../../provenance'), import('../../study/grid'), import('../../study/stages'),
      import('../../study/tables'),
    ]);
    const generators = await toolGenerators(args, config, ciOnly === true || powerOnly === true);
    const info = scenarioInfo(scenario, config);
    const rho = rhoFlag ?? info.observedRho;
    const options = { ...config, signal };
    let engineName: 'native' | 'typescript' = 'typescript';
    print(scenario.description);
    // the sizes differ from the study's (this command's own defaults): say which ran
    print(`sizes: nSims ${config.nSims}, nReps ${config.nReps} x nBoot ${config.nBoot}, nCal ${config.nCal}, nPre ${config.nPre}, seed ${config.seed} (change with --sims, --reps, --boot, ...)`);

    const powerRows: PowerRow[] = [];
    if (!ciOnly) {
      for (const generator of generators) {
        for (const direction of info.directions) {
          const start = performance.now();
          const r = await minDetectableRho(scenario, { ...options, generator, direction });
          engineName = r.provenance.engine;
          powerRows.push({ method: generator, generator, direction, minDetectableRho: r.minDetectableRho, nSims: r.nSims, boundaryWarning: r.boundaryWarning, seconds: (performance.now() - start) / 1000 });
          if (config.verbose >= 2) log(`spearsim: power ${generator} ${direction} done`);
        }
      }
    }
    const ciRows: CiRow[] = [];
    if (!powerOnly) {
      for (const generator of generators) {
        const start = performance.now();
        const r = await expectedCI(scenario, { ...options, generator, rho, intervalMethod });
        engineName = r.provenance.engine;
        ciRows.push({
          method: `bootstrap_${generator}`, generator, rho, ciLower: r.ciLower, ciUpper: r.ciUpper, ciLowerSd: r.ciLowerSd, ciUpperSd: r.ciUpperSd,
          meanRhoHat: r.meanRhoHat, nReps: r.nReps, nBoot: r.nBoot, rhoIn: r.rhoIn, dropped: r.dropped, intervalMethod: r.intervalMethod,
          seconds: (performance.now() - start) / 1000,
        });
      }
    }
    // asymptotic rows (docs/methods.md, "Outputs"): power per direction and the Fisher-z CI at the target rho, per tie mode
    const unit: WorkUnit = { id: `asymptotic/${info.id}`, kind: 'asymptotic', scenario, info: { ...info, observedRho: rho } };
    const asym = asymptoticUnit(unit, config);
    if (!ciOnly) for (const p of asym.power) powerRows.push({ method: ASYMPTOTIC_METHOD[p.mode], generator: null, direction: p.direction, minDetectableRho: p.minDetectableRho, nSims: null, boundaryWarning: null, seconds: 0 });
    if (!powerOnly) for (const c of asym.ci) ciRows.push({ method: ASYMPTOTIC_CI_STEM[c.mode], generator: null, rho, ciLower: c.ciLower, ciUpper: c.ciUpper, meanRhoHat: rho, seconds: 0 });

    if (powerRows.length > 0) {
      print('');
      print(table(['method', 'direction', 'min_detectable_rho', 'n_sims', 'seconds'], powerRows.map((r) => [r.method, r.direction, r.minDetectableRho, r.nSims === null ? '' : String(r.nSims), r.seconds.toFixed(1)])));
    }
    if (ciRows.length > 0) {
      print('');
      print(table(['method', 'ci_lower', 'ci_upper', 'mean_rho_hat', 'seconds'], ciRows.map((r) => [r.method, r.ciLower, r.ciUpper, r.meanRhoHat, r.seconds.toFixed(1)])));
    }
    const primary = generators.includes(config.generator) ? config.generator : generators[0];
    return {
      scenario: { ...info, description: scenario.description, modes: tieModes(config.tieCorrection) },
      power: powerRows.find((r) => r.generator === primary) ?? null,
      ci: ciRows.find((r) => r.generator === primary) ?? null,
      powerRows,
      ciRows,
      provenance: provenance(config, engineName),
    };
  },
};
