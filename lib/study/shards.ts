/**
 * Sharding: `--shard i/N` runs the scenarios whose grid position p has p mod N = i - 1 (every
 * stage of a scenario stays on one shard), writing into `<outputDir>/shard-i-of-N/`.
 * {@link mergeShards} combines shard outputs into tables bit-identical to a single-machine run:
 * seeds are keyed by identity (docs/reproducibility.md, "Seeds") and tables are assembled in canonical order.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpearsimError, rangeError, typeError } from '../errors';
import { log } from '../internal/log';
import { studyGrid, studyUnits } from './grid';
import { configOf, readStudyResult } from './read-results';
import { type ShardSpec, type StudyResult, type UnitResult, writeStudyOutputs } from './results';
import { RESULTS_FILE } from './file-names';
import { buildTables } from './tables';

/** Parses "i/N" (1 <= i <= N). */
export function parseShard(text: string | undefined): ShardSpec | null {
  if (text === undefined) return null;
  if (typeof text !== 'string') throw typeError('shard', text, 'a string "i/N", e.g. "2/4"');
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && count >= 1 && index <= count && count <= 100000)) {
    throw rangeError('shard', text, '"i/N" with 1 <= i <= N, e.g. "2/4"');
  }
  return { index, count };
}

/** Whether grid position `position` belongs to `shard`. */
export function inShard(position: number, shard: ShardSpec | null): boolean {
  return shard === null || position % shard.count === shard.index - 1;
}

/** Output directory of a shard. */
export function shardDir(outputDir: string, shard: ShardSpec | null): string {
  return shard === null ? outputDir : path.join(outputDir, `shard-${shard.index}-of-${shard.count}`);
}

function isDirectory(input: string): boolean {
  try {
    return fs.statSync(input).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new SpearsimError('ERR_IO', `cannot read ${input}: ${(e as Error).message}`, { option: 'inputs', value: input, cause: e });
  }
}

/** results.json files named by `inputs`: files, shard directories, or directories holding shard-*-of-* directories. */
function resultFiles(inputs: readonly string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (isDirectory(input)) {
      const own = path.join(input, RESULTS_FILE);
      const shards = fs.readdirSync(input).filter((d) => /^shard-\d+-of-\d+$/.test(d)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (shards.length > 0) files.push(...shards.map((d) => path.join(input, d, RESULTS_FILE)).filter((f) => fs.existsSync(f)));
      else files.push(own);
    } else {
      files.push(input);
    }
  }
  return files;
}

/** Identity and numbers of a unit, without its timing (which differs between two runs of it). */
function unitNumbers(u: UnitResult): string {
  const { seconds: _s, timings: _t, ...rest } = u;
  return JSON.stringify(rest);
}

/** The units of the shard files (each already checked); two files disagreeing about one is ERR_IO. */
function collectUnits(docs: ReadonlyArray<{ file: string; doc: StudyResult }>): Map<string, UnitResult> {
  const results = new Map<string, { unit: UnitResult; file: string }>();
  for (const { file, doc } of docs) {
    for (const u of doc.units) {
      const earlier = results.get(u.id);
      if (earlier && unitNumbers(earlier.unit) !== unitNumbers(u)) {
        throw new SpearsimError('ERR_IO', `cannot merge: ${file} and ${earlier.file} hold different results for unit ${u.id}`, { option: 'inputs', value: file });
      }
      if (!earlier) results.set(u.id, { unit: u, file });
    }
  }
  return new Map([...results].map(([id, r]) => [id, r.unit]));
}

/** Options of {@link mergeShards}. */
export interface MergeOptions {
  /** Where the merged tables and results.json go (default: the configuration's outputDir). */
  outputDir?: string;
  /** Verbosity 0-3 (default 1; 2 or more logs the merge). */
  verbose?: number;
}

/**
 * Merges the results of the shards of one run (same fingerprint) into the full run's tables and
 * results.json. Fails naming the missing shards or units, or the first mismatching file.
 */
export function mergeShards(inputs: readonly string[], options: MergeOptions = {}): StudyResult {
  const files = resultFiles(inputs);
  if (files.length === 0) throw new SpearsimError('ERR_IO', `no ${RESULTS_FILE} found in ${inputs.join(', ') || '(no inputs)'}`, { option: 'inputs' });
  const docs = files.map((f) => ({ file: f, doc: readStudyResult(f, 'inputs') }));
  const first = docs[0]!;
  for (const { file, doc } of docs) {
    if (doc.fingerprint !== first.doc.fingerprint) {
      throw new SpearsimError('ERR_UNSUPPORTED', `${file} comes from a different run than ${first.file} (fingerprint ${doc.fingerprint} vs ${first.doc.fingerprint}: options, engine or version differ)`, { value: file });
    }
  }
  const config = configOf(first.doc);
  const scenarios = studyGrid(config);
  const units = studyUnits({ ...config, verbose: 0 }, scenarios);
  const results = collectUnits(docs);
  const missing = units.filter((u) => !results.has(u.id));
  if (missing.length > 0) {
    const counts = [...new Set(docs.map((d) => d.doc.shard?.count ?? 1))];
    const present = new Set(docs.map((d) => d.doc.shard?.index));
    const absent = counts.length === 1 ? Array.from({ length: counts[0]! }, (_, i) => i + 1).filter((i) => !present.has(i)) : [];
    throw new SpearsimError(
      'ERR_UNSUPPORTED',
      `cannot merge: ${missing.length} of ${units.length} units are missing (e.g. ${missing[0]!.id})${absent.length > 0 ? `; shards ${absent.map((i) => `${i}/${counts[0]}`).join(', ')} are absent` : ''}`,
      { value: missing.map((u) => u.id).slice(0, 10) },
    );
  }
  const outputDir = options.outputDir ?? config.outputDir;
  const ordered = units.map((u) => results.get(u.id)!);
  const started = docs.map((d) => d.doc.timings.startedAt).sort()[0]!;
  const finished = docs.map((d) => d.doc.timings.finishedAt).sort().at(-1)!;
  const stages: Record<string, number> = {};
  for (const { doc } of docs) for (const [k, v] of Object.entries(doc.timings.stages)) stages[k] = (stages[k] ?? 0) + v;
  const merged: Omit<StudyResult, 'files'> = {
    format: first.doc.format,
    fingerprint: first.doc.fingerprint,
    shard: null,
    provenance: { ...first.doc.provenance, config: { ...first.doc.provenance.config, shard: null, outputDir } },
    scenarios: first.doc.scenarios,
    units: ordered,
    tables: buildTables(units, results, config),
    timings: {
      startedAt: started,
      finishedAt: finished,
      totalSeconds: docs.reduce((a, d) => a + d.doc.timings.totalSeconds, 0),
      stages,
      unitsRun: docs.reduce((a, d) => a + d.doc.timings.unitsRun, 0),
      unitsResumed: docs.reduce((a, d) => a + d.doc.timings.unitsResumed, 0),
    },
    profile: null,
    warnings: [...new Set(docs.flatMap((d) => d.doc.warnings))],
  };
  const written = writeStudyOutputs(outputDir, merged);
  log(options.verbose ?? 1, 2, `merged ${docs.length} shard results (${ordered.length} units) into ${outputDir}`);
  return { ...merged, files: written };
}
