// How many times a chat sweep opens each model: once. The template check before any cell opens every model,
// keeps the first open for its cells, and the sweep opens each later model once when the plan reaches it.
// openEngine is wrapped (not replaced) so that the engines are real.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeSampleData } from '../../src/demo/sample-docs.js';
import { createDataSource } from '../../src/data/source.js';
import * as registry from '../../src/engines/registry.js';
import type { RunOptions } from '../../src/run.js';
import { runSweep } from '../../src/sweep/run.js';
import { tinyModel } from '../helpers/tiny-model.js';

vi.mock('../../src/engines/registry.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/engines/registry.js')>();
  return { ...original, openEngine: vi.fn(original.openEngine) };
});

const work = mkdtempSync(join(tmpdir(), 'yardstick-sweep-opens-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function chatModel(name: string, seed: number): Promise<string> {
  const dir = join(work, name);
  cpSync(await tinyModel({ seed }), dir, { recursive: true });
  const config = join(dir, 'tokenizer_config.json');
  const template = "{% for m in messages %}{{ m['content'] }}{% endfor %}";
  writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), chat_template: template }));
  return dir;
}

describe('a chat sweep opens each model once', () => {
  it('two models, cells with and without the chat template', async () => {
    const [a, b] = [await chatModel('a', 1), await chatModel('b', 2)];
    const data = join(work, 'data');
    writeSampleData(data);
    const opened = vi.mocked(registry.openEngine);
    opened.mockClear();
    const cells: Array<[string, boolean | string | undefined]> = [];
    await runSweep({
      models: [`onnx:${a}`, `onnx:${b}`],
      grid: { shots: [0], chatTemplate: [false, true] },
      outputPath: join(work, 'out'),
      base: { tasks: ['winogrande'], data: createDataSource({ dataDir: data }), onWarning: () => {} },
      runCell: async (o: RunOptions) => {
        cells.push([o.model, o.applyChatTemplate]);
        return undefined;
      },
    });
    expect(cells.map(([m]) => m)).toEqual([`onnx:${a}`, `onnx:${a}`, `onnx:${b}`, `onnx:${b}`]);
    // the template check opens a and b; a stays open for its cells; b was closed after the check and opens
    // once more for its own cells
    const models = opened.mock.calls.map(([spec]) => String(spec.args.pretrained ?? ''));
    expect(models).toEqual([a, b, b]);
  });
});
