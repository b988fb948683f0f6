/**
 * Pictures without a browser or dependencies: SVG text built by hand. A power curve (power vs rho
 * with the target-power line and the minimum detectable rho marked) and a forest plot of expected
 * CIs (bootstrap per generator and asymptotic, side by side, one panel per case); the curve drawer
 * also draws power against the sample size. Over 400 lines: the drawings share the axis and
 * validation helpers of this file.
 * @module
 */
import type { Direction } from './asymptotic';
import type { Config } from './config';
import { rangeError, typeError } from './errors';
import { minDetectableRho, powerCurve } from './power';
import type { Scenario } from './scenario';
import { shortLabel } from './study/grid';
import type { StudyResult } from './study/results';

/** One point of a power curve. */
export interface PowerCurvePoint {
  /** Target Spearman rho (x axis), in [-1, 1]. */
  rho: number;
  /** Power at rho (y axis), in [0, 1]. */
  power: number;
  /** Standard error of the power estimate (drawn as a 95 % bar when present). */
  se?: number;
}

/** Input of {@link powerCurveSvg}. */
export interface PowerCurveData {
  /** Points of the main curve (solid line). */
  points: readonly PowerCurvePoint[];
  /** Marked with a vertical line. */
  minDetectableRho?: number;
  /** Horizontal line; default 0.8. */
  targetPower?: number;
  /** A second, dashed curve (e.g. the asymptotic power). */
  reference?: {
    /** Legend label of the reference curve. */
    label: string;
    /** Points of the reference curve. */
    points: readonly PowerCurvePoint[];
  };
  /** Plot title. */
  title?: string;
  /** Legend label of the main curve. */
  label?: string;
}

/** One interval of a forest plot. */
export interface ForestRow {
  /** Panel (e.g. "Case 1 (B-Al, no outliers excluded)"). */
  group: string;
  /** Row within the panel (e.g. "k=4 even"). */
  label: string;
  /** Series (e.g. "bootstrap nonparametric", "asymptotic none"): one colour each. */
  method: string;
  /** Lower interval endpoint. */
  lower: number;
  /** Upper interval endpoint. */
  upper: number;
  /** Point estimate (dot), optional. */
  center?: number;
  /** Reference value of the panel (dashed vertical line), e.g. the observed rho. */
  reference?: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf'];
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"';

/** XML-escapes text. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Coordinates with 2 decimals (small files, stable output). */
function f(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** Most ticks {@link niceTicks} returns for one axis. */
const MAX_TICKS = 1000;

/** About `count` round tick values inside [lo, hi], or (outer) from a tick <= lo to a tick >= hi. */
export function niceTicks(lo: number, hi: number, count = 6, outer = false): number[] {
  checkFinite('lo', [lo]);
  checkFinite('hi', [hi]);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_TICKS) {
    throw rangeError('count', count, `an integer in [1, ${MAX_TICKS}]`);
  }
  if (!(hi > lo)) return [lo];
  // halve both ends if the span overflows (e.g. -1e308 .. 1e308) so the step stays finite
  if (!Number.isFinite(hi - lo)) {
    const halved = niceTicks(lo / 2, hi / 2, count, outer).map((t) => t * 2).filter((t) => Number.isFinite(t));
    return halved.length > 0 ? halved : [lo];
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  // subnormal spans underflow the magnitude to 0: no round ticks, just the ends
  if (!(step > 0 && Number.isFinite(step))) return [lo, hi];
  const first = outer ? Math.floor(lo / step + 1e-9) : Math.ceil(lo / step - 1e-9);
  const last = outer ? Math.ceil(hi / step - 1e-9) : Math.floor(hi / step + 1e-9);
  // beyond 2^53 the tick indices (and values) are no longer distinct integers: no round ticks
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) return [lo, hi];
  const out: number[] = [];
  // at most ~2 count + 2 ticks by construction; the bound guards against rounding surprises
  for (let i = first; i <= last && out.length <= 4 * MAX_TICKS; i++) {
    const t = Number((i * step).toPrecision(12)) + 0; // + 0: no -0
    if (Number.isFinite(t)) out.push(t); // an outer tick beyond the largest double is dropped
  }
  return out.length > 0 ? out : [lo, hi];
}

/**
 * Where v sits between lo and hi (0 at lo, 1 at hi; 0 when the axis is a point). Computed on
 * halves, which are exact, so that spans beyond the largest double (-1e308 .. 1e308) stay finite.
 */
function axisFraction(v: number, lo: number, hi: number): number {
  const span = hi / 2 - lo / 2;
  return span > 0 ? (v / 2 - lo / 2) / span : 0;
}

function tickLabel(v: number, ticks: readonly number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : 1;
  const decimals = Math.max(0, Math.min(4, -Math.floor(Math.log10(step) + 1e-9) + (step / 10 ** Math.floor(Math.log10(step)) === 2.5 ? 1 : 0)));
  return (Math.abs(v) < 1e-12 ? 0 : v).toFixed(decimals);
}

function svgOpen(width: number, height: number): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
}

function checkFinite(option: string, values: readonly unknown[]): void {
  for (const v of values) if (typeof v !== 'number' || !Number.isFinite(v)) throw rangeError(option, v, 'finite numbers');
}

function checkText(option: string, value: unknown, optional: boolean): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'string') throw typeError(option, value, optional ? 'a string (or absent)' : 'a string');
}

function checkObject(option: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw typeError(option, value, 'an object');
}

function checkPoints(option: string, points: unknown): readonly PowerCurvePoint[] {
  if (!Array.isArray(points)) throw typeError(option, points, 'an array of { rho, power, se? }');
  points.forEach((p: unknown, i) => {
    checkObject(`${option}[${i}]`, p);
    const q = p as Record<string, unknown>;
    checkFinite(`${option}[${i}].rho`, [q.rho]);
    checkFinite(`${option}[${i}].power`, [q.power]);
    // a power is a probability (the y axis is [0, 1]; a value beyond it has no place on the plot)
    if ((q.power as number) < 0 || (q.power as number) > 1) throw rangeError(`${option}[${i}].power`, q.power, 'a number in [0, 1]');
    if (q.se !== undefined) checkFinite(`${option}[${i}].se`, [q.se]);
  });
  return points as PowerCurvePoint[];
}

/** Validates the input of {@link powerCurveSvg} (a typed error, never an SVG with NaN in it). */
function checkPowerCurveData(data: PowerCurveData): void {
  checkObject('data', data);
  checkPoints('points', data.points);
  if (data.minDetectableRho !== undefined) checkFinite('minDetectableRho', [data.minDetectableRho]);
  if (data.targetPower !== undefined) {
    checkFinite('targetPower', [data.targetPower]);
    if (data.targetPower < 0 || data.targetPower > 1) throw rangeError('targetPower', data.targetPower, 'a number in [0, 1]');
  }
  if (data.reference !== undefined) {
    checkObject('reference', data.reference);
    checkText('reference.label', data.reference.label, false);
    checkPoints('reference.points', data.reference.points);
  }
  checkText('title', data.title, true);
  checkText('label', data.label, true);
}

/** Validates the rows of {@link ciForestSvg}. */
function checkForestRows(rows: readonly ForestRow[], options: { title?: string; xLabel?: string }): void {
  if (!Array.isArray(rows)) throw typeError('rows', rows, 'an array of forest rows');
  rows.forEach((r: unknown, i) => {
    checkObject(`rows[${i}]`, r);
    const q = r as Record<string, unknown>;
    for (const key of ['group', 'label', 'method']) checkText(`rows[${i}].${key}`, q[key], false);
    checkFinite(`rows[${i}].lower`, [q.lower]);
    checkFinite(`rows[${i}].upper`, [q.upper]);
    // a NaN centre (no rep had an interval) is simply not drawn
    if (q.center !== undefined && typeof q.center !== 'number') throw typeError(`rows[${i}].center`, q.center, 'a number (or absent)');
    if (q.reference !== undefined) checkFinite(`rows[${i}].reference`, [q.reference]);
  });
  checkObject('options', options);
  checkText('title', options.title, true);
  checkText('xLabel', options.xLabel, true);
}

/** A curve of power against any x (rho, or the sample size n), for {@link curveSvg}. */
export interface CurveSpec {
  /** Points of the main curve: x, power, and the SE of the power (a 95 % bar or band). */
  points: ReadonlyArray<{ x: number; power: number; se?: number }>;
  /** A second, dashed curve (e.g. the asymptotic power). */
  reference?: { label: string; points: ReadonlyArray<{ x: number; power: number }> };
  /** Horizontal target line. */
  targetPower: number;
  /** A vertical line with a label (the answer). */
  marker?: { x: number; label: string };
  /** Shade the +-1.96 SE band of the main curve (besides the bars). */
  band?: boolean;
  title?: string;
  /** Legend label of the main curve. */
  label?: string;
  /** x-axis title. */
  xLabel: string;
}

/** SVG of power against x: grid, target line, optional reference curve and band, 95 % bars, and a marked answer. */
export function curveSvg(spec: CurveSpec): string {
  const points = [...spec.points].sort((a, b) => a.x - b.x);
  if (points.length === 0) throw rangeError('points', points, 'at least one point');
  const target = spec.targetPower;
  const width = 640;
  const height = 420;
  const m = { left: 64, right: 24, top: 44, bottom: 52 };
  const refPoints = spec.reference ? [...spec.reference.points].sort((a, b) => a.x - b.x) : [];
  const xs = [...points, ...refPoints].map((p) => p.x).concat(spec.marker?.x ?? []);
  const xTicks = niceTicks(Math.min(...xs), Math.max(...xs));
  const x0 = Math.min(xTicks[0]!, ...xs);
  const x1 = Math.max(xTicks.at(-1)!, ...xs);
  const sx = (v: number): number => m.left + axisFraction(v, x0, x1) * (width - m.left - m.right);
  const sy = (p: number): number => height - m.bottom - p * (height - m.top - m.bottom);
  const out = svgOpen(width, height);
  if (spec.title) out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(spec.title)}</text>`);
  // grid and axes
  for (const t of xTicks) {
    out.push(`<line x1="${f(sx(t))}" y1="${m.top}" x2="${f(sx(t))}" y2="${height - m.bottom}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${f(sx(t))}" y="${height - m.bottom + 16}" text-anchor="middle">${tickLabel(t, xTicks)}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const p = i / 5;
    out.push(`<line x1="${m.left}" y1="${f(sy(p))}" x2="${width - m.right}" y2="${f(sy(p))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 8}" y="${f(sy(p) + 4)}" text-anchor="end">${p.toFixed(1)}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${(m.left + width - m.right) / 2}" y="${height - 12}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text x="16" y="${(m.top + height - m.bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(m.top + height - m.bottom) / 2})">power</text>`);
  // target power line
  out.push(`<line x1="${m.left}" y1="${f(sy(target))}" x2="${width - m.right}" y2="${f(sy(target))}" stroke="#555555" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${width - m.right - 4}" y="${f(sy(target) - 5)}" text-anchor="end" fill="#555555">${esc(`${Math.round(target * 100)} % power`)}</text>`);
  // reference curve
  if (spec.reference && refPoints.length > 0) {
    out.push(`<polyline fill="none" stroke="${COLOURS[1]}" stroke-width="1.5" stroke-dasharray="4 3" points="${refPoints.map((p) => `${f(sx(p.x))},${f(sy(p.power))}`).join(' ')}"/>`);
  }
  // main curve with its 95 % Monte Carlo band and bars
  const ends = (p: { power: number; se?: number }): [number, number] => [Math.max(0, p.power - 1.96 * (p.se ?? 0)), Math.min(1, p.power + 1.96 * (p.se ?? 0))];
  if (spec.band && points.length > 1) {
    const upper = points.map((p) => `${f(sx(p.x))},${f(sy(ends(p)[1]))}`);
    const lower = [...points].reverse().map((p) => `${f(sx(p.x))},${f(sy(ends(p)[0]))}`);
    out.push(`<polygon fill="${COLOURS[0]}" fill-opacity="0.15" stroke="none" points="${[...upper, ...lower].join(' ')}"/>`);
  }
  for (const p of points) {
    if (p.se !== undefined && p.se > 0) {
      const [lo, hi] = ends(p);
      out.push(`<line x1="${f(sx(p.x))}" y1="${f(sy(lo))}" x2="${f(sx(p.x))}" y2="${f(sy(hi))}" stroke="${COLOURS[0]}" stroke-opacity="0.6"/>`);
    }
  }
  out.push(`<polyline fill="none" stroke="${COLOURS[0]}" stroke-width="2" points="${points.map((p) => `${f(sx(p.x))},${f(sy(p.power))}`).join(' ')}"/>`);
  for (const p of points) out.push(`<circle cx="${f(sx(p.x))}" cy="${f(sy(p.power))}" r="2.5" fill="${COLOURS[0]}"/>`);
  // the answer
  if (spec.marker !== undefined) {
    const xm = sx(spec.marker.x);
    out.push(`<line x1="${f(xm)}" y1="${m.top}" x2="${f(xm)}" y2="${height - m.bottom}" stroke="#2ca02c" stroke-width="1.5"/>`);
    out.push(`<circle cx="${f(xm)}" cy="${f(sy(target))}" r="4" fill="none" stroke="#2ca02c" stroke-width="2"/>`);
    const right = xm < (m.left + width - m.right) / 2;
    out.push(`<text x="${f(xm + (right ? 6 : -6))}" y="${m.top + 16}" text-anchor="${right ? 'start' : 'end'}" fill="#2ca02c">${esc(spec.marker.label)}</text>`);
  }
  // legend
  const legend: Array<[string, string, boolean]> = [[spec.label ?? 'simulated power', COLOURS[0]!, false]];
  if (spec.reference) legend.push([spec.reference.label, COLOURS[1]!, true]);
  // legend in the empty corner: bottom-left under a falling curve, top-left under a rising one
  const falling = points[0]!.power > points.at(-1)!.power;
  legend.forEach(([label, colour, dashed], i) => {
    const y = falling ? height - m.bottom - 10 - (legend.length - 1 - i) * 16 : m.top + 14 + i * 16 + (spec.marker !== undefined ? 18 : 0);
    const xl = m.left + 10;
    out.push(`<line x1="${xl}" y1="${y - 4}" x2="${xl + 22}" y2="${y - 4}" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="4 3"' : ''}/>`);
    out.push(`<text x="${xl + 28}" y="${y}">${esc(label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** SVG of a power curve: power vs rho, the target-power line, and the minimum detectable rho. */
export function powerCurveSvg(data: PowerCurveData): string {
  checkPowerCurveData(data);
  const asCurve = (points: readonly PowerCurvePoint[]): Array<{ x: number; power: number; se?: number }> => points.map((p) => ({ x: p.rho, power: p.power, se: p.se }));
  return curveSvg({
    points: asCurve(data.points),
    reference: data.reference ? { label: data.reference.label, points: asCurve(data.reference.points) } : undefined,
    targetPower: data.targetPower ?? 0.8,
    marker: data.minDetectableRho === undefined ? undefined : { x: data.minDetectableRho, label: `min detectable rho = ${data.minDetectableRho.toFixed(4)}` },
    title: data.title,
    label: data.label,
    xLabel: 'true Spearman rho',
  });
}

/** SVG forest plot: one panel per group, one row per label, one coloured interval per method. */
export function ciForestSvg(rows: readonly ForestRow[], options: { title?: string; xLabel?: string } = {}): string {
  checkForestRows(rows, options);
  if (rows.length === 0) throw rangeError('rows', rows, 'at least one interval');
  const groups = [...new Set(rows.map((r) => r.group))];
  const methods = [...new Set(rows.map((r) => r.method))];
  const colour = (method: string): string => COLOURS[methods.indexOf(method) % COLOURS.length]!;
  // the axis spans every plotted value: ends, references and centres (a centre outside its interval too)
  const values = rows.flatMap((r) => [
    r.lower,
    r.upper,
    ...(r.reference !== undefined ? [r.reference] : []),
    ...(r.center !== undefined && Number.isFinite(r.center) ? [r.center] : []),
  ]);
  const ticks = niceTicks(Math.min(...values), Math.max(...values), 8, true);
  const x0 = ticks[0]!;
  const x1 = ticks.at(-1)!;
  const labelsOf = (g: string): string[] => [...new Set(rows.filter((r) => r.group === g).map((r) => r.label))];
  const rowHeight = 6 + 5 * methods.length;
  const cols = groups.length > 1 ? 2 : 1;
  const labelWidth = 8 + 6.5 * Math.max(...rows.map((r) => r.label.length));
  const plotWidth = 300;
  const panelWidth = labelWidth + plotWidth + 24;
  const panelHeights = groups.map((g) => 40 + labelsOf(g).length * rowHeight + 28);
  const bandHeights: number[] = [];
  for (let i = 0; i < groups.length; i += cols) bandHeights.push(Math.max(...panelHeights.slice(i, i + cols)));
  const top = options.title ? 34 : 8;
  const legendHeight = 20 + 16 * Math.ceil(methods.length / 3);
  const width = Math.ceil(cols * panelWidth + 16);
  const height = Math.ceil(top + bandHeights.reduce((a, b) => a + b, 0) + legendHeight);
  const out = svgOpen(width, height);
  if (options.title) out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(options.title)}</text>`);
  groups.forEach((g, gi) => {
    const ox = 8 + (gi % cols) * panelWidth;
    const oy = top + bandHeights.slice(0, Math.floor(gi / cols)).reduce((a, b) => a + b, 0);
    const labels = labelsOf(g);
    const px = ox + labelWidth;
    const py = oy + 28;
    const ph = labels.length * rowHeight;
    const sx = (v: number): number => px + axisFraction(v, x0, x1) * plotWidth;
    out.push(`<text x="${f(ox)}" y="${f(oy + 16)}" font-weight="bold">${esc(g)}</text>`);
    for (const t of ticks) {
      out.push(`<line x1="${f(sx(t))}" y1="${f(py)}" x2="${f(sx(t))}" y2="${f(py + ph)}" stroke="#e5e5e5"/>`);
      out.push(`<text x="${f(sx(t))}" y="${f(py + ph + 14)}" text-anchor="middle" font-size="10">${tickLabel(t, ticks)}</text>`);
    }
    if (x0 < 0 && x1 > 0) out.push(`<line x1="${f(sx(0))}" y1="${f(py)}" x2="${f(sx(0))}" y2="${f(py + ph)}" stroke="#999999"/>`);
    const ref = rows.find((r) => r.group === g && r.reference !== undefined)?.reference;
    if (ref !== undefined) out.push(`<line x1="${f(sx(ref))}" y1="${f(py)}" x2="${f(sx(ref))}" y2="${f(py + ph)}" stroke="#555555" stroke-dasharray="5 3"/>`);
    out.push(`<rect x="${f(px)}" y="${f(py)}" width="${plotWidth}" height="${f(ph)}" fill="none" stroke="#333333"/>`);
    labels.forEach((label, li) => {
      const ry = py + li * rowHeight;
      if (li % 2 === 1) out.push(`<rect x="${f(ox)}" y="${f(ry)}" width="${f(labelWidth + plotWidth)}" height="${f(rowHeight)}" fill="#000000" fill-opacity="0.035"/>`);
      out.push(`<text x="${f(px - 6)}" y="${f(ry + rowHeight / 2 + 4)}" text-anchor="end" font-size="11">${esc(label)}</text>`);
      for (const r of rows.filter((q) => q.group === g && q.label === label)) {
        const y = ry + 5 + methods.indexOf(r.method) * 5;
        const c = colour(r.method);
        out.push(`<line x1="${f(sx(r.lower))}" y1="${f(y)}" x2="${f(sx(r.upper))}" y2="${f(y)}" stroke="${c}" stroke-width="2"/>`);
        if (r.center !== undefined && Number.isFinite(r.center)) out.push(`<circle cx="${f(sx(r.center))}" cy="${f(y)}" r="2" fill="${c}"/>`);
      }
    });
  });
  const ly = height - legendHeight + 14;
  methods.forEach((method, i) => {
    const lx = 16 + (i % 3) * Math.max(200, width / 3);
    const y = ly + Math.floor(i / 3) * 16;
    out.push(`<line x1="${f(lx)}" y1="${f(y - 4)}" x2="${f(lx + 22)}" y2="${f(y - 4)}" stroke="${colour(method)}" stroke-width="3"/>`);
    out.push(`<text x="${f(lx + 28)}" y="${f(y)}">${esc(method)}</text>`);
  });
  if (options.xLabel) out.push(`<text x="${width - 10}" y="${f(ly + 16 * Math.ceil(methods.length / 3) - 2)}" text-anchor="end" fill="#555555" font-size="11">${esc(options.xLabel)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Forest rows of a study result: every bootstrap CI and the asymptotic CIs of the same scenarios. */
export function forestRowsFromResult(result: Pick<StudyResult, 'units' | 'scenarios'>): ForestRow[] {
  const infos = new Map(result.scenarios.map((s) => [s.id, s]));
  const rowLabel = (id: string): { group: string; label: string; reference: number } => {
    const s = infos.get(id)!;
    return { group: `Case ${s.case} (${s.caseLabel}), N=${s.n}`, label: shortLabel(s), reference: s.observedRho };
  };
  const out: ForestRow[] = [];
  const withCi = new Set<string>();
  for (const u of result.units) {
    if (u.kind !== 'ci') continue;
    withCi.add(u.scenarioId);
    out.push({ ...rowLabel(u.scenarioId), method: `bootstrap ${u.generator}`, lower: u.ciLower, upper: u.ciUpper, center: u.meanRhoHat });
  }
  for (const u of result.units) {
    if (u.kind !== 'asymptotic' || (withCi.size > 0 && !withCi.has(u.scenarioId))) continue;
    const base = rowLabel(u.scenarioId);
    for (const ci of u.ci) out.push({ ...base, method: `asymptotic ${ci.mode} (Fisher z)`, lower: ci.ciLower, upper: ci.ciUpper, center: base.reference });
  }
  // panel rows in grid order (scenario order of the result), methods bootstrap first
  const order = new Map(result.scenarios.map((s, i) => [rowLabel(s.id).label + '\u0000' + rowLabel(s.id).group, i]));
  return out.map((r, i) => ({ r, i })).sort((a, b) => order.get(a.r.label + '\u0000' + a.r.group)! - order.get(b.r.label + '\u0000' + b.r.group)! || a.i - b.i).map(({ r }) => r);
}

/** Options of {@link powerCurvePlot}. */
export type PowerCurvePlotOptions = Partial<Config> & {
  /** rho values; default 21 points from 0 to 0.5 in the search direction. */
  rhos?: readonly number[];
  /** Search direction (default: the scenario's needed direction). */
  direction?: Direction;
};

/**
 * Simulates a power curve of a scenario (one power estimate per rho) and its minimum detectable
 * rho with the same options, and draws them.
 */
export async function powerCurvePlot(
  scenario: Scenario,
  options: PowerCurvePlotOptions & { signal?: AbortSignal },
): Promise<{
  /** The plot as an SVG document. */
  svg: string;
  /** Simulated power per rho, with standard errors. */
  points: PowerCurvePoint[];
  /** Signed minimum detectable rho at the target power. */
  minDetectableRho: number;
  /** Search direction used. */
  direction: Direction;
}> {
  const { rhos: given, direction: dir, ...rest } = options;
  const mdr = await minDetectableRho(scenario, { ...rest, ...(dir ? { direction: dir } : {}) });
  const direction = mdr.direction;
  const sign = direction === 'negative' ? -1 : 1;
  const rhos = given ?? Array.from({ length: 21 }, (_, i) => (sign * i) / 40);
  const curve = await powerCurve(scenario, rhos, rest);
  const points = curve.rows.map((r) => ({ rho: r.rho, power: r.power, se: r.se }));
  const svg = powerCurveSvg({
    points,
    minDetectableRho: mdr.minDetectableRho,
    targetPower: mdr.targetPower,
    title: scenario.description,
    label: `${curve.generator}, ${curve.nSims} sims per point`,
  });
  return { svg, points, minDetectableRho: mdr.minDetectableRho, direction };
}
