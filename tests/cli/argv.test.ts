// An option that needs a value and is followed by another option takes that option as its value in
// commander; yardstick refuses it instead of, say, writing a model folder named "--preset".
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('an option given another option as its value', () => {
  it('make-model --out --preset is refused and writes nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ys-argv-'));
    const r = await runCli(['make-model', '--out', '--preset'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("yardstick: --out got '--preset' as its value; give --out a value before --preset");
    expect(existsSync(join(cwd, '--preset'))).toBe(false);
  });

  it('run --output-path --log-samples is refused before anything opens', async () => {
    const r = await runCli(['run', '--model', 'onnx:/nonexistent', '--tasks', 'winogrande', '--output-path', '--log-samples']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("yardstick: --output-path got '--log-samples' as its value; give --output-path a value before --log-samples");
  });

  it('values that merely start with a dash are still values', async () => {
    const r = await runCli(['run', '--model', 'onnx:/nonexistent', '--tasks', 'winogrande', '--limit', '-1']);
    expect(r.stderr).not.toMatch(/as its value/);
  });
});
