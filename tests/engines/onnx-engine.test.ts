// The ONNX engine against an independent float64 reference forward pass (tests/helpers), and
// batch invariance of its scores.
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync, cpSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as ort from 'onnxruntime-node';
import { OnnxEngine } from '../../src/engines/onnx/engine.js';
import { scoreAll } from '../../src/engines/scheduler.js';
import type { ScoreRequest } from '../../src/engines/types.js';
import { referenceContinuationLogprobs, referenceLogprobs, type ReferenceModel } from '../helpers/reference-llama.js';
import { openTinyOnnx, tinyModel } from '../helpers/tiny-model.js';
import { YardstickError } from '../../src/errors.js';

let dir: string;
let engine: OnnxEngine;
let reference: ReferenceModel;

beforeAll(async () => {
  ({ dir, engine, reference } = await openTinyOnnx());
});

/** Requests of varied lengths from real text, so batches need padding. */
function requests(): ScoreRequest[] {
  const texts = [
    'The quick brown fox jumps over the lazy dog.',
    'In the beginning there was a small model that could barely count.',
    'A',
    'Numbers like 1234 and 56.78 tokenize into several pieces, which is fine.',
    'She said, "hello there" and walked away into the evening light.',
    'Short one.',
    'Evaluation harnesses should give the same numbers as each other, every time, on every machine.',
    'Tokens, tokens, tokens.',
    'When the river rose in spring, the people of the valley moved their houses up the hill and waited for the water to go down again.',
    'Every benchmark number should come with its standard error; otherwise nobody can tell a real difference from noise.',
  ];
  return texts.map((t, i) => {
    const ids = engine.tokenizer.encode(t, true);
    const split = Math.max(1, Math.floor(ids.length * (0.3 + 0.05 * i)));
    return { input: ids.slice(0, -1), continuation: ids.slice(split) };
  });
}

const referenceScore = (r: ScoreRequest): number[] => referenceContinuationLogprobs(reference, r.input, r.continuation);

describe('OnnxEngine', () => {
  it('matches the float64 reference within 1e-4 nats on every position, in padded batches', async () => {
    // score every position of every text (continuation = all but the first token)
    const reqs = requests().map((r) => ({ input: r.input, continuation: [...r.input.slice(1), r.continuation.at(-1)!] }));
    const results = await scoreAll(engine, reqs, 8);
    let positions = 0;
    let worst = 0;
    results.forEach((res, i) => {
      const expected = referenceScore(reqs[i]!);
      expected.forEach((e, k) => {
        worst = Math.max(worst, Math.abs(e - res.tokenLogprobs[k]!));
        positions++;
      });
    });
    expect(positions).toBeGreaterThanOrEqual(200);
    expect(worst).toBeLessThan(1e-4);
  });

  it('runs the LM head on scored rows only, within 1e-6 nats of a [batch, seq, vocab] graph and 1e-4 of the reference', async () => {
    const legacy = await OnnxEngine.load(await tinyModel({ allLogits: true }));
    try {
      // the older folder has no score_positions input and keeps today's path
      expect(legacy.info.fingerprint.weights).not.toBe(engine.info.fingerprint.weights);
      // several continuations of different lengths on one input, in a padded batch
      const inputs = requests().map((r, i) => ({
        input: r.input,
        continuations: [r.continuation, r.continuation.slice(-1), r.input.slice(-Math.min(r.input.length, 1 + (i % 4)))],
      }));
      const ours = await engine.scoreBatch(inputs);
      const theirs = await legacy.scoreBatch(inputs);
      let compared = 0;
      inputs.forEach((r, b) =>
        r.continuations.forEach((continuation, j) => {
          const got = ours[b]![j]!;
          expect(Math.abs(got.logprob - theirs[b]![j]!.logprob)).toBeLessThan(1e-6);
          expect(got.isGreedy).toBe(theirs[b]![j]!.isGreedy);
          const expected = referenceScore({ input: r.input, continuation });
          expected.forEach((e, k) => expect(Math.abs(e - got.tokenLogprobs[k]!)).toBeLessThan(1e-4));
          compared++;
        }),
      );
      expect(compared).toBe(30);
    } finally {
      await legacy.close();
    }
  });

  it('scores after a shared prefix and generates on the with-past graph the same with or without score_positions', async () => {
    const legacyDir = await tinyModel({ allLogits: true });
    // the older graph returns the grown cache (present.*), today's the new keys and values alone (new.*),
    // so generation runs once with the graph's cache and once with the engine's own
    const outputs = async (folder: string): Promise<readonly string[]> => {
      const session = await ort.InferenceSession.create(join(folder, 'onnx', 'model_with_past.onnx'));
      const names = session.outputNames;
      await session.release();
      return names;
    };
    expect(await outputs(legacyDir)).toContain('present.0.key');
    expect(await outputs(dir)).toContain('new.0.key');
    const legacy = await OnnxEngine.load(legacyDir);
    try {
      const prefix = engine.tokenizer.encode('Every benchmark number should come with its standard error, and every prompt with its source.', true);
      const rests = requests().map((r) => r.input.slice(1, 12)).filter((rest) => rest.length >= 4);
      const inputs = rests.map((rest, i) => ({
        input: [...prefix, ...rest],
        continuations: [rest.slice(-1 - (i % 3)), rest.slice(-1)],
      }));
      const ours = await engine.scoreSharedPrefix(prefix, inputs, { padTo: 16 });
      const theirs = await legacy.scoreSharedPrefix(prefix, inputs, { padTo: 16 });
      inputs.forEach((r, b) =>
        r.continuations.forEach((continuation, j) => {
          expect(Math.abs(ours[b]![j]!.logprob - theirs[b]![j]!.logprob)).toBeLessThan(1e-6);
          const expected = referenceScore({ input: r.input, continuation });
          expected.forEach((e, k) => expect(Math.abs(e - ours[b]![j]!.tokenLogprobs[k]!)).toBeLessThan(1e-4));
        }),
      );
      // rows of one batch stop after different numbers of tokens and leave it
      const gen = requests().slice(0, 6).map((r, i) => ({ input: r.input, maxNewTokens: 2 + 3 * i, until: [] }));
      const a = await engine.generateBatch(gen);
      const c = await legacy.generateBatch(gen);
      expect(a.map((x) => x.tokens.length)).toEqual(gen.map((g) => g.maxNewTokens));
      expect(a.map((x) => x.tokens)).toEqual(c.map((x) => x.tokens));
    } finally {
      await legacy.close();
    }
  });

  it('gives the same scores with batch size 1 and 16', async () => {
    const reqs = requests();
    const one = await scoreAll(engine, reqs, 1);
    const sixteen = await scoreAll(engine, reqs, 16);
    one.forEach((r, i) => {
      expect(Math.abs(r.logprob - sixteen[i]!.logprob)).toBeLessThan(1e-5);
      expect(r.isGreedy).toBe(sixteen[i]!.isGreedy);
    });
  });

  it('flags greedy continuations', async () => {
    const ids = engine.tokenizer.encode('Once upon a time', true);
    // extend greedily using the reference model's argmax
    const seq = [...ids];
    for (let k = 0; k < 3; k++) {
      const row = referenceLogprobs(reference, seq).at(-1)!;
      seq.push(row.indexOf(Math.max(...row)));
    }
    const greedy = (await engine.scoreBatch([{ input: seq.slice(0, -1), continuations: [seq.slice(ids.length)] }]))[0]![0];
    expect(greedy!.isGreedy).toBe(true);
    const wrong = (seq.at(-1)! + 1) % engine.vocab;
    const notGreedy = (await engine.scoreBatch([{ input: seq.slice(0, -1), continuations: [[...seq.slice(ids.length, -1), wrong]] }]))[0]![0];
    expect(notGreedy!.isGreedy).toBe(false);
  });

  it('rejects a corrupt ONNX file and a missing folder with one clear line', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'yardstick-broken-')), 'model');
    cpSync(dir, broken, { recursive: true });
    writeFileSync(join(broken, 'onnx', 'model.onnx'), 'not a protobuf at all');
    await expect(OnnxEngine.load(broken)).rejects.toThrow(/cannot load ONNX model .*model\.onnx/);
    await expect(OnnxEngine.load(join(broken, 'nope'))).rejects.toBeInstanceOf(YardstickError);
    mkdirSync(join(broken, 'empty'));
    await expect(OnnxEngine.load(join(broken, 'empty'))).rejects.toThrow(/no config.json/);
  });
});

describe('scheduler', () => {
  it('scores requests that share an input in one forward pass, with the same results', async () => {
    const ctx = engine.tokenizer.encode('The answer to the question is', true);
    // four one-token answers after the same context, like MMLU's ' A'..' D'
    const answers = [[65], [66], [67], [68]];
    const reqs = answers.map((a) => ({ input: ctx, continuation: a }));
    let passes = 0;
    const counting = {
      ...engine,
      tokenizer: engine.tokenizer,
      maxLength: engine.maxLength,
      info: engine.info,
      scoreBatch: (batch: Parameters<typeof engine.scoreBatch>[0]) => {
        passes += batch.length;
        return engine.scoreBatch(batch);
      },
      generateBatch: engine.generateBatch.bind(engine),
      close: engine.close.bind(engine),
    };
    const shared = await scoreAll(counting, reqs, 1);
    expect(passes).toBe(1);
    const row = referenceLogprobs(reference, ctx).at(-1)!;
    shared.forEach((r, i) => expect(Math.abs(r.logprob - row[answers[i]![0]!]!)).toBeLessThan(1e-4));
  });
});
