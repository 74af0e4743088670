// A uniform model over bytes, for tests that need an engine but no weights: every byte is a token
// and every token costs ln 256 nats, so expected numbers follow by hand.
import type { Engine, EngineFactory, EngineTokenizer } from '../../src/engines/types.js';

export const V = 256;
export const bytes: EngineTokenizer = {
  eosToken: '\0', eosTokenId: 0, padTokenId: 0, source: 'bytes', sha256: 'f'.repeat(64),
  encode: (text) => [...Buffer.from(text, 'utf8')],
  decode: (ids) => Buffer.from(ids).toString('utf8'),
  tokenToId: (t) => (Buffer.byteLength(t) === 1 ? Buffer.from(t)[0] : undefined),
};
/** Registered under `name` (default 'fake'), opened as NAME:ANYTHING. */
export function uniformEngine(name = 'fake'): EngineFactory {
  return {
    name, description: 'uniform over bytes', usage: `${name}:NAME`, args: [{ name: 'pretrained', help: 'any name' }],
    async open(spec): Promise<Engine> {
      return {
        tokenizer: bytes, maxLength: 2048,
        info: { name: spec.args.pretrained ?? name, engine: name, dtype: 'float64',
          fingerprint: { engine: name, engineVersion: '1', weights: 'uniform', tokenizer: bytes.sha256, dtype: 'float64', settings: {} } },
        scoreBatch: async (batch) => batch.map((r) => r.continuations.map((c) => ({
          logprob: -c.length * Math.log(V), isGreedy: false, tokenLogprobs: c.map(() => -Math.log(V)) }))),
        generateBatch: async (batch) => batch.map(() => ({ tokens: [], text: 'x' })),
        close: async () => undefined,
      };
    },
  };
}
