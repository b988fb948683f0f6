/**
 * The study runner: minimum detectable rho for every selected generator, asymptotic power and
 * CIs, and expected bootstrap CIs over the 88 scenarios of the Karwowski study or a filtered
 * subset, written as the three CSV tables (docs/methods.md, "Outputs") plus results.json, and
 * with `report` a self-contained HTML report.
 *
 * Units (one API call each) run one after another and the native kernels use all `threads`
 * (one parallel layer, docs/performance.md). Every finished unit is saved at once (atomic write), so an
 * interrupted run keeps its work and `resume` skips it; `shard` runs a deterministic slice and
 * {@link mergeShards} combines slices into the single-machine tables.
 * @module
 */
import { type CallControls, type Config, type OptionKey, OPTION_KEYS, OPTION_SCHEMA, checkControls, configFromEnv, resolveConfig } from '../config';
import { SpearsimError, abortError, typeError } from '../errors';
import { ensureOutputDirectory } from '../internal/files';
import { warn } from '../internal/log';
import { addonFor } from '../internal/native';
import { setThreadBudget } from '../internal/threads';
import { provenance } from '../provenance';
import { type WorkUnit, droppedStudyGenerators, executionOrder, scenarioId, scenarioInfo, studyGrid, studyUnits } from './grid';
import { withPreset } from './presets';
import { Profiler } from './profile';
import { EtaEstimator, type StudyEvent, createStudyReporter, unitRef, unitWeight } from './progress';
import { type StudyResult, type UnitResult, RESULTS_FORMAT, studyFingerprint, writeStudyOutputs } from './results';
import { openRunState } from './resume';
import { inShard, parseShard, shardDir } from './shards';
import { runUnit } from './stages';
import { buildTables } from './tables';
import { checkReportTarget, writeReport } from '../report/html';
import { studyReportHtml } from '../report/study';

/** Options of {@link runStudy}: any configuration option, plus controls. */
export type StudyOptions = Partial<Config> &
  CallControls & {
    /** Receives every progress event (in addition to the stderr reporter chosen by `verbose`). */
    onEvent?: (event: StudyEvent) => void;
  };

/**
 * Resolves a study configuration: explicit options > environment > preset (named in either) >
 * schema defaults.
 */
export function resolveStudyConfig(options: object = {}, env: NodeJS.ProcessEnv = process.env): Config {
  // a non-object would destructure to {} and silently run the full default study
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw typeError('options', options, 'an object');
  const { signal: _s, onProgress: _p, onEvent: _e, ...rest } = options as StudyOptions;
  return resolveConfig(withPreset(rest as Partial<Record<OptionKey, unknown>>, configFromEnv(env)), [], env, OPTION_KEYS);
}

/** Units of this run (its shard's slice of the canonical list). */
function shardUnits(units: readonly WorkUnit[], scenarioIds: readonly string[], shard: ReturnType<typeof parseShard>): WorkUnit[] {
  const position = new Map(scenarioIds.map((id, i) => [id, i]));
  return units.filter((u) => inShard(position.get(u.info.id)!, shard));
}

/**
 * Runs the study and writes `min_detectable_rho.csv`, `confidence_intervals.csv`,
 * `all_distinct_summary.csv` and `results.json` into `outputDir` (or its `shard-i-of-N`
 * subdirectory). Rejects with ERR_ABORTED when `signal` aborts; finished units stay on disk.
 */
export async function runStudy(options: StudyOptions = {}): Promise<StudyResult> {
  const started = new Date();
  const t0 = performance.now();
  const config = resolveStudyConfig(options);
  const controls = checkControls(options);
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new SpearsimError('ERR_INVALID_TYPE', 'onEvent must be a function', { option: 'onEvent', value: options.onEvent });
  }
  const shard = parseShard(config.shard);
  if (config.report !== undefined) checkReportTarget(config.report);
  const scenarios = studyGrid(config);
  const ids = scenarios.map(scenarioId);
  const units = shardUnits(studyUnits(config, scenarios), ids, shard);
  const engineName = addonFor(config) ? 'native' : 'typescript';
  const fingerprint = studyFingerprint(config, engineName);
  const outputDir = shardDir(config.outputDir, shard);
  const warnings: string[] = [];
  const onWarning = (message: string): void => {
    warnings.push(message);
    warn(config.verbose, message, 'SPEARSIM_RESUME');
  };
  ensureOutputDirectory(outputDir);
  const state = openRunState({ outputDir, fingerprint, units, config, onWarning });

  const reporter = createStudyReporter(config.verbose);
  const emit = (event: StudyEvent): void => {
    reporter(event);
    options.onEvent?.(event);
  };
  const results = new Map<string, UnitResult>();
  for (const u of units) {
    const r = state.finished.get(u.id);
    if (r) results.set(u.id, r);
  }
  const pending = executionOrder(units, scenarios).filter((u) => !results.has(u.id));
  const weights = new Map(pending.map((u) => [u.id, unitWeight(u, config)]));
  const totalWeight = [...weights.values()].reduce((a, b) => a + b, 0);
  const eta = new EtaEstimator(pending.map((u) => ({ kind: u.kind, weight: weights.get(u.id)! })));
  const profiler = new Profiler();
  const stages: Record<string, number> = {};
  emit({ type: 'start', units: units.length, toRun: pending.length, resumed: results.size, scenarios: new Set(units.map((u) => u.info.id)).size, shard, outputDir });

  // One parallel layer: `jobs` concurrent units share the thread budget.
  const jobs = Math.max(1, Math.min(config.jobs, pending.length));
  const unitConfig =
    jobs > 1 ? { ...config, threads: Math.max(1, Math.floor(config.threads / jobs)), memoryLimit: Math.floor(config.memoryLimit / jobs) } : config;
  const leastMemory = (OPTION_SCHEMA.memoryLimit as { min: number }).min;
  if (unitConfig.memoryLimit < leastMemory) {
    // said in the user's terms: the whole limit and the jobs sharing it, not the share
    throw new SpearsimError(
      'ERR_MEMORY_LIMIT',
      `memoryLimit ${config.memoryLimit} bytes shared by ${jobs} units running at once leaves ${unitConfig.memoryLimit} bytes each, below the ${leastMemory} a unit needs; raise memoryLimit or lower jobs`,
      { option: 'memoryLimit', value: config.memoryLimit, expected: `at least ${leastMemory * jobs} bytes with jobs ${jobs}` },
    );
  }
  if (jobs > 1) setThreadBudget(Math.max(config.threads, jobs));
  const stop = new AbortController(); // a failing unit stops its siblings
  const signal = controls.signal ? AbortSignal.any([controls.signal, stop.signal]) : stop.signal;
  const inFlight = new Map<string, number>(); // unit id -> fraction done
  let doneWeight = 0;
  let finishedNow = 0;
  let next = 0;
  const progressOf = (): number => doneWeight + [...inFlight].reduce((a, [id, f]) => a + f * weights.get(id)!, 0);
  const worker = async (): Promise<void> => {
    while (next < pending.length && !signal.aborted) {
      const index = next++;
      const unit = pending[index]!;
      const ref = unitRef(unit);
      const weight = weights.get(unit.id)!;
      inFlight.set(unit.id, 0);
      emit({ type: 'unit-start', unit: ref, index, of: pending.length });
      const result = await runUnit(unit, unitConfig, {
        signal,
        onProgress: (done, total) => {
          const fraction = total > 0 ? Math.min(1, done / total) : 0;
          inFlight.set(unit.id, fraction);
          emit({ type: 'unit-progress', unit: ref, fraction });
          controls.onProgress?.(progressOf(), totalWeight);
        },
      }).catch((e: unknown) => {
        throw jobs > 1 ? withWholeMemoryLimit(e, config.memoryLimit, unitConfig.memoryLimit, jobs) : e;
      });
      state.save(result);
      results.set(unit.id, result);
      inFlight.delete(unit.id);
      doneWeight += weight;
      profiler.addUnit(result);
      stages[unit.kind] = (stages[unit.kind] ?? 0) + result.seconds;
      eta.done(unit.kind, weight, result.seconds / jobs);
      controls.onProgress?.(progressOf(), totalWeight);
      emit({ type: 'unit-done', unit: ref, result, index: finishedNow++, of: pending.length, etaSeconds: eta.eta() });
    }
  };
  try {
    const outcomes = await Promise.allSettled(
      Array.from({ length: jobs }, () =>
        worker().catch((e: unknown) => {
          stop.abort();
          throw e;
        }),
      ),
    );
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    // report the cause, not the sibling aborts it triggered
    const failure = failures.find((e) => (e as SpearsimError).code !== 'ERR_ABORTED') ?? failures[0];
    if (failure !== undefined) throw failure;
    if (controls.signal?.aborted) throw abortError(controls.signal);
  } catch (e) {
    const aborted = (e as SpearsimError).code === 'ERR_ABORTED';
    const finished = results.size;
    const message = aborted ? `aborted; ${finished} of ${units.length} units are saved in ${outputDir} — rerun with --resume to continue` : (e as Error).message;
    emit({ type: 'stopped', finished, of: units.length, message });
    if (aborted) throw new SpearsimError('ERR_ABORTED', message, { cause: e });
    throw e;
  }

  const outputStart = performance.now();
  const tables = buildTables(units, results, config);
  warnings.push(...droppedStudyGenerators(config.generators));
  for (const u of units) {
    const r = results.get(u.id)!;
    if (r.kind === 'power' && r.boundaryWarning) warnings.push(`${u.scenario.description}, ${r.generator}, ${r.direction}: minimum detectable rho ${r.minDetectableRho.toFixed(4)} is at the search boundary — widen bounds`);
  }
  stages.output = (performance.now() - outputStart) / 1000;
  profiler.add('output', stages.output);
  const totalSeconds = (performance.now() - t0) / 1000;
  const doc: Omit<StudyResult, 'files'> = {
    format: RESULTS_FORMAT,
    fingerprint,
    shard,
    provenance: provenance(config, engineName),
    scenarios: scenarios.map((s) => scenarioInfo(s, config)),
    units: units.map((u) => results.get(u.id)!),
    tables,
    timings: {
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      totalSeconds,
      stages,
      unitsRun: pending.length,
      unitsResumed: units.length - pending.length,
    },
    profile: config.profile ? profiler.report(totalSeconds) : null,
    warnings,
  };
  // the report first: when the output set appears, everything it lists exists
  const report = config.report === undefined ? [] : [writeReport(config.report, studyReportHtml(doc))];
  const files = [...writeStudyOutputs(outputDir, doc), ...report];
  state.complete();
  const result: StudyResult = { ...doc, files };
  emit({ type: 'finish', result });
  return result;
}

export { PRESETS, PRESET_NAMES, type Preset, type PresetSizes } from './presets';
export { mergeShards, parseShard, type MergeOptions } from './shards';
export { type StudyEvent } from './progress';
export { type StudyResult, type UnitResult, type StudyTables } from './results';
export { type TableData, toCsv, formatFloat4 } from './tables';
export { studyGrid, studyUnits, type ScenarioInfo, type WorkUnit } from './grid';

/**
 * A unit's memory error quotes the share of memoryLimit the unit had; the user gave the whole, so
 * the error names both (and how to get more per unit).
 */
function withWholeMemoryLimit(e: unknown, memoryLimit: number, share: number, jobs: number): unknown {
  if (!(e instanceof SpearsimError) || e.code !== 'ERR_MEMORY_LIMIT') return e;
  const whole = `memoryLimit ${memoryLimit} bytes (${share} bytes for each of the ${jobs} units running at once; lower jobs for more per unit)`;
  const message = e.message.includes(`memoryLimit ${share} bytes`) ? e.message.replace(`memoryLimit ${share} bytes`, whole) : `${e.message}; ${whole}`;
  return new SpearsimError('ERR_MEMORY_LIMIT', message, { option: 'memoryLimit', value: memoryLimit, expected: e.expected, cause: e });
}
