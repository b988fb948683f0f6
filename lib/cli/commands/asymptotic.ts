/**
 * `spearsim asymptotic`: the closed-form minimum detectable rho and Fisher-z CI of every scenario
 * of the study grid (filtered by --cases/--k-values/--shapes), both tie modes unless
 * --tie-correction picks one (`none` is right for the statistic computed here; docs/methods.md,
 * "Asymptotic methods").
 * @module
 */
import { type Command, table } from '../command';

export const asymptoticCommand: Command = {
  name: 'asymptotic',
  summary: 'closed-form minimum detectable rho and Fisher-z CI of every scenario of the grid',
  options: ['alpha', 'targetPower', 'tieCorrection', 'fisherVariance', 'directionMode', 'cases', 'kValues', 'shapes', 'verbose'],
  flags: [],
  base: () => ({ tieCorrection: 'both' }),
  async run({ config, print }) {
    const { asymptoticGrid, tieModes } = await import('../../asymptotic');
    const grid = asymptoticGrid({
      alpha: config.alpha, targetPower: config.targetPower, tieCorrection: config.tieCorrection, fisherVariance: config.fisherVariance, directionMode: config.directionMode,
      cases: config.cases, kValues: config.kValues, shapes: config.shapes, verbose: config.verbose,
    });
    const modes = tieModes(config.tieCorrection);
    print(`tie modes: ${modes.join(', ')} (--tie-correction none or fhp for one)`);
    print(
      table(
        ['case', 'n', 'k', 'shape', 'direction', ...modes.map((m) => `md_rho_${m}`), ...modes.flatMap((m) => [`ci_lower_${m}`, `ci_upper_${m}`])],
        grid.rows.map((r): Array<string | number> => [
          String(r.case), String(r.n), String(r.k), r.shape, r.direction, ...modes.map((m): number => r.minDetectableRho[m] ?? NaN),
          ...modes.flatMap((m): Array<string | number> => r.ci?.[m] ?? ['', '']),
        ]),
      ),
    );
    return grid;
  },
};
