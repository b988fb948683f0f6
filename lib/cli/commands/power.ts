/**
 * `spearsim power --case 3 --k 4 --shape heavy_center --rho 0.2,0.3 --sims 20000`: simulated power
 * of the Spearman test at given true rhos (one estimate per rho).
 * @module
 */
import { SpearsimError } from '../../errors';
import { type Command, table } from '../command';
import { SCENARIO_FLAGS, SCENARIO_OPTIONS, scenarioFromFlags } from './scenario';

export const powerCommand: Command = {
  name: 'power',
  summary: 'power of the Spearman test for one scenario at given true rhos',
  options: SCENARIO_OPTIONS,
  flags: [...SCENARIO_FLAGS, { name: 'rho', kind: 'numberList', description: 'true Spearman rhos, comma-separated (required)' }],
  async run({ args, config, signal, print }) {
    const scenario = await scenarioFromFlags(args);
    const rhos = args.flags.rho as number[] | undefined;
    if (!rhos) throw new SpearsimError('ERR_INVALID_TYPE', 'power needs --rho (comma-separated true rhos)', { option: '--rho' });
    const { powerCurve } = await import('../../power');
    const curve = await powerCurve(scenario, rhos, { ...config, signal });
    print(`${scenario.description} — ${curve.generator}, ${curve.nSims} sims, alpha ${curve.alpha}, p-values: ${curve.pvalueMethod}`);
    print(table(['rho', 'power', 'se', 'realised_mean_rho', 'rho_in'], curve.rows.map((r) => [r.rho, r.power, r.se, r.realisedMeanRho, r.rhoIn])));
    return {
      scenario: { case: scenario.caseId, n: scenario.n, k: scenario.k, shape: scenario.shape, counts: scenario.counts, allDistinct: scenario.allDistinct, description: scenario.description },
      generator: curve.generator,
      nSims: curve.nSims,
      alpha: curve.alpha,
      pvalueMethod: curve.pvalueMethod,
      rows: curve.rows.map((r) => ({ rho: r.rho, power: r.power, se: r.se, realisedMeanRho: r.realisedMeanRho, rhoIn: r.rhoIn })),
      provenance: curve.provenance,
    };
  },
};
