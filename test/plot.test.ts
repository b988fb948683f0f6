// SVG pictures: well-formed, self-contained, the marks the issue asks for, data from a study result.
import { describe, expect, it } from 'vitest';
import { ciForestSvg, forestRowsFromResult, niceTicks, powerCurvePlot, powerCurveSvg } from '../lib/plot';
import { makeScenario } from '../lib/scenario';
import type { StudyResult } from '../lib/study/results';

/** Tags balance and every attribute value is quoted: enough to know a renderer will parse it. */
function expectWellFormed(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]!);
  }
  expect(stack).toEqual([]);
  expect(svg.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]|&(?!amp;|lt;|gt;|quot;)/);
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
}

describe('plots', () => {
  it('power curve: curve, 80 % line and the minimum detectable rho', () => {
    const points = [0, 0.1, 0.2, 0.3, 0.4].map((rho) => ({ rho, power: Math.min(1, 0.05 + 2.5 * rho * rho * 4), se: 0.01 }));
    const svg = powerCurveSvg({ points, minDetectableRho: 0.3012, title: 'Case 2 <H-Al> & more', reference: { label: 'asymptotic', points } });
    expectWellFormed(svg);
    expect(svg).toContain('min detectable rho = 0.3012');
    expect(svg).toContain('80 % power');
    expect(svg).toContain('Case 2 &lt;H-Al&gt; &amp; more');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(() => powerCurveSvg({ points: [] })).toThrow(/at least one point/);
  });

  it('forest plot: a panel per group, one colour per method, from a study result', () => {
    const result: Pick<StudyResult, 'units' | 'scenarios'> = {
      scenarios: [
        { id: 'c1-k4-even', case: 1, caseLabel: 'B-Al, no outliers excluded', n: 80, k: 4, shape: 'even', allDistinct: false, counts: [20, 20, 20, 20], observedRho: -0.13, directions: ['negative'] },
        { id: 'c1-all_distinct', case: 1, caseLabel: 'B-Al, no outliers excluded', n: 80, k: 80, shape: 'all_distinct', allDistinct: true, counts: [], observedRho: -0.13, directions: ['negative'] },
      ],
      units: [
        { id: 'ci/nonparametric/c1-k4-even', kind: 'ci', scenarioId: 'c1-k4-even', seconds: 0, generator: 'nonparametric', rho: -0.13, ciLower: -0.33, ciUpper: 0.1, ciLowerSd: 0.1, ciUpperSd: 0.1, meanRhoHat: -0.12, nReps: 4, nBoot: 40, rhoIn: -0.14, dropped: 0 },
        { id: 'ci/nonparametric/c1-all_distinct', kind: 'ci', scenarioId: 'c1-all_distinct', seconds: 0, generator: 'nonparametric', rho: -0.13, ciLower: -0.35, ciUpper: 0.08, ciLowerSd: 0.1, ciUpperSd: 0.1, meanRhoHat: -0.13, nReps: 4, nBoot: 40, rhoIn: -0.14, dropped: 0 },
        { id: 'asymptotic/c1-all_distinct', kind: 'asymptotic', scenarioId: 'c1-all_distinct', seconds: 0, power: [], ci: [{ mode: 'none', ciLower: -0.3458, ciUpper: 0.0989 }] },
        { id: 'asymptotic/c1-k4-even', kind: 'asymptotic', scenarioId: 'c1-k4-even', seconds: 0, power: [], ci: [{ mode: 'none', ciLower: -0.3458, ciUpper: 0.0989 }] },
      ],
    };
    const rows = forestRowsFromResult(result);
    expect(rows.map((r) => `${r.label}|${r.method}`)).toEqual([
      'k=4 even|bootstrap nonparametric', 'k=4 even|asymptotic none (Fisher z)', 'all distinct|bootstrap nonparametric', 'all distinct|asymptotic none (Fisher z)',
    ]);
    expect(rows[0]).toMatchObject({ group: 'Case 1 (B-Al, no outliers excluded), N=80', reference: -0.13, center: -0.12 });
    const svg = ciForestSvg(rows, { title: 'CIs' });
    expectWellFormed(svg);
    expect(svg).toContain('Case 1 (B-Al, no outliers excluded), N=80');
    expect(svg).toContain('stroke-dasharray="5 3"'); // observed rho
    expect(svg.match(/stroke-width="2"/g)).toHaveLength(4);
  });

  it('axes spanning more than the largest double stay finite (found by the stress-tier fuzz)', () => {
    const svg = ciForestSvg([{ group: 'g', label: 'l', method: 'm', lower: -2.0000000000000004e298, upper: 1.4000000002000002e308, center: 0 }]);
    const attributes = [...svg.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
    expect(attributes.filter((a) => /NaN|Infinity/.test(a))).toEqual([]);
    // a centre far outside a subnormal-width interval is on the axis too
    const tiny = ciForestSvg([{ group: '', label: '', method: '', lower: 0, upper: -1e-323, center: 5.921189464667502e-20 }]);
    expect([...tiny.matchAll(/="([^"]*)"/g)].filter((m) => /NaN|Infinity/.test(m[1]!))).toEqual([]);
    // a power outside [0, 1] is a bad value, not a point far off the plot
    expect(() => powerCurveSvg({ points: [{ rho: 0, power: -5.548435601426901e303 }] })).toThrow(/power must be a number in \[0, 1\]/);
    const curve = powerCurveSvg({ points: [{ rho: -1e308, power: 0.1 }, { rho: 1.5e308, power: 0.9 }] });
    expect([...curve.matchAll(/="([^"]*)"/g)].filter((m) => /NaN|Infinity/.test(m[1]!))).toEqual([]);
  });

  it('nice ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.41, 0.29, 8, true)).toEqual([-0.5, -0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
    expect(niceTicks(-0.5, 0, 6)).toEqual([-0.5, -0.4, -0.3, -0.2, -0.1, 0]);
    // a span a few ulps wide far above 2^53: the ends, not thousands of repeated ticks
    expect(niceTicks(1e16, 1e16 + 4, 6)).toEqual([1e16, 1e16 + 4]);
    expect(niceTicks(2 ** 53, 2 ** 53 + 4, 100, true)).toEqual([2 ** 53, 2 ** 53 + 4]);
  });

  it('powerCurvePlot simulates the curve and the minimum detectable rho with the same options', async () => {
    const plot = await powerCurvePlot(makeScenario({ case: 3, k: 4, shape: 'even' }), { nSims: 60, nCal: 20, nPre: 400, verbose: 0, rhos: [0, -0.2, -0.4] });
    expect(plot.direction).toBe('negative');
    expect(plot.points.map((p) => p.rho)).toEqual([0, -0.2, -0.4]);
    expect(plot.minDetectableRho).toBeLessThan(-0.25);
    expectWellFormed(plot.svg);
  });
});
