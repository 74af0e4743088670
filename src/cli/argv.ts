// Accepts lm-eval's snake_case option spellings (--batch_size, --output_path, ...) next to ours, and
// refuses an option that swallowed the next option as its value.
import type { Command } from 'commander';
import { YardstickError } from '../errors.js';

export function normalizeArgv(argv: string[]): string[] {
  return argv.map((arg) => {
    if (!arg.startsWith('--')) return arg;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const rest = eq === -1 ? '' : arg.slice(eq);
    return name.replace(/_/g, '-') + rest;
  });
}

/**
 * `--out --preset tiny` hands "--preset" to --out as its value (commander takes the next word for an
 * option that needs one): refused, naming the option that lost its value, instead of writing a
 * folder called "--preset".
 */
export function refuseOptionsAsValues(command: Command): void {
  const flags = new Set<string>();
  for (let c: Command | null = command; c; c = c.parent) for (const o of c.options) for (const f of [o.long, o.short]) if (f) flags.add(f);
  for (const o of command.options) {
    const raw = command.getOptionValue(o.attributeName()) as unknown;
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (typeof v === 'string' && flags.has(v.split('=')[0]!)) {
        throw new YardstickError('usage', `${o.long ?? o.short} got '${v}' as its value`, { hint: `give ${o.long ?? o.short} a value before ${v.split('=')[0]}` });
      }
    }
  }
}
