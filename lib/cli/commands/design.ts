/**
 * `spearsim design`: plan your own study. Describe a design (n or a range of n; x ties as counts,
 * proportions or a pilot column; continuous, ordinal or pilot y) and ask one question with
 * `--solve power|mdr|n|ci|ci-width`. Every Monte Carlo number is printed with its Monte Carlo SE
 * and the closed-form answer beside it. docs/methods.md, "Planning your own study".
 * @module
 */
import type { OptionKey } from '../../config';
import { SpearsimError, rangeError } from '../../errors';
import type { Design, DesignResult, DesignSpec, XModelSpec, YModelSpec } from '../../design';
import type { Delimiter } from '../../csv';
import type { FlagSpec, ParsedArgs } from '../args';
import { type Command, formatNumber, table } from '../command';

const QUESTIONS = ['power', 'mdr', 'n', 'ci', 'ci-width'] as const;
type Question = (typeof QUESTIONS)[number];

const DESIGN_OPTIONS: readonly OptionKey[] = [
  'generator', 'targetPower', 'alternative', 'halfWidth', 'fisherVariance', 'alpha', 'nSims', 'nReps', 'nBoot', 'nCal', 'nPre', 'seed', 'calibrationMode', 'vectorize',
  'batchBootstrap', 'chunkResamples', 'threads', 'memoryLimit', 'native', 'verbose', 'cacheDir', 'saveCache', 'report',
];

const DESIGN_FLAGS: readonly FlagSpec[] = [
  { name: 'solve', kind: 'string', description: 'question: power (default), mdr, n, ci or ci-width' },
  { name: 'n', kind: 'string', description: 'sample size: 60, a list 40,60,80 (power), or a search range 20:400 (n, ci-width)' },
  { name: 'counts', kind: 'integerList', description: 'x group sizes in ascending x order, e.g. 20,30,30,20 (n defaults to their sum)' },
  { name: 'proportions', kind: 'numberList', description: 'x group proportions summing to 1, rescaled to any n by largest-remainder rounding' },
  { name: 'xFrom', kind: 'string', description: 'pilot CSV/TSV file whose column --x gives the x tie proportions' },
  { name: 'x', kind: 'string', description: 'pilot x column: header name or 1-based number (with --x-from)' },
  { name: 'yLevels', kind: 'numberList', description: 'ordinal y: level proportions summing to 1 (a fixed y margin), e.g. 0.1,0.2,0.4,0.2,0.1' },
  { name: 'yFrom', kind: 'string', description: 'pilot CSV/TSV file whose column --y is the empirical y pool (resampled to n, ties kept)' },
  { name: 'y', kind: 'string', description: 'pilot y column: header name or 1-based number (with --y-from)' },
  { name: 'rho', kind: 'numberList', description: 'true Spearman rho(s) (power: a list; n, ci, ci-width: one)' },
  { name: 'curveCsv', kind: 'string', description: 'write the power curves (over n at the answer\'s rho, over rho at its n) as CSV to this file' },
  { name: 'plotDir', kind: 'string', description: 'write power_vs_n.svg and power_vs_rho.svg (95 % Monte Carlo bands, the answer marked) into this directory' },
  { name: 'delimiter', kind: 'string', description: 'pilot files: comma or tab (default: detected from the header line)' },
];

interface NFlag {
  values: number[] | null;
  range: [number, number] | null;
}

function integerN(text: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(v)) throw rangeError('--n', text, 'an integer, a list 40,60,80 or a range LO:HI');
  return v;
}

/** --n as one n, a list, or a range LO:HI. */
function parseN(raw: unknown): NFlag {
  if (raw === undefined) return { values: null, range: null };
  const text = String(raw);
  const range = /^\s*(\d+)\s*(?::|\.\.)\s*(\d+)\s*$/.exec(text);
  if (range) return { values: null, range: [integerN(range[1]!), integerN(range[2]!)] };
  return { values: text.split(',').map(integerN), range: null };
}

function delimiterOf(raw: unknown): Delimiter | undefined {
  if (raw === undefined) return undefined;
  const d = ({ comma: ',', ',': ',', tab: '\t', '\\t': '\t', '\t': '\t' } as Record<string, Delimiter>)[String(raw).toLowerCase()];
  if (!d) throw rangeError('--delimiter', raw, 'comma or tab');
  return d;
}

function needsPair(file: unknown, column: unknown, fileFlag: string, columnFlag: string): void {
  if ((file === undefined) !== (column === undefined)) {
    throw new SpearsimError('ERR_INVALID_TYPE', `${fileFlag} and ${columnFlag} go together; received only ${file === undefined ? columnFlag : fileFlag}`, {
      option: file === undefined ? fileFlag : columnFlag,
      expected: `${fileFlag} FILE ${columnFlag} COLUMN`,
    });
  }
}

/** The design named by the flags. */
async function designFromFlags(args: ParsedArgs, n: NFlag): Promise<Design> {
  const f = args.flags as Record<string, unknown>;
  needsPair(f.xFrom, f.x, '--x-from', '--x');
  needsPair(f.yFrom, f.y, '--y-from', '--y');
  const xModes = ['counts', 'proportions', 'xFrom'].filter((k) => f[k] !== undefined);
  if (xModes.length !== 1) {
    throw new SpearsimError('ERR_INVALID_TYPE', `a design needs exactly one of --counts, --proportions, --x-from FILE --x COL; received ${xModes.length === 0 ? 'none' : xModes.map((k) => `--${k === 'xFrom' ? 'x-from' : k}`).join(' and ')}`, {
      option: '--counts',
      expected: 'exactly one of --counts, --proportions, --x-from',
    });
  }
  if (f.yLevels !== undefined && f.yFrom !== undefined) {
    throw new SpearsimError('ERR_INVALID_TYPE', '--y-levels and --y-from exclude each other (ordinal y or a pilot y pool)', { option: '--y-levels' });
  }
  const delimiter = delimiterOf(f.delimiter);
  const { makeDesign, readPilotColumn } = await import('../../design');
  let x: XModelSpec;
  if (f.counts !== undefined) x = { counts: f.counts as number[] };
  else if (f.proportions !== undefined) x = { proportions: f.proportions as number[] };
  else {
    const pilot = readPilotColumn(String(f.xFrom), String(f.x), '--x-from', delimiter);
    x = { pilot: pilot.values, source: pilot.source };
  }
  let y: YModelSpec = { kind: 'continuous' };
  if (f.yLevels !== undefined) y = { kind: 'ordinal', proportions: f.yLevels as number[] };
  else if (f.yFrom !== undefined) {
    const pilot = readPilotColumn(String(f.yFrom), String(f.y), '--y-from', delimiter);
    y = { kind: 'pilot', values: pilot.values, source: pilot.source };
  }
  const spec: DesignSpec = { x, y };
  if (n.range) spec.n = n.range;
  else if (n.values && n.values.length === 1) spec.n = n.values[0]!;
  return makeDesign(spec);
}

function questionOf(raw: unknown): Question {
  const q = raw === undefined ? 'power' : String(raw);
  if (!(QUESTIONS as readonly string[]).includes(q)) throw rangeError('--solve', raw, QUESTIONS.join(', '));
  return q as Question;
}

function oneRho(rhos: number[] | undefined, question: Question): number {
  if (!rhos || rhos.length !== 1) {
    throw new SpearsimError('ERR_INVALID_TYPE', `--solve ${question} needs exactly one --rho; received ${rhos ? rhos.length : 'none'}`, { option: '--rho', expected: 'one number in (-1, 1)' });
  }
  return rhos[0]!;
}

function oneN(n: NFlag, question: Question): number | undefined {
  if (n.range) throw new SpearsimError('ERR_INVALID_TYPE', `--solve ${question} works at one n; received the range --n ${n.range.join(':')}`, { option: '--n', expected: 'one integer' });
  if (n.values && n.values.length > 1) throw new SpearsimError('ERR_INVALID_TYPE', `--solve ${question} works at one n; received ${n.values.length}`, { option: '--n', expected: 'one integer' });
  return n.values?.[0];
}

function searchRange(n: NFlag, question: Question): [number, number] | undefined {
  if (n.values) throw new SpearsimError('ERR_INVALID_TYPE', `--solve ${question} searches n: give a range --n LO:HI, or omit --n`, { option: '--n', value: n.values.join(','), expected: 'a range LO:HI' });
  return n.range ?? undefined;
}

const pm = (value: number, se: number): string => `${formatNumber(value)} ± ${formatNumber(se)}`;

/** Human-readable lines of an answer. */
function describe(r: DesignResult): string[] {
  const m = r.method;
  const lines = [r.design.description, `generator ${m.generator}${m.engineGenerator !== m.generator ? ` (runs as ${m.engineGenerator} with a y pool)` : ''}, ${m.alternative}, alpha ${m.alpha}, ${m.nSims} sims per power evaluation, null: ${m.nullKind} (${m.nPre} permutations)`, ''];
  const yPart = (y: number[] | null): string => (y ? `, y counts [${y.join(', ')}]` : '');
  switch (r.question) {
    case 'power':
      lines.push(table(['n', 'rho', 'x_counts', 'power', 'power_se', 'asymptotic'], r.points.map((p) => [String(p.n), p.rho, `[${p.counts.join(', ')}]${yPart(p.yCounts)}`, p.power, p.powerSe, p.asymptoticPower])));
      break;
    case 'mdr':
      lines.push(`x counts at n=${r.n}: [${r.counts.join(', ')}] (largest-remainder rounding)`);
      lines.push(`minimum detectable rho for power ${r.targetPower}: ${pm(r.minDetectableRho, r.minDetectableRhoSe)} (Monte Carlo SE); power there ${pm(r.power, r.powerSe)}`);
      lines.push(`asymptotic: ${formatNumber(r.asymptoticMinDetectableRho)}`);
      break;
    case 'n':
      if (r.reachable) {
        lines.push(`smallest n with power >= ${r.targetPower} at rho ${r.rho}: n = ${r.n}${r.nSe !== null ? ` (Monte Carlo SE of n about ${r.nSe.toFixed(1)})` : ''}`);
        lines.push(`power at n = ${r.n}: ${pm(r.power, r.powerSe)}; at n - 1: ${r.powerAtNMinus1 === null ? 'below the search range' : pm(r.powerAtNMinus1, r.powerAtNMinus1Se!)}`);
        lines.push(`x counts at n: [${r.counts.join(', ')}]${yPart(r.yCounts)} (largest-remainder rounding)`);
      } else {
        const best = r.steps.reduce((a, b) => (b.power > a.power ? b : a));
        lines.push(`power ${r.targetPower} is not reached within the search range ${r.design.nRange.join(':')} at rho ${r.rho}: best power ${pm(r.power, r.powerSe)} at n = ${best.n}`);
      }
      lines.push(`asymptotic n: ${r.asymptoticN ?? 'beyond the search range'}; ${r.steps.length} simulated evaluations`);
      break;
    case 'ci':
      lines.push(`x counts at n=${r.n}: [${r.counts.join(', ')}]`);
      lines.push(`expected ${Math.round((1 - m.alpha) * 100)}% bootstrap CI at rho ${r.rho}: [${pm(r.ciLower, r.ciLowerSe)}, ${pm(r.ciUpper, r.ciUpperSe)}] (${r.nReps} reps x ${r.nBoot} resamples)`);
      lines.push(`mean width ${pm(r.meanWidth, r.meanWidthSe)}; asymptotic (Fisher z): [${formatNumber(r.asymptoticCi[0])}, ${formatNumber(r.asymptoticCi[1])}]`);
      break;
    case 'ci-width':
      if (r.reachable) {
        lines.push(`smallest n with expected CI half-width <= ${r.halfWidth} at rho ${r.rho}: n = ${r.n}`);
        lines.push(`half-width at n: ${pm(r.meanHalfWidth, r.meanHalfWidthSe)}; at n - 1: ${r.meanHalfWidthAtNMinus1 === null ? 'below the search range' : pm(r.meanHalfWidthAtNMinus1, r.meanHalfWidthAtNMinus1Se!)}`);
        lines.push(`x counts at n: [${r.counts.join(', ')}]`);
      } else {
        lines.push(`half-width ${r.halfWidth} is not reached within the search range: ${pm(r.meanHalfWidth, r.meanHalfWidthSe)} at its top`);
      }
      lines.push(`asymptotic n (Fisher z): ${r.asymptoticN ?? 'beyond the search range'}; ${r.steps.length} simulated evaluations`);
      break;
  }
  return lines;
}

/** Answers the question the flags ask (the command's result, also the input of a report). */
async function answerDesign(args: ParsedArgs, options: object & { signal?: AbortSignal }): Promise<DesignResult> {
  const f = args.flags as Record<string, unknown>;
  const question = questionOf(f.solve);
  const n = parseN(f.n);
  const design = await designFromFlags(args, n);
  const rhos = f.rho as number[] | undefined;
  const { designCi, designCiWidth, designMinDetectableRho, designPower, designSampleSize } = await import('../../design');
  switch (question) {
    case 'power':
      if (n.range) throw new SpearsimError('ERR_INVALID_TYPE', '--solve power works at given n: one n or a list, not a range', { option: '--n', expected: 'an integer or a list 40,60,80' });
      if (!rhos) throw new SpearsimError('ERR_INVALID_TYPE', '--solve power needs --rho (one or more true rhos)', { option: '--rho' });
      return designPower(design, { ...options, rho: rhos, ...(n.values ? { n: n.values } : {}) });
    case 'mdr':
      return designMinDetectableRho(design, { ...options, n: oneN(n, question) });
    case 'n':
      return designSampleSize(design, { ...options, rho: oneRho(rhos, question), nRange: searchRange(n, question) });
    case 'ci':
      return designCi(design, { ...options, rho: oneRho(rhos, question), n: oneN(n, question) });
    case 'ci-width':
      return designCiWidth(design, { ...options, rho: oneRho(rhos, question), nRange: searchRange(n, question) });
  }
}

export const designCommand: Command = {
  name: 'design',
  summary: 'plan your own study: power, minimum detectable rho, sample size, expected CI or the n for a CI width, for any n and ties',
  options: DESIGN_OPTIONS,
  flags: DESIGN_FLAGS,
  async run({ args, config, signal, print }) {
    const targets = { curveCsv: args.flags.curveCsv as string | undefined, plotDir: args.flags.plotDir as string | undefined, report: config.report };
    if (targets.report !== undefined) (await import('../../report/html')).checkReportTarget(targets.report);
    const result = await answerDesign(args, { ...config, signal });
    for (const line of describe(result)) print(line);
    if (targets.curveCsv === undefined && targets.plotDir === undefined && targets.report === undefined) return result;
    const { designCurves, writeDesignOutputs } = await import('../../report/design');
    const curves = await designCurves(result, { ...config, report: undefined, signal });
    const files = writeDesignOutputs(result, curves, targets);
    print(`Wrote ${files.join(', ')}`);
    return { ...result, files };
  },
};
