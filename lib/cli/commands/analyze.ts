/**
 * `spearsim analyze data.csv --x dose --y response`: Spearman's rho of two columns of a real
 * dataset, its p-values (permutation, t, normal approximation) and bootstrap CIs (percentile,
 * basic, BCa), as tables or one JSON object.
 * @module
 */
import type { Delimiter } from '../../csv';
import { alphaFromConfidenceLevel } from '../../config';
import { SpearsimError, rangeError } from '../../errors';
import type { Alternative, SpearmanTestResult } from '../../realdata';
import { type Command, formatNumber, formatPValue, formatSe, table } from '../command';

/** The smallest p-value a resampling test can report, 1/(B + 1); none for exact and closed forms. */
function pValueFloor(r: SpearmanTestResult): number | undefined {
  return r.permutation && !r.exact ? 1 / (r.permutation.count + 1) : undefined;
}
const DELIMITERS: Readonly<Record<string, Delimiter>> = { comma: ',', ',': ',', tab: '\t', '\\t': '\t', '\t': '\t' };

function testDetail(r: SpearmanTestResult): string {
  if (r.method === 't') return `df ${r.df}`;
  if (r.method === 'asymptotic') return 'z = rho sqrt(n - 1)';
  const p = r.permutation!;
  if (p.kind === 'exact') return `exact, all ${p.count} permutations`;
  if (p.kind === 'precomputed-null') return `precomputed null of x's tie structure, ${p.count} permutations (${p.nullSource})`;
  return `Monte Carlo, ${p.count} permutations`;
}

function distinct(v: number[]): number {
  return new Set(v).size;
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: "Spearman's rho, p-values and bootstrap CIs for two columns of a CSV file (real data)",
  options: ['nBoot', 'alpha', 'seed', 'nPerm', 'nPre', 'threads', 'memoryLimit', 'native', 'cacheDir', 'saveCache', 'verbose'],
  positionals: { max: 1, usage: 'FILE.csv|-' },
  flags: [
    { name: 'x', kind: 'string', description: 'x column: header name or 1-based number (required)' },
    { name: 'y', kind: 'string', description: 'y column: header name or 1-based number (required)' },
    { name: 'alternative', kind: 'string', description: 'two-sided (default), greater or less' },
    { name: 'delimiter', kind: 'string', description: 'comma or tab (default: detected from the header line)' },
    { name: 'confidenceLevel', kind: 'number', description: 'interval level 1 - alpha, e.g. 0.95 (instead of --alpha)' },
  ],
  async run({ args, config, signal, print }) {
    const [file, ...extra] = args.positionals;
    if (file === undefined || extra.length > 0) {
      throw new SpearsimError('ERR_INVALID_TYPE', 'analyze needs exactly one CSV file (or - for stdin), e.g. spearsim analyze data.csv --x dose --y response', { option: 'file' });
    }
    const { x: xColumn, y: yColumn, alternative: alt, delimiter: delim } = args.flags as Record<string, string | undefined>;
    const alpha = args.flags.confidenceLevel === undefined ? config.alpha : alphaFromConfidenceLevel(args.flags.confidenceLevel, args.options.alpha);
    if (xColumn === undefined || yColumn === undefined) {
      throw new SpearsimError('ERR_INVALID_TYPE', 'analyze needs --x and --y (column names or 1-based numbers)', { option: xColumn === undefined ? '--x' : '--y' });
    }
    const delimiter = delim === undefined ? undefined : DELIMITERS[delim.toLowerCase()];
    if (delim !== undefined && delimiter === undefined) throw rangeError('--delimiter', delim, 'comma or tab');
    const alternative = (alt ?? 'two-sided') as Alternative;
    const source = file === '-' ? 'stdin' : file;
    const [{ bootstrapCIs }, { readPairedColumns }, { INTERVAL_METHODS }, { PVALUE_METHOD_REGISTRY }, { spearmanTest }] = await Promise.all([
      import('../../bootstrap'), import('../../csv'), import('../../interval-methods/registry'), import('../../pvalue-methods/registry'), import('../../realdata'),
    ]);
    // every registered test; exact enumeration is already the permutation test's choice where n! allows
    const methods = PVALUE_METHOD_REGISTRY.filter((m) => m.needs !== 'all-permutations').map((m) => m.name);
    const data = await readPairedColumns(file, xColumn, yColumn, { delimiter, memoryLimit: config.memoryLimit, signal });

    const testOptions = {
      alternative, nPerm: config.nPerm, nPre: config.nPre, seed: config.seed, native: config.native, threads: config.threads,
      memoryLimit: config.memoryLimit, cacheDir: config.cacheDir, saveCache: config.saveCache, verbose: config.verbose, signal,
    };
    const tests: SpearmanTestResult[] = [];
    for (const method of methods) tests.push(await spearmanTest(data.x, data.y, { ...testOptions, method }));
    const intervals = await bootstrapCIs(data.x, data.y, INTERVAL_METHODS, {
      nBoot: config.nBoot, alpha, seed: config.seed, threads: config.threads, memoryLimit: config.memoryLimit,
      native: config.native, verbose: 0, signal,
    });
    const rho = tests[0]!.rho;

    const skipped = data.skippedLines.length;
    print(
      `${source}: x = ${JSON.stringify(data.xName)} (${distinct(data.x)} distinct values), y = ${JSON.stringify(data.yName)} ` +
        `(${distinct(data.y)} distinct), n = ${data.x.length}` +
        (skipped > 0 ? ` (${skipped} row${skipped > 1 ? 's' : ''} skipped for missing values: line ${data.skippedLines.slice(0, 5).join(', ')}${skipped > 5 ? ', ...' : ''})` : ''),
    );
    print(`rho = ${formatNumber(rho)}`);
    print('');
    print(
      table(
        ['test', 'alternative', 'statistic', 'p_value', 'p_value_se', 'detail'],
        tests.map((t) => [t.method, t.alternative, t.statistic, formatPValue(t.pValue, pValueFloor(t)), formatSe(t.pValueSe), testDetail(t)]),
      ),
    );
    print('');
    const level = `${+(100 * (1 - alpha)).toFixed(6)}%`;
    print(
      table(
        ['interval', 'level', 'ci_lower', 'ci_upper', 'ci_lower_se', 'ci_upper_se', 'note'],
        intervals.map((c) => [
          c.requestedMethod, level, c.ciLower, c.ciUpper, formatSe(c.ciLowerSe), formatSe(c.ciUpperSe),
          c.warning ?? (c.method === 'bca' ? `z0 ${formatNumber(c.z0!)}, a ${formatNumber(c.acceleration!)}` : ''),
        ]),
      ),
    );
    print(
      `(${config.nBoot} bootstrap resamples${intervals[0]!.dropped > 0 ? `, ${intervals[0]!.dropped} degenerate dropped` : ''}; seed ${config.seed}; ` +
        '*_se: Monte Carlo standard errors from the finite numbers of permutations and resamples)',
    );
    return {
      file: source,
      x: data.xName,
      y: data.yName,
      n: data.x.length,
      distinctX: distinct(data.x),
      distinctY: distinct(data.y),
      skippedLines: data.skippedLines,
      rho,
      tests,
      intervals,
    };
  },
};
