// Which repository files make up a split: the README's `configs:` data_files patterns, or the
// parquet-conversion layout (<config>/<split>/0000.parquet). Pure functions over file lists.

/** A file as the tree API lists it. */
export interface RepoFile {
  path: string;
  size: number;
  /** git blob id */
  oid?: string;
  /** present for LFS files: oid is the sha256 of the content */
  lfs?: { oid: string; size: number };
}

interface CardConfig {
  config_name?: unknown;
  data_files?: unknown;
}

/** fsspec-style glob: `*` and `?` stay within one path segment, `**` crosses folders. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The folder to list for a pattern: its literal part up to the last '/' before any glob character. */
export function patternBaseDir(pattern: string): string {
  const firstGlob = pattern.search(/[*?[]/);
  const literal = firstGlob === -1 ? pattern : pattern.slice(0, firstGlob);
  const slash = literal.lastIndexOf('/');
  return slash === -1 ? '' : literal.slice(0, slash);
}

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return [];
}

function cardConfigs(cardData: unknown): CardConfig[] {
  const configs = (cardData as { configs?: unknown } | undefined)?.configs;
  return Array.isArray(configs) ? (configs.filter((c) => c && typeof c === 'object') as CardConfig[]) : [];
}

/** Config names declared in the dataset card, in card order. */
export function cardConfigNames(cardData: unknown): string[] {
  return cardConfigs(cardData)
    .map((c) => (typeof c.config_name === 'string' ? c.config_name : 'default'))
    .filter((n, i, all) => all.indexOf(n) === i);
}

/** Split name → patterns of one config in the card; undefined when the card does not describe the config. */
export function cardSplitPatterns(cardData: unknown, config: string): Map<string, string[]> | undefined {
  const entry = cardConfigs(cardData).find((c) => (typeof c.config_name === 'string' ? c.config_name : 'default') === config);
  if (!entry) return undefined;
  const out = new Map<string, string[]>();
  const df = entry.data_files;
  if (typeof df === 'string' || (Array.isArray(df) && df.every((x) => typeof x === 'string'))) {
    out.set('train', asList(df)); // a bare list of files is HF's train split
  } else if (Array.isArray(df)) {
    for (const item of df) {
      const split = (item as { split?: unknown }).split;
      const paths = asList((item as { path?: unknown }).path);
      if (typeof split === 'string' && paths.length > 0) out.set(split, [...(out.get(split) ?? []), ...paths]);
    }
  } else if (df && typeof df === 'object') {
    for (const [split, paths] of Object.entries(df as Record<string, unknown>)) {
      if (asList(paths).length > 0) out.set(split, asList(paths));
    }
  }
  return out.size > 0 ? out : undefined;
}

/** Files matching any of the patterns, sorted by path (shard order), without duplicates. */
export function matchPatterns(files: RepoFile[], patterns: string[]): RepoFile[] {
  const regexps = patterns.map(globToRegExp);
  return files.filter((f) => regexps.some((r) => r.test(f.path))).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Split files in the parquet-conversion layout: <config>/<split>/*.parquet, or the older
 * <config>/<name>-<split>.parquet and <config>/<name>-<split>-00000-of-00002.parquet.
 */
export function conversionLayoutFiles(files: RepoFile[], config: string, split: string): RepoFile[] {
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inFolder = new RegExp(`^${esc(config)}/${esc(split)}/[^/]+\\.parquet$`);
  const flat = new RegExp(`^${esc(config)}/[^/]+-${esc(split)}(-\\d{5}-of-\\d{5})?\\.parquet$`);
  const hits = files.filter((f) => inFolder.test(f.path));
  const chosen = hits.length > 0 ? hits : files.filter((f) => flat.test(f.path));
  return chosen.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Splits present in the conversion layout of one config (for "available splits" messages). */
export function conversionLayoutSplits(files: RepoFile[], config: string): string[] {
  const out = new Set<string>();
  for (const f of files) {
    const m = /^([^/]+)\/([^/]+)\/[^/]+\.parquet$/.exec(f.path);
    if (m && m[1] === config) out.add(m[2]!);
  }
  return [...out].sort();
}

/**
 * Offline lookup in a snapshot someone else filled (no yardstick record): the conversion layout,
 * then the usual repo layouts <config>/<split>-*.parquet and, for the default config, data/<split>-*.parquet.
 */
export function guessSplitFiles(paths: string[], config: string, split: string): string[] {
  const files = paths.map((path) => ({ path, size: 0 }));
  const conv = conversionLayoutFiles(files, config, split);
  if (conv.length > 0) return conv.map((f) => f.path);
  const patterns = [`${config}/${split}-*.parquet`, ...(config === 'default' ? [`data/${split}-*.parquet`] : [])];
  return matchPatterns(files, patterns).map((f) => f.path);
}
