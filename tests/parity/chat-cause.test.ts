// Parity names a chat-template or system-instruction difference as the cause of differing prompts.
import { describe, expect, it } from 'vitest';
import { chatDifferences, runSettings } from '../../src/parity/settings.js';
import { explainPromptDifference } from '../../src/parity/prompt-cause.js';

const base = { config: {}, lm_eval_version: '0.4.13' };

describe('chat settings in parity', () => {
  it('one run with a chat template, the other without: the prompt cause is chat-template', () => {
    const ours = runSettings({ ...base, chat_template: 'T', chat_template_sha: 'a'.repeat(64), fewshot_as_multiturn: true } as never);
    const theirs = runSettings({ ...base, chat_template: null, chat_template_sha: null, fewshot_as_multiturn: null } as never);
    const lines = chatDifferences(ours, theirs);
    expect(lines).toEqual(['chat template: ours chat template sha256 aaaaaaaa (few-shot as user/assistant turns), theirs no chat template (--apply_chat_template / --fewshot_as_multiturn)']);
    const cause = explainPromptDifference('<|user|>Q\n<|assistant|>', 'Q', { chat: { template: lines[0] } });
    expect(cause?.cause).toBe('chat-template');
  });

  it('same template, few-shot as turns versus one message; and a different system instruction', () => {
    const sha = 'b'.repeat(64);
    const turns = runSettings({ ...base, chat_template_sha: sha, fewshot_as_multiturn: true, system_instruction_sha: 'c'.repeat(64) } as never);
    const single = runSettings({ ...base, chat_template_sha: sha, fewshot_as_multiturn: false } as never);
    const lines = chatDifferences(turns, single);
    expect(lines[0]).toMatch(/^chat template: ours .*user\/assistant turns\), theirs .*one user message\)/);
    expect(lines[1]).toBe('system instruction: ours sha256 cccccccc, theirs none (--system_instruction)');
    expect(chatDifferences(turns, turns)).toEqual([]);
  });
});
