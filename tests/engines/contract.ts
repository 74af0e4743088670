// The engine contract: what every engine behind the seam must do, checked on the tiny model
// against the float64 reference forward (tests/helpers/reference-llama.ts). A new engine joins
// with one line in tests/engines/contract.test.ts: engineContract('name', dir => open(...)).
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { scoreAll } from '../../src/engines/scheduler.js';
import { fingerprintDigest } from '../../src/engines/fingerprint.js';
import { cutAtStops } from '../../src/requests/generation.js';
import { YardstickError } from '../../src/errors.js';
import type { Engine, ScoreRequest } from '../../src/engines/types.js';
import { loadReferenceModel, referenceLogprobs, type ReferenceModel } from '../helpers/reference-llama.js';
import { tinyModel } from '../helpers/tiny-model.js';

const TEXTS = [
  'The quick brown fox jumps over the lazy dog.',
  'In the beginning there was a small model that could barely count.',
  'Numbers like 1234 and 56.78 tokenize into several pieces, which is fine.',
  'Short one.',
  'When the river rose in spring, the people of the valley moved their houses up the hill.',
  'Tokens, tokens, tokens.',
];

export interface ContractOptions {
  /** tolerance against the float64 reference, per token (nats) */
  tolerance?: number;
  /** whether the engine generates (a scoring-only engine skips those checks) */
  generates?: boolean;
}

function argmax(row: Float64Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

export function engineContract(name: string, open: (modelDir: string) => Promise<Engine>, options: ContractOptions = {}): void {
  const tolerance = options.tolerance ?? 1e-4;
  describe(`engine contract: ${name}`, () => {
    let dir: string;
    let engine: Engine;
    let reference: ReferenceModel;
    let requests: ScoreRequest[];

    beforeAll(async () => {
      dir = await tinyModel();
      engine = await open(dir);
      reference = loadReferenceModel(dir);
      requests = TEXTS.map((t, i) => {
        const ids = engine.tokenizer.encode(t, true);
        const split = Math.max(1, Math.floor(ids.length * (0.3 + 0.1 * i)));
        return { input: ids.slice(0, -1), continuation: ids.slice(split) };
      });
    }, 120_000);

    afterAll(async () => {
      await engine?.close();
    });

    it('scores every continuation token within tolerance of the float64 reference', async () => {
      const results = await scoreAll(engine, requests, 4);
      let worst = 0;
      results.forEach((res, i) => {
        const r = requests[i]!;
        const rows = referenceLogprobs(reference, r.input);
        const L = r.input.length;
        let sum = 0;
        r.continuation.forEach((t, k) => {
          const expected = rows[L - r.continuation.length + k]![t]!;
          sum += expected;
          worst = Math.max(worst, Math.abs(expected - res.tokenLogprobs[k]!));
        });
        expect(Math.abs(sum - res.logprob)).toBeLessThan(tolerance * r.continuation.length);
        const greedy = r.continuation.every((t, k) => argmax(rows[L - r.continuation.length + k]!) === t);
        expect(res.isGreedy).toBe(greedy);
      });
      expect(worst).toBeLessThan(tolerance);
    });

    it('gives the same scores whatever the batch size', async () => {
      const one = await scoreAll(engine, requests, 1);
      const all = await scoreAll(engine, requests, requests.length);
      one.forEach((r, i) => {
        expect(Math.abs(r.logprob - all[i]!.logprob)).toBeLessThan(1e-5);
        expect(r.isGreedy).toBe(all[i]!.isGreedy);
      });
    });

    it('scores inputs sharing a prefix the same with and without prefix sharing', async () => {
      const block = engine.tokenizer.encode(`${TEXTS.join(' ')}\n\n`, true);
      const shared: ScoreRequest[] = TEXTS.map((t) => {
        const ids = [...block, ...engine.tokenizer.encode(t, false)];
        return { input: ids.slice(0, -1), continuation: ids.slice(-2) };
      });
      const plain = await scoreAll(engine, shared, { batchSize: 4, prefixSharing: false });
      const sharing = await scoreAll(engine, shared, { batchSize: 4, prefixSharing: true });
      sharing.forEach((r, i) => {
        expect(Math.abs(r.logprob - plain[i]!.logprob)).toBeLessThan(1e-5);
        expect(r.isGreedy).toBe(plain[i]!.isGreedy);
      });
      if (engine.scoreSharedPrefix) {
        // called directly, top alternatives included
        const inputs = shared.slice(0, 3).map((r) => ({ input: r.input, continuations: [r.continuation], topLogprobs: 3 }));
        const direct = await engine.scoreSharedPrefix(block, inputs);
        const full = await engine.scoreBatch(inputs);
        direct.forEach((row, b) => {
          expect(Math.abs(row[0]!.logprob - full[b]![0]!.logprob)).toBeLessThan(1e-5);
          expect(row[0]!.topLogprobs?.map((p) => p.map((x) => x.token))).toEqual(full[b]![0]!.topLogprobs?.map((p) => p.map((x) => x.token)));
        });
      }
    });

    it('carries a complete fingerprint that is stable across opens', async () => {
      const fp = engine.info.fingerprint;
      expect(fp.engine).toBeTruthy();
      expect(fp.engineVersion).toBeTruthy();
      expect(fp.weights).toMatch(/^[0-9a-f]{64}$|^[^\s]+$/);
      expect(fp.tokenizer).toMatch(/^[0-9a-f]{64}$/);
      expect(fp.tokenizer).toBe(engine.tokenizer.sha256);
      const again = await open(dir);
      try {
        expect(fingerprintDigest(again.info.fingerprint)).toBe(fingerprintDigest(fp));
      } finally {
        await again.close();
      }
      const other = await open(await tinyModel({ seed: 2 }));
      try {
        expect(other.info.fingerprint.weights).not.toBe(fp.weights);
      } finally {
        await other.close();
      }
    }, 120_000);

    if (options.generates !== false) {
      it('generates the greedy continuation and honours stop strings', async () => {
        const context = engine.tokenizer.encode('Once upon a time', true);
        const n = 12;
        const seq = [...context];
        for (let k = 0; k < n; k++) seq.push(argmax(referenceLogprobs(reference, seq).at(-1)!));
        const expectedTokens = seq.slice(context.length);
        const expectedText = engine.tokenizer.decode(expectedTokens, true);
        const [plain] = await engine.generateBatch([{ input: context, maxNewTokens: n, until: [] }]);
        const text = plain!.text ?? engine.tokenizer.decode(plain!.tokens, true);
        if (plain!.tokens.length > 0) expect(plain!.tokens).toEqual(expectedTokens);
        expect(text).toBe(expectedText);

        const stop = expectedText.slice(Math.floor(expectedText.length / 2), Math.floor(expectedText.length / 2) + 2);
        expect(stop.trim()).not.toBe('');
        const [stopped] = await engine.generateBatch([{ input: context, maxNewTokens: n, until: [stop] }]);
        const stoppedText = stopped!.text ?? engine.tokenizer.decode(stopped!.tokens, true);
        expect(cutAtStops(stoppedText, [stop])).toBe(cutAtStops(expectedText, [stop]));
        expect(stopped!.tokens.length).toBeLessThanOrEqual(n);
      });
    }

    it('refuses token ids outside the vocabulary with a clear error', async () => {
      const huge = 10_000_000;
      await expect(engine.scoreBatch([{ input: [1, huge], continuations: [[1]] }])).rejects.toBeInstanceOf(YardstickError);
      await expect(engine.scoreBatch([{ input: [1, 2], continuations: [[-1]] }])).rejects.toBeInstanceOf(YardstickError);
    });

    it('releases everything on close, refuses later calls, and closes twice safely', async () => {
      const mine = await open(dir);
      await mine.close();
      await mine.close();
      await expect(mine.scoreBatch([{ input: requests[0]!.input, continuations: [requests[0]!.continuation] }])).rejects.toThrow(/closed/);
    });
  });
}
