// `yardstick parity` (src/cli/commands/parity.ts) on run folders written in lm-eval's on-disk layout:
// exit code, summary lines, --json, --tolerance and --tasks.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerParity } from '../../src/cli/commands/parity.js';
import { isYardstickError } from '../../src/errors.js';
import { writeRunFolder, type RunSpec } from './lm-eval-records.js';
import { baseSpec, lambadaSamples, mmluSamples } from './scenario.js';

const root = mkdtempSync(join(tmpdir(), 'yardstick-parity-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

let n = 0;
function folder(spec: RunSpec): string {
  return writeRunFolder(join(root, `run${n++}`), spec);
}

/** Runs the command as src/cli/main.ts would; returns exit code and stdout. */
async function parity(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const program = new Command('yardstick').exitOverride();
  registerParity(program);
  let code = 0;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['parity', ...args], { from: 'user' });
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (!isYardstickError(e)) throw e;
    err.push(e.oneLine());
    code = 1;
  }
  return { code, out: out.join(''), err: err.join('') };
}

describe('yardstick parity', () => {
  it('exits 0 and says identical for two runs of the same config', async () => {
    const r = await parity([folder(baseSpec('yardstick')), folder(baseSpec('yardstick'))]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('mmlu_anatomy: identical (3 docs: 3 identical, 0 within, 0 differ; 12 requests: 12 identical, 0 within, 0 differ; max |Δll| 0 nats; 2 metrics)');
    expect(r.out.trimEnd().split('\n').pop()).toBe('summary: 3 tasks/groups: 3 identical, 0 within tolerance, 0 differ');
  });

  it('exits 1 and names BOS when the BOS setting differs', async () => {
    const ours = baseSpec('yardstick');
    const theirs: RunSpec = { ...baseSpec('yardstick'), bosPolicy: 'never', addBosToken: false };
    theirs.samples = { ...theirs.samples, lambada_openai: lambadaSamples({ shift: -2 }) };
    const jsonPath = join(root, 'report.json');
    const r = await parity([folder(ours), folder(theirs), '--json', jsonPath]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('lambada_openai: differs');
    expect(r.out).toContain('likely cause: bos (2 docs at loglikelihood)');
    expect(r.out).toContain('    doc 0: request 0 loglikelihood [bos] log-likelihood ours -7.5, theirs -9.5 (Δ 2.00 nats)\n');
    expect(r.out).toContain('    bos (2 docs at loglikelihood): BOS: 2 of 2 log-likelihoods with identical prompts differ, mean Δ 2.00 nats; ours tokenizer decides BOS');
    const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(report.ok).toBe(false);
    expect(report.tasks.find((t: { task: string }) => t.task === 'lambada_openai').causes[0].cause).toBe('bos');
  });

  it('--tolerance widens what counts as equal', async () => {
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples({ shift: 5e-4 });
    const a = folder(baseSpec('yardstick'));
    const b = folder(theirs);
    expect((await parity([a, b])).code).toBe(1);
    const wide = await parity([a, b, '--tolerance', '1e-3']);
    expect(wide.code).toBe(0);
    expect(wide.out).toContain('mmlu_anatomy: within tolerance');
  });

  it('--tasks restricts the comparison', async () => {
    const theirs = baseSpec();
    theirs.samples.mmlu_anatomy = mmluSamples({ shift: 1 });
    const r = await parity([folder(baseSpec('yardstick')), folder(theirs), '--tasks', 'lambada_openai']);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('mmlu_anatomy');
  });

  it('rejects a bad tolerance and a missing folder with one line', async () => {
    const a = folder(baseSpec());
    expect((await parity([a, a, '--tolerance', 'tiny'])).err).toBe('invalid --tolerance "tiny"; use a non-negative number, e.g. 1e-4');
    const missing = await parity([a, join(root, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('does not exist');
  });
});
