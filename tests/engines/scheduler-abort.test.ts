// SIGINT/SIGTERM reach the scheduler as an aborted signal: the batch in flight finishes, no new
// batch starts, and RunInterrupted (not a task failure) carries the signal's exit code.
import { describe, expect, it } from 'vitest';
import { generateAll, scoreAll } from '../../src/engines/scheduler.js';
import { RunInterrupted } from '../../src/errors.js';
import type { Engine, ScoreInput } from '../../src/engines/types.js';

function countingEngine(onBatch: () => void): { engine: Engine; batches: () => number } {
  let batches = 0;
  const engine = {
    maxLength: 64,
    info: { name: 'count', engine: 'count', dtype: 'f64', fingerprint: { engine: 'count', engineVersion: '1', weights: 'w', tokenizer: 't', dtype: 'f64', settings: {} } },
    tokenizer: {} as Engine['tokenizer'],
    async scoreBatch(batch: ScoreInput[]) {
      batches++;
      onBatch();
      return batch.map((b) => b.continuations.map(() => ({ logprob: -1, isGreedy: false, tokenLogprobs: [] })));
    },
    async generateBatch(batch: Array<{ input: number[] }>) {
      batches++;
      onBatch();
      return batch.map(() => ({ tokens: [1] }));
    },
    async close() {},
  } as Engine;
  return { engine, batches: () => batches };
}

describe('scheduler abort', () => {
  const requests = Array.from({ length: 10 }, (_, i) => ({ input: [i + 1], continuation: [1] }));

  it('finishes the current scoring batch, starts no other, and throws RunInterrupted(SIGINT)', async () => {
    const controller = new AbortController();
    const { engine, batches } = countingEngine(() => controller.abort('SIGINT'));
    const e = await scoreAll(engine, requests, 2, undefined, undefined, controller.signal).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RunInterrupted);
    expect((e as RunInterrupted).exitCode).toBe(130);
    expect(batches()).toBe(1);
  });

  it('SIGTERM stops generation between batches with exit code 143', async () => {
    const controller = new AbortController();
    let n = 0;
    const { engine, batches } = countingEngine(() => ++n === 2 && controller.abort('SIGTERM'));
    const e = await generateAll(engine, requests.map((r) => ({ input: r.input, until: [], maxNewTokens: 1 })) as never, 3, undefined, undefined, controller.signal).catch((x: unknown) => x);
    expect((e as RunInterrupted).exitCode).toBe(143);
    expect(batches()).toBe(2);
  });

  it('without an abort, every batch runs', async () => {
    const { engine, batches } = countingEngine(() => {});
    expect(await scoreAll(engine, requests, 3, undefined, undefined, new AbortController().signal)).toHaveLength(10);
    expect(batches()).toBe(4);
  });
});
