/**
 * One unit of a study run = one call of a domain API (minDetectableRho, expectedCI, the
 * asymptotic formulas). The APIs derive identity-keyed seeds from the base seed (docs/methods.md, "Departures from the reference");
 * nothing here touches seeds.
 * @module
 */
import { asymptotic, tieModes } from '../asymptotic';
import { expectedCI } from '../ci';
import type { CallControls, Config } from '../config';
import { minDetectableRho } from '../power';
import type { WorkUnit } from './grid';
import type { AsymptoticUnitResult, CiUnitResult, PhaseTimings, PowerUnitResult, UnitResult } from './results';

function timingsOf(result: object): PhaseTimings | undefined {
  const t = (result as { timings?: unknown }).timings;
  return t !== null && typeof t === 'object' ? (t as PhaseTimings) : undefined;
}

async function powerUnit(unit: WorkUnit, config: Config, controls: CallControls): Promise<Omit<PowerUnitResult, 'seconds'>> {
  const r = await minDetectableRho(unit.scenario, { ...config, generator: unit.generator!, direction: unit.direction!, ...controls });
  return {
    id: unit.id, scenarioId: unit.info.id, kind: 'power', generator: unit.generator!, direction: unit.direction!,
    minDetectableRho: r.minDetectableRho, minDetectableRhoSe: r.minDetectableRhoSe, power: r.power, powerSe: r.powerSe, nSims: r.nSims, boundaryWarning: r.boundaryWarning !== null, timings: timingsOf(r),
  };
}

async function ciUnit(unit: WorkUnit, config: Config, controls: CallControls): Promise<Omit<CiUnitResult, 'seconds'>> {
  const rho = unit.info.observedRho;
  const r = await expectedCI(unit.scenario, { ...config, generator: unit.generator!, rho, ...controls });
  return {
    id: unit.id, scenarioId: unit.info.id, kind: 'ci', generator: unit.generator!, rho,
    ciLower: r.ciLower, ciUpper: r.ciUpper, ciLowerSd: r.ciLowerSd, ciUpperSd: r.ciUpperSd, meanRhoHat: r.meanRhoHat,
    ciLowerSe: r.ciLowerSe, ciUpperSe: r.ciUpperSe, meanRhoHatSe: r.meanRhoHatSe,
    nReps: r.nReps, nBoot: r.nBoot, rhoIn: r.rhoIn, dropped: r.dropped, timings: timingsOf(r),
  };
}

/** Closed-form minimum detectable rho per direction and CI at the observed rho, per tie mode (docs/methods.md, "Asymptotic methods"). */
export function asymptoticUnit(unit: WorkUnit, config: Config): Omit<AsymptoticUnitResult, 'seconds'> {
  const { results } = asymptotic(unit.scenario, { ...config, observedRho: unit.info.observedRho, rhos: [] });
  const modes = tieModes(config.tieCorrection);
  return {
    id: unit.id,
    scenarioId: unit.info.id,
    kind: 'asymptotic',
    power: results.flatMap((r) => modes.map((mode) => ({ direction: r.direction, mode, minDetectableRho: r.minDetectableRho[mode]! }))),
    ci: modes.map((mode) => {
      const [ciLower, ciUpper] = results[0]!.ci![mode]!;
      return { mode, ciLower, ciUpper };
    }),
  };
}

/** Runs one unit and times it. */
export async function runUnit(unit: WorkUnit, config: Config, controls: CallControls): Promise<UnitResult> {
  const start = performance.now();
  const r = unit.kind === 'power' ? await powerUnit(unit, config, controls) : unit.kind === 'ci' ? await ciUnit(unit, config, controls) : asymptoticUnit(unit, config);
  const seconds = (performance.now() - start) / 1000;
  return { ...r, seconds } as UnitResult;
}
