// Accepts lm-eval's snake_case option spellings (--batch_size, --output_path, ...) next to ours.

export function normalizeArgv(argv: string[]): string[] {
  return argv.map((arg) => {
    if (!arg.startsWith('--')) return arg;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const rest = eq === -1 ? '' : arg.slice(eq);
    return name.replace(/_/g, '-') + rest;
  });
}
