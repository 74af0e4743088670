// Chat prompts with lm-eval 0.4.13's rules (fewshot_context, build_qa_turn, multiturn_to_singleturn,
// construct_requests; docs/chat-templates.md). Expected strings are written out by hand from those rules.
import { describe, expect, it } from 'vitest';
import type { Doc } from '../../src/data/types.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { Task, type PromptOptions } from '../../src/tasks/task.js';
import { buildInstances } from '../../src/requests/build.js';
import { maybeDelimit } from '../../src/tasks/messages.js';
import { ChatTemplateRenderer, selectChatTemplate } from '../../src/engines/chat-template.js';
import type { EngineTokenizer } from '../../src/engines/types.js';
import { memorySource } from '../helpers/memory-source.js';

const CHATML = "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

function tokenizerWith(templates: string | Record<string, string> | undefined): EngineTokenizer {
  return {
    padTokenId: 0,
    source: 'tokenizer.json',
    sha256: 'x',
    encode: () => [],
    decode: () => '',
    tokenToId: () => undefined,
    chatTemplates: templates === undefined ? undefined : { templates, source: 'tokenizer_config.json', specialTokens: { bos_token: '<s>', eos_token: '</s>' } },
  };
}

function chat(fewshotAsMultiturn: boolean, template = CHATML): PromptOptions['chat'] {
  const r = new ChatTemplateRenderer(selectChatTemplate(tokenizerWith(template), 'm', true), 'm');
  return { render: (turns) => r.render(turns), fewshotAsMultiturn };
}

const registry = TaskRegistry.load();
async function loadTask(name: string, splits: Record<string, Doc[]>, shots: number): Promise<Task> {
  const entry = registry.tasks.get(name)!;
  const task = new Task(entry.config, entry.source);
  await task.load(memorySource(splits), shots);
  return task;
}

const q = (question: string, answer: number): Doc => ({ question, choices: ['w', 'x', 'y', 'z'], answer });
const DESC = 'The following are multiple choice questions (with answers) about anatomy.\n\n';
const body = (question: string): string => `${question}\nA. w\nB. x\nC. y\nD. z\nAnswer:`;

describe('mmlu_anatomy 2-shot with a chat template', () => {
  const splits = { 'cais/mmlu/anatomy/test': [q('Eval?', 2)], 'cais/mmlu/anatomy/dev': [q('One?', 0), q('Two?', 3), q('Three?', 1)] };

  it('multiturn: description (after the system instruction) is the system turn, each shot a user/assistant pair', async () => {
    const task = await loadTask('mmlu_anatomy', splits, 2);
    const doc = task.evalDocs[0]!;
    const shots = task.fewshotDocs!.slice(0, 2);
    const [ctx] = task.contexts(doc, 0, shots, { systemInstruction: 'Be brief.', chat: chat(true) });
    expect(ctx).toBe(
      `<|im_start|>system\nBe brief.\n\n${DESC}<|im_end|>\n` +
        `<|im_start|>user\n${body('One?')}<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n` +
        `<|im_start|>user\n${body('Two?')}<|im_end|>\n<|im_start|>assistant\nD<|im_end|>\n` +
        `<|im_start|>user\n${body('Eval?')}<|im_end|>\n<|im_start|>assistant\n`,
    );
    // the assistant turn starts the answer: no target delimiter before a choice
    const inst = buildInstances(task, doc, 0, [ctx!], true);
    expect(inst.map((i) => i.arguments[1])).toEqual(['A', 'B', 'C', 'D']);
  });

  it('single turn: the shots and question are one user message joined with the plain-text delimiters', async () => {
    const task = await loadTask('mmlu_anatomy', splits, 2);
    const [ctx] = task.contexts(task.evalDocs[0]!, 0, task.fewshotDocs!.slice(0, 2), { chat: chat(false) });
    expect(ctx).toBe(
      `<|im_start|>system\n${DESC}<|im_end|>\n` +
        `<|im_start|>user\n${body('One?')} A\n\n${body('Two?')} D\n\n${body('Eval?')}<|im_end|>\n<|im_start|>assistant\n`,
    );
  });

  it('plain text with a system instruction: instruction, few-shot delimiter, description, then the shots', async () => {
    const task = await loadTask('mmlu_anatomy', splits, 1);
    const [ctx] = task.contexts(task.evalDocs[0]!, 0, task.fewshotDocs!.slice(0, 1), { systemInstruction: 'Be brief.' });
    expect(ctx).toBe(`Be brief.\n\n${DESC}${body('One?')} A\n\n${body('Eval?')}`);
    expect(buildInstances(task, task.evalDocs[0]!, 0, [ctx!]).map((i) => i.arguments[1])).toEqual([' A', ' B', ' C', ' D']);
  });
});

describe('winogrande with a chat template (multiple inputs)', () => {
  const evalDoc = { sentence: 'Kim thanked Lee because _ helped.', option1: 'Kim', option2: 'Lee', answer: '2' };
  const shot = { sentence: 'Sam called Al because _ was late.', option1: 'Sam', option2: 'Al', answer: '1' };
  const splits = { 'allenai/winogrande/winogrande_xl/validation': [evalDoc], 'allenai/winogrande/winogrande_xl/train': [shot] };

  it('one conversation per option; the continuation has no leading space', async () => {
    const task = await loadTask('winogrande', splits, 1);
    const ctxs = task.contexts(evalDoc, 0, [shot], { chat: chat(true) });
    const shotTurns = '<|im_start|>user\nSam called Al because Sam<|im_end|>\n<|im_start|>assistant\nwas late.<|im_end|>\n';
    expect(ctxs).toEqual([
      `${shotTurns}<|im_start|>user\nKim thanked Lee because Kim<|im_end|>\n<|im_start|>assistant\n`,
      `${shotTurns}<|im_start|>user\nKim thanked Lee because Lee<|im_end|>\n<|im_start|>assistant\n`,
    ]);
    expect(buildInstances(task, evalDoc, 0, ctxs, true).map((i) => i.arguments[1])).toEqual(['helped.', 'helped.']);
  });
});

describe('maybe_delimit', () => {
  it('joins with the delimiter only when neither side has whitespace at the seam', () => {
    expect(maybeDelimit('Sys.', 'Desc', '\n\n')).toBe('Sys.\n\nDesc');
    expect(maybeDelimit('Sys.\n', 'Desc', '\n\n')).toBe('Sys.\nDesc');
    expect(maybeDelimit('Sys.', ' Desc', '\n\n')).toBe('Sys. Desc');
    expect(maybeDelimit(undefined, 'Desc', '\n\n')).toBe('Desc');
    expect(maybeDelimit('Sys.', '', '\n\n')).toBe('Sys.');
  });
});

describe('chat template selection and errors', () => {
  it('a dict of templates: default unless named; an unknown name lists the names', () => {
    const tok = tokenizerWith({ default: 'D', tool_use: 'T' });
    expect(selectChatTemplate(tok, 'm', true).template).toBe('D');
    expect(selectChatTemplate(tok, 'm', 'tool_use').template).toBe('T');
    expect(() => selectChatTemplate(tok, 'm', 'nope')).toThrow(/model m has no chat template named 'nope' \(it has default, tool_use\)/);
  });

  it('no template: one line naming the model', () => {
    expect(() => selectChatTemplate(tokenizerWith(undefined), 'tiny', true)).toThrow(/model tiny has no chat template/);
  });

  it('syntax error, raise_exception and an undefined variable name the model, the template and the Jinja error', () => {
    const sel = (t: string) => selectChatTemplate(tokenizerWith(t), 'tiny', true);
    expect(() => new ChatTemplateRenderer(sel('{% for m in messages %}{{ m.content }'), 'tiny')).toThrow(/model tiny: chat template \(tokenizer_config.json, sha256 [0-9a-f]{8}\) does not parse/);
    const raising = new ChatTemplateRenderer(sel("{{ raise_exception('roles must alternate') }}"), 'tiny');
    expect(() => raising.render([{ role: 'user', content: 'x' }])).toThrow(/model tiny: chat template .* failed to render: roles must alternate/);
    const undef = new ChatTemplateRenderer(sel('{{ nothing.here }}'), 'tiny');
    expect(() => undef.render([{ role: 'user', content: 'x' }])).toThrow(/failed to render: 'nothing' is undefined/);
  });

  it('a template that refuses the system role is rendered again without it (HFLM.apply_chat_template)', () => {
    const t = "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('no system') }}{% endif %}[{{ m.content }}]{% endfor %}";
    const warnings: string[] = [];
    const r = new ChatTemplateRenderer(selectChatTemplate(tokenizerWith(t), 'm', true), 'm', (w) => warnings.push(w));
    expect(r.render([{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }])).toBe('[U]');
    expect(warnings).toHaveLength(1);
  });
});
