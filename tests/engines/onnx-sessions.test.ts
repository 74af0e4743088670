// The ONNX engine keeps one ORT session open at a time across scoring and generation (reopening the
// other on demand), but both while scoring interleaves plain batches and batches after a shared prefix;
// switching back and forth must not change a single score or generated token.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as ort from 'onnxruntime-node';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import type { GenerateRequest, ScoreInput } from '../../src/engines/types.js';
import { tinyModel } from '../helpers/tiny-model.js';

let dir: string;

beforeAll(async () => {
  dir = await tinyModel();
});

function inputs(engine: OnnxEngine): { score: ScoreInput[]; generate: GenerateRequest[] } {
  const a = engine.tokenizer.encode('The river rose in spring and the people moved up the hill.', true);
  const b = engine.tokenizer.encode('Short one.', true);
  return {
    score: [
      { input: a.slice(0, -1), continuations: [a.slice(-3), a.slice(-1)] },
      { input: b.slice(0, -1), continuations: [b.slice(-2)] },
    ],
    generate: [
      { input: a.slice(0, 6), maxNewTokens: 8, until: [] },
      { input: b, maxNewTokens: 5, until: [] },
    ],
  };
}

describe('OnnxEngine sessions', () => {
  it('scores and generates the same after switching between scoring and generation', async () => {
    // expected values: engines that only ever score, or only ever generate
    const scorer = await OnnxEngine.load(dir);
    const { score, generate } = inputs(scorer);
    const expectedScores = await scorer.scoreBatch(score);
    await scorer.close();
    const generator = await OnnxEngine.load(dir);
    const expectedTokens = await generator.generateBatch(generate);
    await generator.close();

    const engine = await OnnxEngine.load(dir);
    expect(await engine.scoreBatch(score)).toEqual(expectedScores);
    expect(await engine.generateBatch(generate)).toEqual(expectedTokens);
    expect(await engine.scoreBatch(score)).toEqual(expectedScores);
    expect(await engine.generateBatch(generate)).toEqual(expectedTokens);
    await engine.close();
    await engine.close(); // closing twice is harmless
  });

  it('gives the same results when scoring and generation calls overlap', async () => {
    const engine = await OnnxEngine.load(dir);
    const { score, generate } = inputs(engine);
    const expectedScores = await engine.scoreBatch(score);
    const expectedTokens = await engine.generateBatch(generate);
    const [s1, g1, s2, g2] = await Promise.all([
      engine.scoreBatch(score),
      engine.generateBatch(generate),
      engine.scoreBatch(score),
      engine.generateBatch(generate),
    ]);
    expect([s1, s2]).toEqual([expectedScores, expectedScores]);
    expect([g1, g2]).toEqual([expectedTokens, expectedTokens]);
    await engine.close();
  });

  it('keeps both sessions open while scoring with and without a shared prefix, and releases the scorer for generation', async () => {
    const engine = await OnnxEngine.load(dir);
    const { score, generate } = inputs(engine);
    const prefix = score[0]!.input.slice(0, 4);
    const afterPrefix: ScoreInput[] = [{ input: score[0]!.input, continuations: [score[0]!.continuations[1]!] }];
    const create = vi.spyOn(ort.InferenceSession, 'create');
    try {
      for (let i = 0; i < 3; i++) {
        await engine.scoreBatch(score);
        await engine.scoreSharedPrefix!(prefix, afterPrefix);
      }
      // the with-past session opened once; the scoring session was never reopened
      expect(create).toHaveBeenCalledTimes(1);
      await engine.generateBatch(generate);
      await engine.scoreBatch(score);
      // generation released the scoring session, so scoring opened it again
      expect(create).toHaveBeenCalledTimes(2);
    } finally {
      create.mockRestore();
      await engine.close();
    }
  });
});
