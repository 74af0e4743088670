// `yardstick cache stats|clear`: what the response cache holds per model, and emptying it (all of it or
// one model's rows). The cache itself lives in src/engines/cache.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';
import { YardstickError } from '../../errors.js';
import { ResponseCache, defaultCachePath, type CacheStats } from '../../engines/cache/index.js';

function cacheOption(cmd: Command): Command {
  return cmd.option('--cache <path>', 'response cache file (default: responses.sqlite in $YARDSTICK_CACHE, else in $XDG_CACHE_HOME/yardstick or ~/.cache/yardstick)');
}

function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** The stats as a table: one row per model fingerprint (and yardstick version that filled it). */
export function formatStats(stats: CacheStats): string {
  const lines = [`${stats.path}: ${formatBytes(stats.fileBytes)}, ${stats.models.length} model(s)`];
  if (stats.models.length === 0) return `${lines[0]}\n`;
  const header = ['fingerprint', 'scores', 'generations', 'yardstick', 'last written (UTC)', 'model'];
  const rows = stats.models.map((m) => [
    m.fingerprint.slice(0, 12),
    String(m.scores),
    String(m.generations),
    m.yardstick,
    m.lastWrite === undefined ? '-' : new Date(m.lastWrite).toISOString().slice(0, 19).replace('T', ' '),
    `${m.name} (${m.engine})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  lines.push(line(header), ...rows.map(line));
  return `${lines.join('\n')}\n`;
}

export const registerCache: RegisterCommand = (program) => {
  const cache = program.command('cache').description('the response cache: model answers reused by later runs');

  cacheOption(cache.command('stats').description('rows per model fingerprint, and the file size')).action((opts: { cache?: string }) => {
    const path = opts.cache ?? defaultCachePath();
    if (!existsSync(path)) {
      process.stdout.write(`no response cache at ${path} yet (\`yardstick run\` creates it)\n`);
      return;
    }
    const file = ResponseCache.open(path, { readonly: true });
    try {
      process.stdout.write(formatStats(file.stats()));
    } finally {
      file.close();
    }
  });

  cacheOption(cache.command('clear').description("delete every cached answer, or one model's"))
    .option('--model-fingerprint <digest>', 'only this model (a digest, or its first 12 characters, as `cache stats` lists)')
    .action((opts: { cache?: string; modelFingerprint?: string }) => {
      const path = opts.cache ?? defaultCachePath();
      if (!existsSync(path)) {
        if (opts.modelFingerprint !== undefined) {
          throw new YardstickError('usage', `no response cache at ${path}`, { hint: 'nothing to clear; pass --cache to name another file' });
        }
        process.stderr.write(`no response cache at ${path}; nothing to clear\n`);
        return;
      }
      const file = ResponseCache.open(path);
      try {
        const removed = file.clear(opts.modelFingerprint);
        process.stderr.write(`cleared ${removed.rows} cached answer(s) of ${removed.models} model entr${removed.models === 1 ? 'y' : 'ies'} from ${path}\n`);
      } finally {
        file.close();
      }
    });
};
