// Command-line values of the bench scripts: `--name value` pairs read from process.argv.

/** The value after `name` on the command line, else `fallback`; without either it throws `missing NAME`. */
export function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`missing ${name}`);
  return v;
}
