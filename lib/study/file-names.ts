/**
 * The names of the files a study run writes into its output directory (docs/methods.md,
 * "Outputs"); a module of its own so that the CLI can name them in help without loading the study.
 * @module
 */
import type { StudyTables } from './results';

/** File names of the tables. */
export const TABLE_FILES: Readonly<Record<keyof StudyTables, string>> = {
  minDetectableRho: 'min_detectable_rho.csv',
  confidenceIntervals: 'confidence_intervals.csv',
  allDistinctSummary: 'all_distinct_summary.csv',
};

/** The machine-readable result of a run, beside the tables. */
export const RESULTS_FILE = 'results.json';
