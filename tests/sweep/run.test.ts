// runSweep opens each model once and hands the open engine to every cell of that model; the engine is
// closed after the model's last cell, before the next model opens. A run given an open engine leaves it
// open and counts only its own engine calls in engine_stats. openEngine is wrapped (not replaced) so that
// the opens can be counted on real engines.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeSampleData } from '../../src/demo/sample-docs.js';
import { createDataSource } from '../../src/data/source.js';
import * as registry from '../../src/engines/registry.js';
import type { Engine } from '../../src/engines/types.js';
import { openRunEngine, runEvaluation, type RunOptions } from '../../src/run.js';
import { runSweep } from '../../src/sweep/run.js';
import { tinyModel } from '../helpers/tiny-model.js';

vi.mock('../../src/engines/registry.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/engines/registry.js')>();
  return { ...original, openEngine: vi.fn(original.openEngine) };
});

const work = mkdtempSync(join(tmpdir(), 'yardstick-sweep-run-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('runSweep', () => {
  it('gives every cell of a model the same open engine, one model at a time', async () => {
    const [a, b] = [await tinyModel({ seed: 1 }), await tinyModel({ seed: 2 })];
    const data = join(work, 'data');
    writeSampleData(data);
    const seen: Array<{ model: string; engine: Engine | undefined; numFewshot: number | undefined }> = [];
    const closed: Engine[] = [];
    await runSweep({
      models: [`onnx:${a}`, `onnx:${b}`],
      grid: { shots: [0, 1], chatTemplate: [false] },
      outputPath: join(work, 'out'),
      base: { tasks: ['winogrande'], data: createDataSource({ dataDir: data }), onWarning: () => {} },
      runCell: async (o: RunOptions) => {
        const engine = o.engine!;
        // the engine is open: it tokenizes
        expect(engine.tokenizer.encode('a test', false).length).toBeGreaterThan(0);
        if (!seen.some((s) => s.engine === engine)) {
          // a model's first cell: the previous model's engine was closed before this one opened
          if (seen.length > 0) expect(closed).toContain(seen.at(-1)!.engine);
          const original = engine.close.bind(engine);
          engine.close = async () => {
            closed.push(engine);
            await original();
          };
        }
        seen.push({ model: o.model, engine, numFewshot: o.numFewshot });
        return undefined;
      },
    });
    expect(seen.map((s) => [s.model, s.numFewshot])).toEqual([[`onnx:${a}`, 0], [`onnx:${a}`, 1], [`onnx:${b}`, 0], [`onnx:${b}`, 1]]);
    expect(seen[0]!.engine).toBe(seen[1]!.engine);
    expect(seen[2]!.engine).toBe(seen[3]!.engine);
    expect(seen[0]!.engine).not.toBe(seen[2]!.engine);
    expect(closed).toEqual([seen[0]!.engine, seen[2]!.engine]);
  });

  it("chat cells look every model's template up first, keeping the first model open for its cells", async () => {
    const chatModel = async (name: string, seed: number): Promise<string> => {
      const dir = join(work, name);
      cpSync(await tinyModel({ seed }), dir, { recursive: true });
      const config = join(dir, 'tokenizer_config.json');
      const template = "{% for m in messages %}{{ m['content'] }}{% endfor %}";
      writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), chat_template: template }));
      return dir;
    };
    const [a, b] = [await chatModel('chat-a', 1), await chatModel('chat-b', 2)];
    const data = join(work, 'data-chat');
    writeSampleData(data);
    const opened = vi.mocked(registry.openEngine);
    opened.mockClear();
    const cells: Array<{ model: string; engine: Engine | undefined }> = [];
    await runSweep({
      models: [`onnx:${a}`, `onnx:${b}`],
      grid: { shots: [0], chatTemplate: [false, true] },
      outputPath: join(work, 'out-chat'),
      base: { tasks: ['winogrande'], data: createDataSource({ dataDir: data }), onWarning: () => {} },
      runCell: async (o: RunOptions) => {
        cells.push({ model: o.model, engine: o.engine });
        return undefined;
      },
    });
    expect(cells.map((c) => c.model)).toEqual([`onnx:${a}`, `onnx:${a}`, `onnx:${b}`, `onnx:${b}`]);
    expect(cells[0]!.engine).toBe(cells[1]!.engine);
    expect(cells[2]!.engine).toBe(cells[3]!.engine);
    // the template check opens a and b; a stays open for its cells; b was closed after the check and opens
    // once more for its own cells
    expect(opened.mock.calls.map(([spec]) => String(spec.args.pretrained ?? ''))).toEqual([a, b, b]);
  });

  it('a run given an open engine leaves it open and counts only its own calls', async () => {
    const model = await tinyModel({ seed: 1 });
    const data = join(work, 'data-stats');
    writeSampleData(data);
    const engine = await openRunEngine({ model: `onnx:${model}`, onWarning: () => {} });
    // an engine with counters, as the remote engine has: one per scoring call
    let calls = 0;
    const scoreBatch = engine.scoreBatch.bind(engine);
    engine.scoreBatch = async (...args) => {
      calls++;
      return scoreBatch(...args);
    };
    engine.stats = () => ({ calls });
    try {
      const run = (): Promise<Record<string, unknown>> =>
        runEvaluation({ model: `onnx:${model}`, engine, tasks: ['winogrande'], data: createDataSource({ dataDir: data }), prefixSharing: false }).then((o) => o.results);
      const stats = (r: Record<string, unknown>): unknown => (r.yardstick as { engine_stats: unknown }).engine_stats;
      const first = await run();
      const afterFirst = calls;
      const second = await run();
      expect(afterFirst).toBeGreaterThan(0);
      expect(stats(first)).toEqual({ calls: afterFirst });
      expect(stats(second)).toEqual({ calls: calls - afterFirst });
      // still open: it scores after both runs
      expect((await engine.scoreBatch([{ input: [5, 17, 42], continuations: [[3]] }]))[0]![0]!.logprob).toBeLessThan(0);
    } finally {
      await engine.close();
    }
  });
});
