// runDemo (src/demo/demo.ts): its choice of models, and an output path it cannot use refused before any work.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MODELS, runDemo } from '../../src/demo/demo.js';
import { isYardstickError } from '../../src/errors.js';
import { getPreset } from '../../src/models/presets.js';

const root = mkdtempSync(join(tmpdir(), 'yardstick-demo-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runDemo', () => {
  it('rejects --out naming a file, with a usage error and nothing written', async () => {
    const file = join(root, 'not-a-folder');
    writeFileSync(file, 'x');
    const error = await runDemo({ outDir: file }).catch((e: unknown) => e);
    expect(isYardstickError(error) && error.kind).toBe('usage');
    expect(String((error as Error).message)).toContain('not-a-folder');
    expect(readdirSync(root)).toContain('not-a-folder');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses a non-empty folder it did not create, leaving it untouched', async () => {
    const dir = join(root, 'user-folder');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'keep.txt'), 'mine');
    const error = await runDemo({ outDir: dir }).catch((e: unknown) => e);
    expect(isYardstickError(error) && error.kind).toBe('usage');
    expect(readFileSync(join(dir, 'data', 'keep.txt'), 'utf8')).toBe('mine');
    expect(readdirSync(dir)).toEqual(['data']);
  });

  it('compares two models of different sizes whose labels name their hidden size', () => {
    expect(DEMO_MODELS.map((m) => `tiny-${getPreset(m.preset).hiddenSize}`)).toEqual(DEMO_MODELS.map((m) => m.label));
    expect(new Set(DEMO_MODELS.map((m) => getPreset(m.preset).hiddenSize)).size).toBe(2);
  });
});
