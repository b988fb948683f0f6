/**
 * Validation of a unit result read back from disk (a resume state's unit file, a shard's
 * results.json): its identity must be the expected unit's, every field the tables read must be
 * there with the right type, and every number must lie in its range. A unit that passes can be
 * put in a table; one that does not is recomputed (resume) or refused (merge), never tabulated.
 * @module
 */
import { type TieMode, tieModes } from '../asymptotic';
import type { Config } from '../config';
import type { WorkUnit } from './grid';

type Fields = Record<string, unknown>;

const isRho = (v: unknown): boolean => typeof v === 'number' && v >= -1 && v <= 1;
/** A minimum detectable rho lies on the side of its search direction. */
const onSide = (v: unknown, direction: unknown): boolean => isRho(v) && (direction === 'negative' ? (v as number) < 0 : (v as number) > 0);
const isCount = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;
/** A Monte Carlo SD; NaN (null in JSON) when it is undefined, e.g. with one rep. */
const isSd = (v: unknown): boolean => v === null || (typeof v === 'number' && v >= 0 && Number.isFinite(v));

function badField(u: Fields, checks: ReadonlyArray<[string, (v: unknown) => boolean, string]>): string | undefined {
  for (const [key, ok, expected] of checks) {
    if (!ok(u[key])) return `${key} is ${u[key] === undefined ? 'missing' : JSON.stringify(u[key])}, not ${expected}`;
  }
  return undefined;
}

function asymptoticProblem(u: Fields, unit: WorkUnit, modes: readonly TieMode[]): string | undefined {
  const power = u.power;
  const ci = u.ci;
  if (!Array.isArray(power) || !Array.isArray(ci)) return 'power or ci is not a list';
  const wanted = unit.info.directions.flatMap((direction) => modes.map((mode) => `${direction}/${mode}`));
  const got = power.map((p: Fields | null) => (p !== null && typeof p === 'object' && onSide(p.minDetectableRho, p.direction) ? `${String(p.direction)}/${String(p.mode)}` : 'bad'));
  if (got.length !== wanted.length || wanted.some((w) => !got.includes(w))) return `power holds ${got.join(', ') || 'nothing'}, not ${wanted.join(', ')} each with a rho in [-1, 1] on its direction's side`;
  const gotCi = ci.map((c: Fields | null) =>
    c !== null && typeof c === 'object' && isRho(c.ciLower) && isRho(c.ciUpper) && (c.ciLower as number) <= (c.ciUpper as number) ? String(c.mode) : 'bad',
  );
  if (gotCi.length !== modes.length || modes.some((m) => !gotCi.includes(m))) return `ci holds ${gotCi.join(', ') || 'nothing'}, not ${modes.join(', ')} with ordered endpoints in [-1, 1]`;
  return undefined;
}

/**
 * What is wrong with `value` as the result of `unit` in a run configured by `config`, or
 * undefined when it may be tabulated.
 */
export function unitProblem(value: unknown, unit: WorkUnit, config: Pick<Config, 'tieCorrection'>): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a unit object';
  const u = value as Fields;
  const identity = badField(u, [
    ['id', (v) => v === unit.id, JSON.stringify(unit.id)],
    ['kind', (v) => v === unit.kind, JSON.stringify(unit.kind)],
    ['scenarioId', (v) => v === unit.info.id, JSON.stringify(unit.info.id)],
    ['seconds', (v) => typeof v === 'number' && v >= 0 && Number.isFinite(v), 'a duration in seconds'],
  ]);
  if (identity) return identity;
  if (unit.kind === 'power') {
    return badField(u, [
      ['generator', (v) => v === unit.generator, JSON.stringify(unit.generator)],
      ['direction', (v) => v === unit.direction, JSON.stringify(unit.direction)],
      ['minDetectableRho', (v) => onSide(v, unit.direction), `a rho in [-1, 1] on the ${String(unit.direction)} side`],
      ['nSims', (v) => isCount(v, 1), 'a positive integer'],
      ['boundaryWarning', (v) => typeof v === 'boolean', 'true or false'],
    ]);
  }
  if (unit.kind === 'ci') {
    const fields = badField(u, [
      ['generator', (v) => v === unit.generator, JSON.stringify(unit.generator)],
      ['rho', (v) => v === unit.info.observedRho, String(unit.info.observedRho)],
      ['ciLower', isRho, 'a rho in [-1, 1]'],
      ['ciUpper', isRho, 'a rho in [-1, 1]'],
      ['ciLowerSd', isSd, 'an SD'],
      ['ciUpperSd', isSd, 'an SD'],
      ['meanRhoHat', isRho, 'a rho in [-1, 1]'],
      ['rhoIn', isRho, 'a rho in [-1, 1]'],
      ['nReps', (v) => isCount(v, 1), 'a positive integer'],
      ['nBoot', (v) => isCount(v, 1), 'a positive integer'],
      ['dropped', (v) => isCount(v, 0), 'a count'],
    ]);
    if (fields) return fields;
    return (u.ciLower as number) > (u.ciUpper as number) ? `ciLower ${String(u.ciLower)} is above ciUpper ${String(u.ciUpper)}` : undefined;
  }
  return asymptoticProblem(u, unit, tieModes(config.tieCorrection));
}
