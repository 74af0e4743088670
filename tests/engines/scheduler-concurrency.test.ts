// The scheduler keeps up to `engine.concurrency` batches in flight (remote engines want several) and
// still returns results in request order; one failing batch fails the call after the others settle.
import { describe, expect, it } from 'vitest';
import { generateAll, scoreAll } from '../../src/engines/scheduler.js';
import type { Engine, ScoreInput } from '../../src/engines/types.js';

function slowEngine(concurrency: number, failOn?: number): { engine: Engine; peak: () => number } {
  let active = 0;
  let peak = 0;
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const engine = {
    concurrency,
    maxLength: 64,
    info: { name: 'slow', engine: 'slow', dtype: 'f64', fingerprint: { engine: 'slow', engineVersion: '1', weights: 'w', tokenizer: 't', dtype: 'f64', settings: {} } },
    tokenizer: {} as Engine['tokenizer'],
    async scoreBatch(batch: ScoreInput[]) {
      active++;
      peak = Math.max(peak, active);
      await wait(15);
      active--;
      if (batch.some((b) => b.input[0] === failOn)) throw new Error('boom');
      // the log-prob encodes the request, so order can be checked
      return batch.map((b) => b.continuations.map((c) => ({ logprob: -(b.input[0]! * 100 + c[0]!), isGreedy: false, tokenLogprobs: [] })));
    },
    async generateBatch(batch: Array<{ input: number[] }>) {
      active++;
      peak = Math.max(peak, active);
      await wait(15);
      active--;
      return batch.map((b) => ({ tokens: [b.input[0]!] }));
    },
    async close() {},
  } as Engine;
  return { engine, peak: () => peak };
}

describe('scheduler concurrency', () => {
  const requests = Array.from({ length: 12 }, (_, i) => ({ input: [i + 1], continuation: [i % 3] }));

  it('keeps at most `concurrency` batches in flight and returns results in request order', async () => {
    const { engine, peak } = slowEngine(3);
    const results = await scoreAll(engine, requests, 2);
    expect(results.map((r) => r.logprob)).toEqual(requests.map((r) => -(r.input[0]! * 100 + r.continuation[0]!)));
    expect(peak()).toBe(3);
    const gen = await generateAll(engine, requests.map((r) => ({ input: r.input, maxNewTokens: 1, until: [] })), 2);
    expect(gen.map((g) => g.tokens[0])).toEqual(requests.map((r) => r.input[0]));
  });

  it('runs one batch at a time by default', async () => {
    const { engine, peak } = slowEngine(undefined as unknown as number);
    await scoreAll(engine, requests, 2);
    expect(peak()).toBe(1);
  });

  it('fails the call when a batch fails', async () => {
    const { engine } = slowEngine(4, 5);
    await expect(scoreAll(engine, requests, 2)).rejects.toThrow('boom');
  });
});
