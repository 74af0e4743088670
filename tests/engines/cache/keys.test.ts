// Request keys and stored values: every float64 bit survives the file (NaN, -0, subnormals,
// infinities included), and every field of a request that changes the answer changes its key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../../src/engines/cache/index.js';
import { decodeScore, encodeScore, generateKey, scoreKey } from '../../../src/engines/cache/keys.js';
import type { GenerateRequest, ModelInfo, ScoreResult } from '../../../src/engines/types.js';

const dir = mkdtempSync(join(tmpdir(), 'yardstick-cache-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The 64 bits of a double, so comparisons see -0 vs 0. Every NaN reads as one value: V8 may
 *  canonicalise a NaN's sign and payload whenever an array changes its element kind, so JS numbers
 *  cannot promise NaN bits (the stored bytes do keep them, see the first test). */
function bits(x: number): bigint {
  if (Number.isNaN(x)) return -1n;
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0);
}

function fromBits(b: bigint): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setBigUint64(0, b);
  return v.getFloat64(0);
}

// values an SQLite REAL would not keep: NaN (stored as NULL), -0 (stored as integer 0)
const awkward = [
  -0,
  0,
  Number.NaN,
  fromBits(0xfff8_0000_0000_0000n), // x86's default NaN, sign bit set
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE, // smallest subnormal
  -2.2250738585072014e-308,
  0.1 + 0.2,
  -1234.5678901234567,
  Math.log(1e-300),
  -Number.MAX_VALUE,
];

const model: ModelInfo = {
  name: 'm',
  engine: 'test',
  dtype: 'float32',
  fingerprint: { engine: 'test', engineVersion: '1', weights: 'w', tokenizer: 't', dtype: 'float32', settings: { max_length: 16 } },
};

describe('stored scores', () => {
  it('round-trip every bit of logprob and tokenLogprobs through the encoding', () => {
    const r: ScoreResult = { logprob: -0, isGreedy: true, tokenLogprobs: awkward };
    const stored = encodeScore(r);
    const words = Array.from({ length: stored.length / 8 }, (_, i) => stored.readBigUInt64LE(i * 8));
    expect(words[4]).toBe(0xfff8_0000_0000_0000n); // the NaN's sign bit is in the file
    expect(words.map((w) => bits(fromBits(w)))).toEqual([-0, ...awkward].map(bits));
    const back = decodeScore(stored, 1)!;
    expect(bits(back.logprob)).toBe(bits(-0));
    expect(back.tokenLogprobs.map(bits)).toEqual(awkward.map(bits));
    expect(back.isGreedy).toBe(true);
  });

  it('round-trip every bit through the SQLite file, after closing and reopening it', () => {
    const path = join(dir, 'bits.sqlite');
    const results = awkward.map((x, i): ScoreResult => ({ logprob: x, isGreedy: i % 2 === 0, tokenLogprobs: [x, -x, 0.5 * i] }));
    const requests = awkward.map((_, i) => ({ input: [1, 2, 3 + i], continuation: [4, 5, 6] }));
    const writer = ResponseCache.open(path);
    writer.forModel(model).putScores(requests.map((request, i) => ({ request, result: results[i]! })));
    writer.close();
    const reader = ResponseCache.open(path);
    const got = reader.forModel(model).getScores(requests);
    reader.close();
    got.forEach((g, i) => {
      expect(bits(g!.logprob)).toBe(bits(results[i]!.logprob));
      expect(g!.tokenLogprobs.map(bits)).toEqual(results[i]!.tokenLogprobs.map(bits));
      expect(g!.isGreedy).toBe(results[i]!.isGreedy);
    });
  });

  it('refuse a value of impossible size instead of reading garbage', () => {
    expect(decodeScore(Buffer.alloc(12), 0)).toBeUndefined();
    expect(decodeScore(Buffer.alloc(0), 0)).toBeUndefined();
    expect(decodeScore(Buffer.alloc(8), 2)).toBeUndefined();
  });
});

describe('request keys', () => {
  it('tell apart requests whose token streams concatenate equally', () => {
    expect(scoreKey({ input: [1, 2], continuation: [3] }).equals(scoreKey({ input: [1], continuation: [2, 3] }))).toBe(false);
    expect(scoreKey({ input: [1, 2], continuation: [3] }).equals(scoreKey({ input: [1, 2], continuation: [3] }))).toBe(true);
    expect(scoreKey({ input: [1, 2], continuation: [3] }).equals(scoreKey({ input: [2, 1], continuation: [3] }))).toBe(false);
  });

  it('change with every generation setting', () => {
    const base: GenerateRequest = { input: [5, 6, 7], maxNewTokens: 32, until: ['\n\n', '</s>'] };
    const variants: GenerateRequest[] = [
      { ...base, input: [5, 6, 8] },
      { ...base, maxNewTokens: 33 },
      { ...base, until: ['\n\n'] },
      { ...base, until: ['</s>', '\n\n'] },
      { ...base, sampling: { doSample: false } },
      { ...base, sampling: { doSample: true, temperature: 0.7 } },
      { ...base, sampling: { doSample: true, temperature: 0.7, topP: 0.9 } },
      { ...base, sampling: { doSample: true, temperature: 0.7, topK: 40 } },
      { ...base, sampling: { doSample: true, temperature: 0.7, seed: 1 } },
    ];
    const keys = [base, ...variants].map((r) => generateKey(r).toString('hex'));
    expect(new Set(keys).size).toBe(keys.length);
    expect(generateKey({ ...base, until: [...base.until] }).toString('hex')).toBe(keys[0]);
    // a scoring request over the same ids never shares a generation request's key
    expect(scoreKey({ input: base.input, continuation: [] }).toString('hex')).not.toBe(keys[0]);
  });
});
