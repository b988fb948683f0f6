/**
 * `spearsim plot power --case 3 --k 4 --shape even`: SVG power curve of a scenario with the
 * target-power line and the minimum detectable rho; `spearsim plot forest`: SVG forest plot of
 * the CIs in a study's results.json (bootstrap and asymptotic side by side).
 * @module
 */
import * as path from 'node:path';
import { SpearsimError } from '../../errors';
import { RESULTS_FILE } from '../../study/file-names';
import type { Command } from '../command';
import { SCENARIO_FLAGS, SCENARIO_OPTIONS, scenarioFromFlags } from './scenario';

const KINDS = ['power', 'forest'] as const;

export const plotCommand: Command = {
  name: 'plot',
  summary: 'SVG pictures: "plot power" (power curve of a scenario) or "plot forest" (CIs of a study run)',
  options: [...SCENARIO_OPTIONS, 'outputDir'],
  positionals: { max: 1, usage: 'power|forest' },
  flags: [
    ...SCENARIO_FLAGS,
    { name: 'rho', kind: 'numberList', description: 'power: true rhos of the curve (default 0 to 0.5 by 0.025 in the search direction)' },
    { name: 'results', kind: 'string', description: `forest: a study's ${RESULTS_FILE} or its directory (default: the output directory)` },
    { name: 'output', kind: 'string', description: 'SVG file to write (default: in the output directory)' },
  ],
  base: () => ({ nSims: 2000 }),
  async run({ args, config, signal, print }) {
    const kind = args.positionals[0];
    if (kind !== 'power' && kind !== 'forest') {
      throw new SpearsimError('ERR_INVALID_TYPE', `plot needs a kind: ${KINDS.join(' or ')}; received ${kind === undefined ? 'none' : JSON.stringify(kind)}`, { option: 'kind', expected: KINDS.join(', ') });
    }
    const output = args.flags.output as string | undefined;
    const [{ ciForestSvg, forestRowsFromResult, powerCurvePlot }, { scenarioId }, { writeFileAtomic }, { readStudyResult }] = await Promise.all([
      import('../../plot'), import('../../study/grid'), import('../../internal/files'), import('../../study/read-results'),
    ]);
    if (kind === 'power') {
      const scenario = await scenarioFromFlags(args);
      const rhos = args.flags.rho as number[] | undefined;
      const plot = await powerCurvePlot(scenario, { ...config, ...(rhos ? { rhos } : {}), signal });
      const file = path.resolve(output ?? path.join(config.outputDir, `power_curve_${scenarioId(scenario)}.svg`));
      writeFileAtomic(file, plot.svg);
      print(`Wrote ${file} (minimum detectable rho ${plot.minDetectableRho.toFixed(4)}, ${plot.points.length} points of ${config.nSims} sims each, seed ${config.seed})`);
      return { kind, file, minDetectableRho: plot.minDetectableRho, direction: plot.direction, points: plot.points };
    }
    const given = (args.flags.results as string | undefined) ?? config.outputDir;
    const source = given.endsWith('.json') ? given : path.join(given, RESULTS_FILE);
    const result = readStudyResult(source, '--results');
    const rows = forestRowsFromResult(result);
    if (rows.length === 0) throw new SpearsimError('ERR_UNSUPPORTED', `${source} holds no confidence intervals (run the ci or asymptotic stage)`, { option: '--results', value: source });
    const svg = ciForestSvg(rows, { title: `Expected ${Math.round((1 - Number(result.provenance.config.alpha)) * 100)} % CIs at the observed rho (dashed)`, xLabel: 'Spearman rho' });
    const file = path.resolve(output ?? path.join(path.dirname(source), 'ci_forest.svg'));
    writeFileAtomic(file, svg);
    print(`Wrote ${file} (${rows.length} intervals)`);
    return { kind, file, intervals: rows.length };
  },
};
