// The completions protocol on its own: what the openai engine sends (lm-eval's local-completions
// request) and how it reads vLLM-shaped replies (fixtures written from vLLM's documented shape).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choicesInOrder, generatePayload, scoreFromChoice, scorePayload } from '../../../src/engines/remote/completions.js';
import { normaliseBaseUrl, parseBaseUrls, serverRoot } from '../../../src/engines/remote/discovery.js';
import { YardstickError } from '../../../src/errors.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));

describe('scoring request', () => {
  it('is token-id prompts with echo, logprobs 1, temperature 0 and max_tokens 0 or 1', () => {
    expect(scorePayload('m', [[1, 2, 3], [1, 2]], 1)).toEqual({ model: 'm', prompt: [[1, 2, 3], [1, 2]], echo: true, logprobs: 1, max_tokens: 1, temperature: 0 });
    expect(scorePayload('m', [[4]], 0).max_tokens).toBe(0);
  });

  it('generation is greedy with the stop strings (empty ones dropped), sampling only when asked', () => {
    expect(generatePayload('m', [[1, 2]], { maxTokens: 32, stop: ['Problem:', '', '<|endoftext|>'] })).toEqual({
      model: 'm',
      prompt: [[1, 2]],
      max_tokens: 32,
      temperature: 0,
      stop: ['Problem:', '<|endoftext|>'],
    });
    expect(generatePayload('m', [[1]], { maxTokens: 4, stop: [], sampling: { doSample: true, temperature: 0.7, topP: 0.9, seed: 5 } })).toEqual({
      model: 'm',
      prompt: [[1]],
      max_tokens: 4,
      temperature: 0.7,
      top_p: 0.9,
      seed: 5,
    });
  });
});

describe("vLLM's reply", () => {
  it('echo with max_tokens 1: the continuation is the prompt tail, the generated token is ignored', () => {
    const [choice] = choicesInOrder(fixture('vllm-echo-max-tokens-1.json'), 1, 'vllm');
    // prompt: <bos> The step of boiling water is (7 tokens); continuation " water is"
    const two = scoreFromChoice(choice!, 7, 2, 'vllm');
    expect(two.tokenLogprobs).toEqual([-2.0, -2.25]);
    expect(two.logprob).toBe(-4.25);
    expect(two.isGreedy).toBe(false); // " the" (-0.6875) beat " water"
    const whole = scoreFromChoice(choice!, 7, 6, 'vllm');
    expect(whole.logprob).toBe(-8.25 - 8.8125 - 1.5625 - 13.5625 - 2.0 - 2.25);
    // " of" alone is the only entry at its position: greedy there
    expect(scoreFromChoice(choice!, 4, 1, 'vllm')).toEqual({ logprob: -1.5625, isGreedy: true, tokenLogprobs: [-1.5625] });
  });

  it('prompt lists come back by index, not in list order; max_tokens 0 echoes the prompt only', () => {
    const choices = choicesInOrder(fixture('vllm-echo-prompt-list.json'), 2, 'vllm');
    // a multiple-choice pair after "<bos> The": " cat" is the top token, " dog" is not
    expect(scoreFromChoice(choices[0]!, 3, 1, 'vllm')).toEqual({ logprob: -0.5, isGreedy: true, tokenLogprobs: [-0.5] });
    expect(scoreFromChoice(choices[1]!, 3, 1, 'vllm')).toEqual({ logprob: -4.0, isGreedy: false, tokenLogprobs: [-4.0] });
  });

  it('a reply without prompt log-probs is one clear error naming the server and the cause', () => {
    const [only] = choicesInOrder(fixture('no-prompt-logprobs.json'), 1, 'server http://h/v1');
    const e = (() => {
      try {
        scoreFromChoice(only!, 7, 1, 'server http://h/v1');
      } catch (err) {
        return err as YardstickError;
      }
    })();
    expect(e).toBeInstanceOf(YardstickError);
    expect(e!.oneLine()).toMatch(/^server http:\/\/h\/v1 returned no prompt log-probabilities \(token_logprobs has 1 entries for a 7-token prompt\); .*echo=true/);
    expect(e!.oneLine()).not.toContain('\n');

    const [nulls] = choicesInOrder(fixture('null-prompt-logprobs.json'), 1, 's');
    expect(() => scoreFromChoice(nulls!, 7, 2, 's')).toThrow(/returned no prompt log-probabilities \(token_logprobs\[5\] is null\)/);
    expect(() => scoreFromChoice({ index: 0, text: 'x', logprobs: null }, 3, 1, 's')).toThrow(/token_logprobs is missing/);
  });

  it('rejects replies whose choices do not match the prompts', () => {
    expect(() => choicesInOrder({ choices: [{ index: 0 }] }, 2, 's')).toThrow(/1 choices came back for 2 prompts/);
    expect(() => choicesInOrder({ choices: [{ index: 0 }, { index: 0 }] }, 2, 's')).toThrow(/choice index 0 is out of place/);
    expect(() => choicesInOrder({ object: 'error' }, 1, 's')).toThrow(/no choices list/);
  });
});

describe('base URLs', () => {
  it('normalise to .../v1 and split on | or ,', () => {
    expect(normaliseBaseUrl('http://h:8000')).toBe('http://h:8000/v1');
    expect(normaliseBaseUrl('http://h:8000/v1/')).toBe('http://h:8000/v1');
    expect(normaliseBaseUrl('http://h:8000/v1/completions')).toBe('http://h:8000/v1');
    expect(normaliseBaseUrl('https://gw.example/llama/v1')).toBe('https://gw.example/llama/v1');
    expect(parseBaseUrls('http://a:1/v1|http://b:2,http://a:1/v1')).toEqual(['http://a:1/v1', 'http://b:2/v1']);
    expect(serverRoot('http://h:8000/v1')).toBe('http://h:8000');
    expect(() => normaliseBaseUrl('ftp://h')).toThrow(/not an http\(s\) URL/);
    expect(() => parseBaseUrls('nonsense')).toThrow(/'nonsense' is not a URL/);
  });
});
