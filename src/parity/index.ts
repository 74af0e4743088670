// Parity with lm-evaluation-harness: compare two run folders per document and explain any mismatch.
export { compareRuns, explainLoglikelihoodShift, shiftStats } from './compare.js';
export { pairDocuments as matchDocuments } from '../report/doc-matching.js';
export { compareDocument } from './documents.js';
export { formatParityReport, parityReportJson, taskSummaryLine } from './format.js';
export { loadParityRun } from './load.js';
export { compareMetricEntries } from './metrics.js';
export { explainContinuationDifference, explainPromptDifference } from './prompt-cause.js';
export { runSettings, settingDifferences } from './settings.js';
export { unifiedDiff } from './text-diff.js';
export * from './types.js';
