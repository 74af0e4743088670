// Public surface of src/data: data sources (local, hub, composite), readers, importers, status.
export * from './types.js';
export { LocalSource } from './local.js';
export { CompositeSource, createDataSource, type DataSourceOptions } from './source.js';
export { HubSource, PARQUET_BRANCH, type HubSourceOptions } from './hub/source.js';
export { hubSettingsFromEnv, hubCacheDir, type HubSettings } from './hub/settings.js';
export type { DownloadProgress } from './hub/client.js';
export { stderrProgress } from './progress.js';
export { dataStatus, formatStatus, statusEntryForTask, parseDatasetArg, type StatusEntry, type StatusRow, type TaskDataFields } from './status.js';
export { readDocsFile, parseDocs, countRows, SPLIT_FILE_EXTENSIONS } from './formats/index.js';
export { IMPORT_FORMATS, convertOriginal, importDataset } from './import/index.js';
