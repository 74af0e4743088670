// The response cache's public face: the file, one model's rows, and the default location.
export { ResponseCache, SCHEMA_VERSION, type CacheStats, type CachedModel, type OpenCacheOptions } from './response-cache.js';
export { ModelCache, type CacheCounts } from './model-cache.js';
export { defaultCachePath } from './location.js';
