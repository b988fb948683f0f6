/**
 * Sharding: `--shard i/N` runs the scenarios whose grid position p has p mod N = i - 1 (every
 * stage of a scenario stays on one shard), writing into `<outputDir>/shard-i-of-N/`.
 * {@link mergeShards} combines shard outputs into tables bit-identical to a single-machine run:
 * seeds are keyed by identity (docs/reproducibility.md, "Seeds") and tables are assembled in canonical order.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Config, type OptionKey, OPTION_KEYS, resolveConfig } from '../config';
import { SpearsimError, rangeError, typeError } from '../errors';
import { log } from '../internal/log';
import { type WorkUnit, studyGrid, studyUnits } from './grid';
import { type Manifest, MANIFEST_FILE, SETS_DIR, sha256 } from '../internal/output-set';
import { readJsonFile, readTextFile, stripBom } from '../internal/read-bounded';
import { type ShardSpec, type StudyResult, type UnitResult, RESULTS_FILE, checkStudyResult, writeStudyOutputs } from './results';
import { buildTables } from './tables';
import { unitProblem } from './unit-check';

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

/** The configuration recorded in a results file (nulls were undefined). */
export function configOf(result: StudyResult): Config {
  const recorded = result.provenance.config;
  const given: Partial<Record<OptionKey, unknown>> = {};
  for (const key of OPTION_KEYS) if (recorded[key] !== null && recorded[key] !== undefined) given[key] = recorded[key];
  return resolveConfig(given, [], {});
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

/**
 * Reads a shard's results.json (bounded) and, when it is a published output set's file, checks it
 * against the set's manifest: a results file edited after the run cannot be merged.
 */
function readShardResult(file: string): StudyResult {
  const text = readTextFile(file, 'results');
  let real: string | undefined;
  try {
    real = fs.realpathSync(file);
  } catch {
    real = undefined;
  }
  const manifestFile = real && path.join(path.dirname(real), MANIFEST_FILE);
  if (manifestFile && path.basename(path.dirname(path.dirname(real!))) === SETS_DIR && fs.existsSync(manifestFile)) {
    const manifest = readJsonFile(manifestFile, 'manifest') as Partial<Manifest> | null;
    const entry = Array.isArray(manifest?.files) ? manifest.files.find((f) => f?.name === path.basename(real!)) : undefined;
    if (!entry || entry.sha256 !== sha256(text)) {
      throw new SpearsimError('ERR_IO', `${file} does not match the checksum in its output set's manifest (${manifestFile}): it was changed after the run`, { option: 'inputs', value: file });
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripBom(text));
  } catch (e) {
    throw new SpearsimError('ERR_IO', `${file} is not valid JSON (${(e as Error).message})`, { option: 'inputs', value: file, cause: e });
  }
  return checkStudyResult(parsed, file);
}

/** Identity and numbers of a unit, without its timing (which differs between two runs of it). */
function unitNumbers(u: UnitResult): string {
  const { seconds: _s, timings: _t, ...rest } = u;
  return JSON.stringify(rest);
}

/**
 * The units of the shard files, each checked against the run's grid (identity, fields, ranges);
 * a bad unit, or two files disagreeing about one, is ERR_IO naming the file (a merge cannot
 * recompute).
 */
function collectUnits(docs: ReadonlyArray<{ file: string; doc: StudyResult }>, units: readonly WorkUnit[], config: Config): Map<string, UnitResult> {
  const expected = new Map(units.map((u) => [u.id, u]));
  const results = new Map<string, { unit: UnitResult; file: string }>();
  for (const { file, doc } of docs) {
    doc.units.forEach((u: unknown, i) => {
      const id = u !== null && typeof u === 'object' ? (u as { id?: unknown }).id : undefined;
      const unit = typeof id === 'string' ? expected.get(id) : undefined;
      const problem = unit ? unitProblem(u, unit, config) : `${typeof id === 'string' ? JSON.stringify(id) : 'it'} is not a unit of this run`;
      if (problem) throw new SpearsimError('ERR_IO', `cannot merge ${file}: unit ${i + 1} is unusable (${problem})`, { option: 'inputs', value: file });
      const earlier = results.get(id as string);
      if (earlier && unitNumbers(earlier.unit) !== unitNumbers(u as UnitResult)) {
        throw new SpearsimError('ERR_IO', `cannot merge: ${file} and ${earlier.file} hold different results for unit ${String(id)}`, { option: 'inputs', value: file });
      }
      if (!earlier) results.set(id as string, { unit: u as UnitResult, file });
    });
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
  const docs = files.map((f) => ({ file: f, doc: readShardResult(f) }));
  const first = docs[0]!;
  for (const { file, doc } of docs) {
    if (doc.fingerprint !== first.doc.fingerprint) {
      throw new SpearsimError('ERR_UNSUPPORTED', `${file} comes from a different run than ${first.file} (fingerprint ${doc.fingerprint} vs ${first.doc.fingerprint}: options, engine or version differ)`, { value: file });
    }
  }
  const config = configOf(first.doc);
  const scenarios = studyGrid(config);
  const units = studyUnits({ ...config, verbose: 0 }, scenarios);
  const results = collectUnits(docs, units, config);
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
