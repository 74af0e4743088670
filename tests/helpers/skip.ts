// Tests that need an optional part (Chromium, ../shared/data) skip without it and say why: in the test's
// name (shown with --reporter=verbose) and once on stderr (shown in the default output). README: "Tests".
export function skipNote(available: boolean, reason: string): string {
  if (available) return '';
  process.stderr.write(`skipping: ${reason}\n`);
  return ` (skipped: ${reason})`;
}
