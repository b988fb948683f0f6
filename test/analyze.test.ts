// The CSV reader (lib/csv.ts) and `spearsim analyze`, in process: main(argv) with
// stdout/stderr captured.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../lib/cli/index';
import { captureOutput } from './helpers/capture';
import { pairedColumns, parseCsv } from '../lib/csv';
import { SpearsimError, bootstrapCI, spearman, spearmanTest } from '../lib/index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spearsim-analyze-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { value: code, stdout, stderr } = await captureOutput(() => main(argv));
  return { code, stdout, stderr };
}

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(SpearsimError);
    return (e as SpearsimError).code;
  }
};

describe('parseCsv', () => {
  it('reads a header, quoted fields (delimiters, doubled quotes, line breaks), CRLF, BOM, blank lines', () => {
    const t = parseCsv('\uFEFFname,"x, mg",y\r\n"a ""b""",1.5,2\r\n\r\n"multi\nline", 2 ,"3"\n');
    expect(t.header).toEqual(['name', 'x, mg', 'y']);
    expect(t.rows).toEqual([['a "b"', '1.5', '2'], ['multi\nline', '2', '3']]);
    expect(t.lines).toEqual([2, 4]);
    expect(t.delimiter).toBe(',');
  });
  it('detects tabs from the header line, or takes the delimiter given', () => {
    expect(parseCsv('a\tb\n1,5\t2\n').rows).toEqual([['1,5', '2']]);
    expect(parseCsv('a\tb,c\n1\t2,3\n', { delimiter: ',' }).header).toEqual(['a\tb', 'c']);
    expect(parseCsv('a,b\n1,2').rows).toEqual([['1', '2']]); // no final newline
    expect(parseCsv('a,b\n"",2\n').rows).toEqual([['', '2']]);
  });
  it('reports malformed input with its line', () => {
    const message = (text: string): string => {
      try {
        parseCsv(text, { source: 'f.csv' });
        return 'ok';
      } catch (e) {
        expect((e as SpearsimError).code).toBe('ERR_INVALID_TYPE');
        return (e as Error).message;
      }
    };
    expect(message('a,b\n1,2\n3\n')).toBe('f.csv, line 3: 1 fields, but the header has 2 (delimiter comma)');
    expect(message('a,b\n1,"2\n')).toMatch(/line 2: a quoted field is not closed/);
    expect(message('a,b\n1,2"x"\n')).toMatch(/line 2: a quote inside an unquoted field/);
    expect(message('a,b\n1,"2"x\n')).toMatch(/line 2: text after a closing quote/);
    expect(message('\n\n')).toMatch(/no header row/);
    expect(codeOf(() => parseCsv(5 as unknown as string))).toBe('ERR_INVALID_TYPE');
    expect(codeOf(() => parseCsv('a;b\n', { delimiter: ';' as ',' }))).toBe('ERR_OUT_OF_RANGE');
  });
});

describe('pairedColumns', () => {
  const t = parseCsv('id,dose,resp\n1,1,2.5\n2,NA,3\n3,2,\n4,2,1e1\n5,3,.\n6,3,-4\n');
  it('selects columns by name or 1-based number and skips rows with a missing value', () => {
    const p = pairedColumns(t, 'dose', '3');
    expect(p).toEqual({ x: [1, 2, 3], y: [2.5, 10, -4], xName: 'dose', yName: 'resp', skippedLines: [3, 4, 6] });
  });
  it('rejects unknown columns (with a hint) and non-numeric cells (with line and column)', () => {
    expect(codeOf(() => pairedColumns(t, 'dsoe', 'resp'))).toBe('ERR_OUT_OF_RANGE');
    try {
      pairedColumns(t, 'dsoe', 'resp');
    } catch (e) {
      expect((e as Error).message).toMatch(/did you mean "dose"/);
    }
    expect(codeOf(() => pairedColumns(t, '9', 'resp'))).toBe('ERR_OUT_OF_RANGE');
    const bad = parseCsv('x,y\n1,2\n2,abc\n3,0x10\n');
    expect(() => pairedColumns(bad, 'x', 'y', 'bad.csv')).toThrow('bad.csv, line 3: column "y" holds "abc", not a number or a missing value');
    expect(codeOf(() => pairedColumns(parseCsv('x,y\n1,0x10\n'), 'x', 'y'))).toBe('ERR_INVALID_TYPE');
  });
});

describe('spearsim analyze', () => {
  const dataset = {
    x: [1.43, 1.43, 2.14, 2.84, 3.55, 2.14, 2.84, 3.55, 1.43, 2.84, 2.14, 3.55, 1.43, 2.84, 2.14],
    y: [15.2, 11.4, 12.5, 19.1, 11, 14, 17.7, 21.5, 9.8, 16.6, 13.3, 18.2, 12.1, 15.5, 10.9],
  };
  const rows = dataset.x.map((x, i) => `${i + 1},${x},${dataset.y[i]}`);
  const csv = write('data.csv', `id,"dose (mg)",al\n${rows.join('\n')}\n3,NA,1\n`);
  const tsv = write('data.tsv', `id\tdose (mg)\tal\n${rows.map((r) => r.replaceAll(',', '\t')).join('\n')}\n`);
  const base = ['--n-boot', '2000', '--seed', '7', '--verbose', '0'];

  it('prints rho, three p-values and three CIs, equal to the API results', async () => {
    const r = await cli(['analyze', csv, '--x', 'dose (mg)', '--y', 'al', ...base, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      n: number; rho: number; skippedLines: number[]; distinctX: number;
      tests: Array<{ method: string; pValue: number; alternative: string; permutation?: { kind: string } }>;
      intervals: Array<{ requestedMethod: string; method: string; ciLower: number; ciUpper: number }>;
    };
    expect(out.n).toBe(15);
    expect(out.skippedLines).toEqual([17]);
    expect(out.distinctX).toBe(4);
    expect(out.rho).toBe(spearman(dataset.x, dataset.y));
    expect(out.tests.map((t) => t.method)).toEqual(['permutation', 't', 'asymptotic']);
    expect(out.tests[0]!.permutation!.kind).toBe('precomputed-null');
    for (const t of out.tests) {
      const api = await spearmanTest(dataset.x, dataset.y, { method: t.method as 't', seed: 7, verbose: 0 });
      expect(t.pValue).toBe(api.pValue);
    }
    expect(out.intervals.map((c) => c.requestedMethod)).toEqual(['percentile', 'basic', 'bca']);
    for (const c of out.intervals) {
      const api = await bootstrapCI(dataset.x, dataset.y, { method: c.requestedMethod as 'bca', nBoot: 2000, seed: 7, verbose: 0 });
      expect([c.ciLower, c.ciUpper]).toEqual([api.ciLower, api.ciUpper]);
    }
  });

  it('prints tables without --json; tab-separated input and column numbers give the same numbers', async () => {
    const text = await cli(['analyze', csv, '--x', 'dose (mg)', '--y', 'al', ...base]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/x = "dose \(mg\)" \(4 distinct values\), y = "al" \(15 distinct\), n = 15 \(1 row skipped for missing values: line 17\)/);
    expect(text.stdout).toMatch(/^rho = /m);
    expect(text.stdout).toMatch(/^permutation\s+two-sided\s+\S+\s+\S+\s+\d\.\d{4}\s+precomputed null/m);
    expect(text.stdout).toMatch(/^t\s+two-sided\s+\S+\s+\S+\s+0\s+df /m);
    expect(text.stdout).toMatch(/^bca\s+95%\s+\S+\s+\S+\s+\d\.\d{4}\s+\d\.\d{4}\s+z0 /m);
    const tab = await cli(['analyze', tsv, '--x', '2', '--y', '3', ...base]);
    const strip = (s: string): string => s.split('\n').slice(1).join('\n');
    expect(strip(tab.stdout)).toBe(strip(text.stdout));
  });

  it('one-sided alternatives and an explicit delimiter', async () => {
    const r = await cli(['analyze', csv, '--x', 'dose (mg)', '--y', 'al', '--alternative', 'greater', '--delimiter', 'comma', ...base, '--json']);
    const out = JSON.parse(r.stdout) as { tests: Array<{ alternative: string; permutation?: { kind: string } }> };
    expect(out.tests.every((t) => t.alternative === 'greater')).toBe(true);
    expect(out.tests[0]!.permutation!.kind).toBe('monte-carlo');
  });

  it('fails with coded errors: missing flags, file, column, bad alternative or delimiter', async () => {
    const expectError = async (argv: string[], code: string, exit: number, message: RegExp): Promise<void> => {
      const r = await cli([...argv, '--json']);
      expect(r.code, argv.join(' ')).toBe(exit);
      const out = JSON.parse(r.stdout) as { error: { code: string; message: string } };
      expect(out.error.code).toBe(code);
      expect(out.error.message).toMatch(message);
    };
    await expectError(['analyze', '--x', 'a', '--y', 'b'], 'ERR_INVALID_TYPE', 2, /exactly one CSV file/);
    await expectError(['analyze', csv, '--x', 'al'], 'ERR_INVALID_TYPE', 2, /needs --x and --y/);
    await expectError(['analyze', path.join(dir, 'nope.csv'), '--x', 'a', '--y', 'b'], 'ERR_IO', 1, /cannot read/);
    await expectError(['analyze', csv, '--x', 'dose', '--y', 'al'], 'ERR_OUT_OF_RANGE', 2, /did you mean "dose \(mg\)"/);
    await expectError(['analyze', csv, '--x', 'id', '--y', 'al', '--alternative', 'both'], 'ERR_OUT_OF_RANGE', 2, /alternative must be one of/);
    await expectError(['analyze', csv, '--x', 'id', '--y', 'al', '--delimiter', ';'], 'ERR_OUT_OF_RANGE', 2, /comma or tab/);
    const constant = write('const.csv', 'a,b\n1,2\n1,3\n1,4\n');
    await expectError(['analyze', constant, '--x', 'a', '--y', 'b'], 'ERR_OUT_OF_RANGE', 2, /x is constant/);
  });
});

describe('analyze: p-values below the display precision', () => {
  it("Loblolly (R's data): never 0.0000; the permutation floor as < 2e-05, closed forms in scientific notation", async () => {
    const file = path.join(__dirname, 'fixtures', 'data', 'loblolly.csv');
    const r = await cli(['analyze', file, '--x', 'age', '--y', 'height', '--n-boot', '500', '--verbose', '0', '--confidence-level', '0.9']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/0\.0000/);
    expect(r.stdout).toMatch(/^permutation\s+two-sided\s+\S+\s+< 2e-05\s+2\.0e-05\s/m);
    expect(r.stdout).toMatch(/^t\s+two-sided\s+\S+\s+1\.13e-65\s/m);
    expect(r.stdout).toMatch(/^percentile\s+90%/m);
    const both = await cli(['analyze', file, '--x', 'age', '--y', 'height', '--alpha', '0.05', '--confidence-level', '0.9']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/ERR_CONFLICTING_OPTIONS/);
  });
  it('formatPValue: 4 decimals from 1e-4, the floor, scientific below', async () => {
    const { formatPValue } = await import('../lib/cli/command');
    expect(formatPValue(0.0123)).toBe('0.0123');
    expect(formatPValue(1 / 50001, 1 / 50001)).toBe('< 2e-05');
    expect(formatPValue(3.2e-7)).toBe('3.20e-07');
    expect(formatPValue(1.128989830648566e-65)).toBe('1.13e-65');
    expect(formatPValue(NaN)).toBe('NaN');
  });
});
