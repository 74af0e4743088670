// `yardstick make-model` (src/cli/commands/make-model.ts), registered on its own commander
// program so that the test does not depend on every other command.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerMakeModel } from '../../src/cli/commands/make-model.js';
import { isYardstickError } from '../../src/errors.js';

/** What src/cli/main.ts does with one command: run it, turn typed errors into one line. */
async function main(argv: string[]): Promise<number> {
  const program = new Command('yardstick').exitOverride();
  registerMakeModel(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (!isYardstickError(e)) throw e;
    process.stderr.write(`yardstick: ${e.oneLine()}\n`);
    return 1;
  }
}

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'yardstick-cli-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

function capture(): { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

describe('yardstick make-model', () => {
  it('writes the tiny model and prints what it wrote', async () => {
    const io = capture();
    const out = join(root, 'tiny');
    expect(await main(['make-model', '--preset', 'tiny', '--seed', '4', '--out', out])).toBe(0);
    expect(io.out()).toContain('onnx/model_with_past.onnx');
    expect(io.out()).toContain('vocab 512');
    const cfg = JSON.parse(await readFile(join(out, 'tokenizer_config.json'), 'utf8'));
    expect(cfg.add_bos_token).toBe(true);
  });

  it('--no-bos writes a tokenizer that adds no BOS', async () => {
    capture();
    const out = join(root, 'nobos');
    expect(await main(['make-model', '--out', out, '--no-bos'])).toBe(0);
    const cfg = JSON.parse(await readFile(join(out, 'tokenizer_config.json'), 'utf8'));
    expect(cfg.add_bos_token).toBe(false);
  });

  it('--gguf chooses the GGUF variants written (f32 model.gguf by default, none for no GGUF)', async () => {
    const io = capture();
    const out = join(root, 'gguf');
    expect(await main(['make-model', '--out', out, '--gguf', 'f32,q8_0'])).toBe(0);
    expect(io.out()).toMatch(/model\.gguf\s+\d/);
    expect(io.out()).toMatch(/model-q8_0\.gguf\s+\d/);
    expect(io.out()).not.toContain('model-f16.gguf');
    expect(await main(['make-model', '--out', join(root, 'nogguf'), '--gguf', 'none'])).toBe(0);
    expect(await readdir(join(root, 'nogguf'))).not.toContain('model.gguf');
    expect(await main(['make-model', '--out', join(root, 'x'), '--gguf', 'q4'])).toBe(1);
    expect(io.err()).toMatch(/^yardstick: --gguf: unknown variant "q4"; use a comma-separated list of f32, f16, q8_0, or none\n$/m);
  });

  it('fails with one line for an unknown preset or a bad seed', async () => {
    const io = capture();
    expect(await main(['make-model', '--preset', 'huge', '--out', join(root, 'x')])).toBe(1);
    expect(io.err()).toMatch(/^yardstick: unknown model preset "huge"[^\n]*\n$/);
    for (const preset of ['tiny', 'smollm-135m', 'smollm-360m']) expect(io.err()).toContain(preset);
    expect(await main(['make-model', '--seed', 'abc', '--out', join(root, 'x')])).toBe(1);
    expect(io.err()).toContain('invalid --seed "abc"');
  });
});
