// runSettings: BOS policy and numeric settings read from lm-eval (v0.4.x and HEAD schemas) and yardstick
// results JSON; settingDifferences in words.
import { describe, expect, it } from 'vitest';
import { runSettings, settingDifferences, type ResultsJson } from '../../src/parity/index.js';
import { parseModelArgs, versionAtMost } from '../../src/parity/settings.js';

const lmEval = (version: string | null, modelArgs: unknown, extra: Record<string, unknown> = {}): ResultsJson =>
  ({ results: {}, config: { model_args: modelArgs, model_dtype: 'torch.float32', batch_size: '1', bootstrap_iters: 100000 }, lm_eval_version: version, max_length: 2048, ...extra }) as ResultsJson;

describe('runSettings', () => {
  it('lm-eval ≤ 0.4.9.1 without add_bos_token: no BOS', () => {
    const s = runSettings(lmEval('0.4.9.1', 'pretrained=meta-llama/Llama-2-7b-hf,dtype=float32'));
    expect(s).toMatchObject({ tool: 'lm-eval', bos: 'never', maxLength: 2048, dtype: 'torch.float32', batchSize: '1' });
    expect(s.bosSource).toBe('add_bos_token unset; lm-eval 0.4.9.1 adds no BOS by default (≤ 0.4.9.1)');
  });

  it('lm-eval ≤ 0.4.9.1 with a Gemma model: BOS forced', () => {
    expect(runSettings(lmEval('0.4.8', 'pretrained=google/gemma-2b')).bos).toBe('always');
  });

  it('lm-eval ≥ 0.4.9.2 without add_bos_token: the tokenizer decides', () => {
    expect(runSettings(lmEval('0.4.9.2', { pretrained: 'x' })).bos).toBe('tokenizer');
    expect(runSettings(lmEval('0.4.13.dev0', { pretrained: 'x' })).bos).toBe('tokenizer');
  });

  it('add_bos_token in model_args wins over the version default', () => {
    expect(runSettings(lmEval('0.4.9', 'pretrained=x,add_bos_token=True')).bos).toBe('always');
    expect(runSettings(lmEval('0.4.13', { pretrained: 'x', add_bos_token: 'False' })).bos).toBe('never');
  });

  it('unknown version and no flag: unknown', () => {
    expect(runSettings(lmEval(null, 'pretrained=x')).bos).toBeNull();
  });

  it('yardstick results: the recorded policy', () => {
    const r = { results: {}, config: {}, yardstick: { bos_policy: 'never', add_bos_token: null, lm_eval_compat: '0.4.9.1' }, tokenizer_bos_token: ['<s>', '1'] } as unknown as ResultsJson;
    expect(runSettings(r)).toMatchObject({ tool: 'yardstick', bos: 'never', bosToken: '<s>', lmEvalVersion: '0.4.9.1' });
    expect(runSettings(r).bosSource).toBe('add_bos_token unset, emulating lm-eval 0.4.9.1 (no BOS by default)');
  });
});

describe('settingDifferences', () => {
  it('names BOS, max_length, batch size and bootstrap_iters differences', () => {
    const a = runSettings(lmEval('0.4.13', 'pretrained=x'));
    const b = runSettings(lmEval('0.4.9.1', 'pretrained=x', { max_length: 4096 }));
    b.batchSize = '8';
    b.bootstrapIters = 1000;
    expect(settingDifferences(a, b).map((d) => d.split(':')[0])).toEqual(['BOS', 'max_length', 'batch size', 'bootstrap_iters']);
    expect(settingDifferences(a, a)).toEqual([]);
  });
});

describe('helpers', () => {
  it('parseModelArgs reads both the string and dict forms', () => {
    expect(parseModelArgs('pretrained=a/b, dtype=float32')).toEqual({ pretrained: 'a/b', dtype: 'float32' });
    expect(parseModelArgs({ pretrained: 'a/b', max_length: 8 })).toEqual({ pretrained: 'a/b', max_length: '8' });
  });
  it('versionAtMost compares dotted versions numerically', () => {
    expect(versionAtMost('0.4.9.1', '0.4.9.1')).toBe(true);
    expect(versionAtMost('v0.4.10', '0.4.9.1')).toBe(false);
    expect(versionAtMost('0.4.9', '0.4.9.1')).toBe(true);
  });
});
