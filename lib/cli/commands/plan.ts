/**
 * `spearsim plan --tier 0.002`: the sizes a precision target needs, the precision they deliver,
 * and an ETA for the configured grid at every preset, from unit costs measured at start-up.
 * @module
 */
import type { PlanRow } from '../../study/plan';
import { type Command, table } from '../command';

function planRow(r: PlanRow, formatDuration: (seconds: number) => string): Array<string | number> {
  const s = r.sizes;
  return [
    r.name, String(s.nSims), String(s.nCal), String(s.nReps), String(s.nBoot), String(s.nPre),
    r.precision.minDetectableRho, r.precision.ciEndpoint, formatDuration(r.eta.total), formatDuration(r.etaIdle.total),
  ];
}

export const planCommand: Command = {
  name: 'plan',
  summary: 'sizes for a precision target (--tier 0.002) and the ETA of a study run on this machine',
  options: [
    'preset', 'nSims', 'nCal', 'nReps', 'nBoot', 'nPre', 'generators', 'stages', 'cases', 'kValues', 'shapes', 'customCounts', 'baselines',
    'directionMode', 'calibrationMode', 'threads', 'native', 'memoryLimit', 'verbose',
  ],
  flags: [{ name: 'tier', kind: 'number', description: '95 % half-width target of the minimum detectable rho and the CI endpoints, e.g. 0.002' }],
  async run({ args, config, signal, print }) {
    const tier = args.flags.tier as number | undefined;
    const [{ planStudy }, { formatDuration }] = await Promise.all([import('../../study/plan'), import('../../study/progress')]);
    const plan = await planStudy({ ...config, signal, ...(tier !== undefined ? { tier } : {}) });
    const w = plan.work;
    const c = plan.costs;
    const headers = ['plan', 'n_sims', 'n_cal', 'n_reps', 'n_boot', 'n_pre', '+-md_rho', '+-ci_end', 'ETA now', 'ETA idle'];
    const eta = (label: string, e: PlanRow['eta']): string =>
      `${label} ${formatDuration(e.total)}: power ${formatDuration(e.power)}, calibration ${formatDuration(e.calibration)}, nulls ${formatDuration(e.nullBuild)}, bootstrap CIs ${formatDuration(e.ci)}`;
    const us = (v: number): string => (v * 1e6).toFixed(3);
    print(`Grid: ${w.scenarios} scenarios, ${w.searches} power searches, ${w.cis} bootstrap CIs, ${w.calibrations} calibrations, ${w.nulls} nulls`);
    print(`Unit costs in us, wall / CPU (${c.engine}, ${c.threads} threads, load average ${c.loadAverage.toFixed(1)}, measured in ${c.measuredIn.toFixed(1)} s):`);
    for (const [name, key] of [['sim per power search', 'perSearchSim'], ['calibration dataset', 'perCalibrationDataset'], ['bootstrap resample', 'perResample'], ['null permutation', 'perNullPermutation']] as const) {
      print(`  ${name.padEnd(22)} ${us(c.wall[key])} / ${us(c.cpu[key])}`);
    }
    print('');
    print(table(headers, [planRow(plan.target, formatDuration)]));
    print(eta('ETA now', plan.target.eta));
    print(eta('ETA idle', plan.target.etaIdle));
    print('');
    print('All presets on this grid:');
    print(table(headers, plan.presets.map((r) => planRow(r, formatDuration))));
    return plan;
  },
};
