// Study data (validated at load), scenario construction and the x templates (docs/methods.md, "Data model").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

import { SpearsimError } from '../lib/errors';
import { makeScenario, studyScenarios, structureIdentity, xTemplate } from '../lib/scenario';
import { STUDY, frequencyCounts, studyCase } from '../lib/study/data';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SpearsimError);
    return (e as SpearsimError).code;
  }
  return undefined;
}

describe('study data', () => {
  test('the shipped copy equals the shared study data', () => {
    const here = JSON.parse(readFileSync(join(__dirname, '..', 'lib', 'karwowski.json'), 'utf8')) as unknown;
    const shared = JSON.parse(readFileSync('/work/shared/data/karwowski.json', 'utf8')) as unknown;
    expect(here).toEqual(shared);
  });

  test('cases, grid and every count list (length k, sum n)', () => {
    expect(STUDY.cases.map((c) => [c.id, c.n, c.observedRho])).toEqual([
      [1, 80, -0.13],
      [2, 82, 0.06],
      [3, 73, -0.13],
      [4, 81, 0.06],
    ]);
    expect(STUDY.xRange).toEqual([1.43, 3.55]);
    expect(STUDY.calibration.seed).toBe(99);
    expect(STUDY.calibration.multipointProbes).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    let lists = 0;
    for (const c of STUDY.cases) {
      for (const k of STUDY.kValues) {
        for (const shape of STUDY.shapes) {
          const counts = frequencyCounts(c.n, k, shape);
          expect(counts.length).toBe(k);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(c.n);
          lists++;
        }
      }
    }
    expect(lists).toBe(84);
    // the lopsided list of docs/methods.md, "Data model" is reproduced as given
    expect(frequencyCounts(81, 9, 'heavy_tail')).toEqual([13, 8, 7, 7, 7, 7, 7, 7, 18]);
  });

  test('unknown case, k or shape name the option', () => {
    expect(() => studyCase(5)).toThrow(/case must be one of 1, 2, 3, 4/);
    expect(() => frequencyCounts(80, 11, 'even')).toThrow(/k must be one of/);
  });
});

describe('scenarios', () => {
  test('a case with k and shape', () => {
    const s = makeScenario({ case: 3, k: 4, shape: 'even' });
    expect(s).toMatchObject({ caseId: 3, n: 73, k: 4, shape: 'even', allDistinct: false, yMedian: 14.3, yIqr: 13.9, observedRho: -0.13 });
    expect(s.counts).toEqual(frequencyCounts(73, 4, 'even'));
    expect(s.description).toBe('Case 3 (B-Al, outliers excluded), N=73, k=4, even');
  });

  test('custom counts: positive integers summing to the case n, else ERR_INVALID_COUNTS', () => {
    const s = makeScenario({ case: 1, counts: [20, 20, 20, 20] });
    expect(s).toMatchObject({ k: 4, shape: 'custom', counts: [20, 20, 20, 20] });
    expect(() => makeScenario({ case: 1, counts: [20, 20, 20] })).toThrow('counts sum to 60, but case 1 has n=80');
    expect(codeOf(() => makeScenario({ case: 1, counts: [20, 20, 20] }))).toBe('ERR_INVALID_COUNTS');
    expect(codeOf(() => makeScenario({ case: 1, counts: [40, 40.5, -0.5] }))).toBe('ERR_INVALID_COUNTS');
    expect(codeOf(() => makeScenario({ case: 1, counts: [80] }))).toBe('ERR_INVALID_COUNTS');
    expect(codeOf(() => makeScenario({ case: 1, counts: [0, 80] }))).toBe('ERR_INVALID_COUNTS');
  });

  test('all-distinct baseline and own study', () => {
    const d = makeScenario({ case: 2, allDistinct: true });
    expect(d).toMatchObject({ n: 82, k: 82, shape: 'all_distinct', allDistinct: true });
    expect(d.counts.every((c) => c === 1)).toBe(true);
    const own = makeScenario({ n: 50, counts: [10, 15, 25], yMedian: 3, yIqr: 2, label: 'My study' });
    expect(own).toMatchObject({ caseId: null, n: 50, k: 3, shape: 'custom', observedRho: null, description: 'My study, N=50, freq [10, 15, 25]' });
    expect(makeScenario({ n: 30, allDistinct: true, yMedian: 1, yIqr: 0, observedRho: 0.2 })).toMatchObject({ k: 30, observedRho: 0.2 });
    expect(codeOf(() => makeScenario({ n: 50, counts: [10, 15], yMedian: 3, yIqr: 2 }))).toBe('ERR_INVALID_COUNTS');
    expect(codeOf(() => makeScenario({ n: 50, yMedian: 3, yIqr: 2 }))).toBe('ERR_INVALID_TYPE');
    expect(codeOf(() => makeScenario({ n: 50, allDistinct: true, yMedian: 0, yIqr: 2 }))).toBe('ERR_OUT_OF_RANGE');
    expect(codeOf(() => makeScenario({ case: 1, k: 4, shape: 'even', counts: [40, 40] } as never))).toBe('ERR_INVALID_TYPE');
    expect(codeOf(() => makeScenario({ case: 1 } as never))).toBe('ERR_INVALID_TYPE');
  });

  test('the study grid: 88 scenarios in grid order (docs/methods.md, "Data model"); filters only shrink the list', () => {
    const all = studyScenarios();
    expect(all).toHaveLength(88);
    expect(all[0]!.description).toBe('Case 1 (B-Al, no outliers excluded), N=80, k=4, even');
    expect(all[21]!.allDistinct).toBe(true);
    expect(all[22]!.caseId).toBe(2);
    const some = studyScenarios({ cases: [3], kValues: [4], shapes: ['even'] });
    expect(some.map((s) => s.description)).toEqual([all[44]!.description, all[65]!.description]);
    expect(structureIdentity(some[0]!)).toEqual(structureIdentity(all[44]!));
  });

  test('x templates: equally spaced grid over [1.43, 3.55], repeated by counts', () => {
    const t = xTemplate(makeScenario({ case: 1, counts: [1, 2, 77] }));
    expect(t.length).toBe(80);
    expect([t[0], t[1], t[2], t[3], t[79]]).toEqual([1.43, 1.43 + 2.12 / 2, 1.43 + 2.12 / 2, 3.55, 3.55]);
    const d = xTemplate(makeScenario({ case: 3, allDistinct: true }));
    expect(new Set(d).size).toBe(73);
    expect(d[0]).toBe(1.43);
    expect(d[72]).toBeCloseTo(3.55, 14);
  });
});
