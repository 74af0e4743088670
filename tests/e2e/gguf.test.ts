// GGUF end to end on the bundled sample documents. In process: requests for lambada_openai,
// winogrande and sst2 come from the real task and request builder with the GGUF tokenizer, and every
// request's log-prob from the f32 GGUF is checked against the ONNX engine and the float64 reference.
// Through the CLI (bin/yardstick.js -> dist/, build first): `--model gguf:FILE` gives the ONNX run's
// per-sample log-likelihoods and records the llama.cpp engine and the GGUF tokenizer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEngine } from '../../src/engines/registry.js';
import { ggufEngineFactory } from '../../src/engines/llamacpp/factory.js';
import { onnxEngineFactory } from '../../src/engines/onnx/factory.js';
import type { Engine, EngineFactory, ScoreInput, ScoreResult } from '../../src/engines/types.js';
import { runEvaluation } from '../../src/run.js';
import { sampleSplits, writeSampleData } from '../../src/demo/sample-docs.js';
import { memorySource } from '../helpers/memory-source.js';
import { runCli } from '../helpers/cli.js';
import { tinyGgufModel } from '../helpers/gguf-model.js';
import { loadReferenceModel, referenceContinuationLogprob } from '../helpers/reference-llama.js';
import { readResults, readSamples, runFolder } from '../helpers/run-output.js';

const TASKS = ['lambada_openai', 'winogrande', 'sst2'];
let dir: string;
let work: string;

interface Recorded {
  input: ScoreInput;
  results: ScoreResult[];
}

/** A factory that opens `base` and keeps every scored batch. */
function recording(base: EngineFactory, name: string, into: Recorded[]): EngineFactory {
  return {
    ...base,
    name,
    async open(spec, options) {
      const engine: Engine = await base.open(spec, options);
      return {
        info: engine.info,
        tokenizer: engine.tokenizer,
        maxLength: engine.maxLength,
        async scoreBatch(batch) {
          const results = await engine.scoreBatch(batch);
          batch.forEach((input, i) => into.push({ input, results: results[i]! }));
          return results;
        },
        generateBatch: (batch) => engine.generateBatch(batch),
        close: () => engine.close(),
      };
    },
  };
}

beforeAll(async () => {
  dir = await tinyGgufModel();
  work = mkdtempSync(join(tmpdir(), 'yardstick-gguf-e2e-'));
  process.env.YARDSTICK_CACHE = join(work, 'cache');
});

afterAll(() => {
  delete process.env.YARDSTICK_CACHE;
});

describe('gguf engine on the seed tasks', () => {
  it('builds the ONNX run\'s requests and matches ONNX and the float64 reference within 1e-4 nats per request', async () => {
    const data = memorySource(Object.fromEntries(sampleSplits().map((s) => [`${s.path}/${s.name}/${s.split}`, s.docs])));
    const viaGguf: Recorded[] = [];
    const viaOnnx: Recorded[] = [];
    const undo = [registerEngine(recording(ggufEngineFactory, 'gguf-recorded', viaGguf)), registerEngine(recording(onnxEngineFactory, 'onnx-recorded', viaOnnx))];
    try {
      const gguf = await runEvaluation({ model: `gguf-recorded:${join(dir, 'model.gguf')}`, modelArgs: 'threads=1', tasks: TASKS, data, batchSize: 4 });
      await runEvaluation({ model: `onnx-recorded:${dir}`, modelArgs: 'threads=1', tasks: TASKS, data, batchSize: 4 });
      expect(gguf.run.failed).toEqual([]);
      expect((gguf.results.yardstick as Record<string, unknown>).tokenizer).toBe('gguf');
      expect((gguf.results.yardstick as Record<string, unknown>).engine).toBe('llamacpp');
    } finally {
      undo.forEach((u) => u());
    }
    // the GGUF tokenizer built exactly the requests the Hugging Face tokenizer built
    const key = (r: Recorded) => `${r.input.input.join(',')}|${r.input.continuations.map((c) => c.join(',')).join(';')}`;
    expect(viaGguf.map(key).sort()).toEqual(viaOnnx.map(key).sort());
    expect(viaGguf.length).toBeGreaterThan(40);

    const onnx = new Map(viaOnnx.map((r) => [key(r), r.results]));
    const reference = loadReferenceModel(dir);
    let worstOnnx = 0;
    let worstReference = 0;
    for (const r of viaGguf) {
      r.input.continuations.forEach((c, j) => {
        const expected = referenceContinuationLogprob(reference, r.input.input, c);
        worstReference = Math.max(worstReference, Math.abs(r.results[j]!.logprob - expected));
        worstOnnx = Math.max(worstOnnx, Math.abs(r.results[j]!.logprob - onnx.get(key(r))![j]!.logprob));
        expect(r.results[j]!.isGreedy).toBe(onnx.get(key(r))![j]!.isGreedy);
      });
    }
    expect(worstReference).toBeLessThan(1e-4);
    expect(worstOnnx).toBeLessThan(1e-4);
  });
});

describe('yardstick run --model gguf:FILE', () => {
  const samples = (out: string, task: string): Array<Record<string, unknown>> => readSamples(runFolder(out), task);

  it("gives the ONNX run's log-likelihoods per sample and records engine and tokenizer", () => {
    const data = join(work, 'data');
    writeSampleData(data);
    const env = { YARDSTICK_CACHE: join(work, 'cli-cache') };
    const run = (model: string, out: string) =>
      runCli(['run', '--model', model, '--model-args', 'threads=1', '--tasks', TASKS.join(','), '--data-dir', data, '--output-path', join(work, out), '--log-samples'], { env });
    const g = run(`gguf:${join(dir, 'model.gguf')}`, 'gguf');
    expect(g.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(g.code).toBe(0);
    expect(g.stdout).toMatch(/^gguf \(threads=1,pretrained=.*model\.gguf\)/m);
    const o = run(`onnx:${dir}`, 'onnx');
    expect(o.code).toBe(0);
    let compared = 0;
    for (const task of TASKS) {
      const a = samples(join(work, 'gguf'), task);
      const b = samples(join(work, 'onnx'), task);
      expect(a.length).toBe(b.length);
      a.forEach((s, i) => {
        const la = (s.resps as Array<Array<[string, boolean]>>).map((r) => Number(r[0]![0]));
        const lb = (b[i]!.resps as Array<Array<[string, boolean]>>).map((r) => Number(r[0]![0]));
        la.forEach((v, k) => expect(Math.abs(v - lb[k]!)).toBeLessThan(1e-4));
        compared += la.length;
      });
    }
    expect(compared).toBeGreaterThan(40);
    const results = readResults(runFolder(join(work, 'gguf'))) as Record<string, Record<string, unknown>>;
    expect(results.yardstick!.tokenizer).toBe('gguf');
    expect((results.yardstick!.model_fingerprint as Record<string, unknown>).engine).toBe('llamacpp');
  });
});

