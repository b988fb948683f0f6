/**
 * spearsim: power and expected bootstrap confidence intervals of Spearman's rho when x is
 * heavily tied.
 * @packageDocumentation
 */
// Only `export { ... } from` lines here: after tsc, scripts/lazy-reexports.js makes each module
// load on the first read of one of its exports (docs/ARCHITECTURE.md, "Loading on first use").
export { SpearsimError, type ErrorCode, type SpearsimErrorDetails } from './errors';
export {
  type Config, type CallControls, type GeneratorName, type Shape, type CalibrationMode, type TieCorrection,
  type DirectionMode, type PresetName, OPTION_SCHEMA, resolveConfig, flagName,
} from './config';
export { VERSION } from './version';
export { type Provenance } from './provenance';
export { Rng, rootKey, childKey } from './rng';
export {
  bootstrapCI, bootstrapBatch, BOOTSTRAP_OPTION_KEYS, EXTEND_BOOTSTRAP_OPTION_KEYS, type BootstrapOptions, type BootstrapCIOptions, type BootstrapCIResult, type BatchBootstrapResult, type RepResults,
  bootstrap, bootstrapInterval, extendBootstrap, type BootstrapResult, type BootstrapDataOptions, type BootstrapIntervalOptions, type ExtendBootstrapOptions,
} from './bootstrap';
export {
  INTERVAL_METHODS, INTERVAL_METHOD_REGISTRY, intervalMethodOf, type IntervalMethod, type IntervalMethodSpec, type IntervalNeeds, type IntervalInputs,
} from './interval-methods/registry';
export { type Interval, type IntervalWarningCode, INTERVAL_WARNING_CODES } from './intervals';
export { type NanPolicy, NAN_POLICIES } from './internal/paired-data';
export {
  PVALUE_METHOD_REGISTRY, TEST_METHODS, pvalueMethodOf, type PvalueMethodSpec, type ClosedFormPvalue,
} from './pvalue-methods/registry';
export {
  spearman, spearmanTest, type Alternative, type TestMethod, type PermutationKind, type PermutationDetails, type SpearmanTestOptions,
  type SpearmanTestResult,
} from './realdata';
export { nativeStatus } from './native-status';
// Study data and scenarios
export { STUDY, studyCase, frequencyCounts, type StudyCase, type StudyData } from './study/data';
export {
  makeScenario, resolveScenario, studyScenarios, xTemplate, type Scenario, type ScenarioSpec, type ScenarioShape, type TieStructure, type CaseShapeSpec,
  type CaseCountsSpec, type CaseAllDistinctSpec, type OwnStudySpec, type GridFilter,
} from './scenario';
export {
  generateDatasets, generatorSetup, logNormalFit, spearmanToPearson, type GeneratorSetup, type EmpiricalPoolSpec, type GeneratedDatasets,
} from './generators';
export {
  calibrate, calibrationSe, expectedSpearman, clearCalibrationCache, type CalibrationOptions, type CalibrationResult, type CalibrationCurve,
} from './calibration';
export { expectedCI, ciBootstrap, type CiOptions, type CiResult, type CiTimings } from './ci';
// P-values, power and asymptotics
export { nullDistribution, clearNullCache, type NullOptions, type NullDistribution } from './pvalues';
export {
  estimatePower, powerCurve, minDetectableRho, clearPowerCache, type PowerOptions, type PowerEstimate, type PowerCurve, type PowerPoint, type SearchStep,
  type MinDetectableRhoResult, type BoundaryWarning, SLOPE_STEP, nullCriticalSe,
} from './power';
export {
  asymptotic, asymptoticGrid, asymptoticPower, asymptoticMinDetectableRho, fisherCI, type AsymptoticOptions, type AsymptoticResult,
  type AsymptoticGridRow, type TieMode, type Direction, BONETT_WRIGHT_FACTOR,
} from './asymptotic';
export {
  FISHER_VARIANCES, FISHER_VARIANCE_NAMES, fisherVarianceOf, type FisherVariance, type FisherVarianceName, type FisherVarianceNeed,
} from './fisher-variance/registry';
export { FIELLER_HARTLEY_PEARSON_FACTOR } from './fisher-variance/fieller-hartley-pearson';
// Study runner: runStudy, presets, planning, shards, pictures
export {
  runStudy, resolveStudyConfig, PRESETS, PRESET_NAMES, mergeShards, parseShard, studyGrid, studyUnits,
  type StudyOptions, type StudyResult, type StudyEvent, type StudyTables, type UnitResult, type TableData, type Preset, type PresetSizes,
  type MergeOptions, type ScenarioInfo, type WorkUnit,
} from './study';
export { type StudyStage } from './config';
export {
  planStudy, measureUnitCosts, PLANNING, type StudyPlan, type PlanOptions, type PlanRow,
  type Precision, type UnitCosts, type StudyEta, type StudyWork,
} from './study/plan';
export {
  powerCurveSvg, ciForestSvg, forestRowsFromResult, powerCurvePlot, type PowerCurveData, type PowerCurvePoint, type ForestRow,
  type PowerCurvePlotOptions,
} from './plot';
export { studyReportHtml } from './report/study';
export {
  designCurves, designReportHtml, writeDesignOutputs, curvesTable, curveAnchor, curveGrids, curvePlots, CURVE_PLOT_FILES, type DesignCurves,
  type DesignOutputTargets, type CurveAnchor, type CurveGrids, type CurvePlots,
} from './report/design';
// Types referenced by the public API above (exported so the API docs can resolve them)
export type { SchemaEntry, OptionSpec } from './config';
export type { NativeStatus } from './native-status';
export type { ByTieMode, AsymptoticFormulaOptions } from './asymptotic';
export type { ResolvedPool } from './generators';
export type { NullSource } from './pvalues';
export type { PvalueMethod, PerSimResults } from './power';
export type { ScenarioSummary } from './scenario';
export type { PowerUnitResult, CiUnitResult, AsymptoticUnitResult, ShardSpec, StudyTimings } from './study/results';
export type { ProfileReport, ProfilePhase } from './study/profile';
export type { ColumnKind, Cell } from './study/tables';
export type { PerUnit } from './study/plan';
export type { UnitRef } from './study/progress';
// Planning your own study: a design (any n, x tie structure, y model) and its questions
export {
  makeDesign, designAtN, smallestDesignN, roundedCounts, readPilotColumn, designPower, designMinDetectableRho, designSampleSize, designCi,
  designCiWidth, designPowerGrid, clearDesignCaches, DEFAULT_MAX_SEARCH_N, PROPORTION_SUM_TOLERANCE, MAX_PILOT_BYTES, MDR_TOLERANCE,
  type DesignOptions, type PilotColumn,
} from './design';
export type {
  Design, DesignSpec, DesignAtN, DesignAlternative, DesignQuestion, XModelSpec, YModelSpec, DesignMethod, DesignPowerPoint, DesignPowerResult,
  DesignMdrResult, DesignNResult, DesignCiPoint, DesignCiResult, DesignCiWidthResult, DesignResult, DesignPowerGrid, DesignResultBase,
  DesignSources, XCountsSpec, XProportionsSpec, XPilotSpec, YContinuousSpec, YOrdinalSpec, YPilotSpec, RhoStep, NStep, HalfWidthStep,
} from './design';
export type { Weights } from './design/margins';
export type { StreamIdentity } from './streams';
export type { Delimiter } from './csv';
