// Prompt construction for lambada_openai and winogrande (task-lambada.md §2, task-winogrande.md §3),
// task expansion and error messages.
import { describe, expect, it } from 'vitest';
import type { YardstickError } from '../../src/errors.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { Task } from '../../src/tasks/task.js';
import { buildInstances } from '../../src/requests/build.js';
import { renderTemplate } from '../../src/tasks/template.js';
import { memorySource } from '../helpers/memory-source.js';

const registry = TaskRegistry.load();

function taskFor(name: string): Task {
  const entry = registry.tasks.get(name)!;
  return new Task(entry.config, entry.source);
}

describe('lambada_openai', () => {
  it('splits the passage at the last space (spec example)', async () => {
    const task = taskFor('lambada_openai');
    await task.load(memorySource({ 'EleutherAI/lambada_openai/default/test': [{ text: 'he said  hello world' }] }), 0);
    const doc = task.evalDocs[0]!;
    const contexts = task.contexts(doc, 0, []);
    expect(contexts).toEqual(['he said  hello']);
    expect(buildInstances(task, doc, 0, contexts).map((i) => i.arguments)).toEqual([['he said  hello', ' world']]);
  });
});

describe('winogrande', () => {
  const doc = {
    sentence: "The trophy doesn't fit into the brown suitcase because the _ is too large.",
    option1: 'trophy',
    option2: 'suitcase',
    answer: '1',
  };

  it('builds one partial context per option with the shared continuation', async () => {
    const task = taskFor('winogrande');
    await task.load(memorySource({ 'allenai/winogrande/winogrande_xl/validation': [doc] }), 0);
    expect(task.multipleInput).toBe(true);
    const contexts = task.contexts(doc, 0, []);
    expect(buildInstances(task, doc, 0, contexts).map((i) => i.arguments)).toEqual([
      ["The trophy doesn't fit into the brown suitcase because the trophy", ' is too large.'],
      ["The trophy doesn't fit into the brown suitcase because the suitcase", ' is too large.'],
    ]);
    expect(task.gold(doc, 0, contexts)).toBe(0);
  });

  it('renders a few-shot example with the gold option filled in', async () => {
    const task = taskFor('winogrande');
    const shot = { sentence: 'Ann gave Bea a gift because _ was kind.', option1: 'Ann', option2: 'Bea', answer: '1' };
    await task.load(memorySource({ 'allenai/winogrande/winogrande_xl/validation': [doc], 'allenai/winogrande/winogrande_xl/train': [shot] }), 1);
    const contexts = task.contexts(doc, 0, [shot]);
    expect(contexts[1]).toBe("Ann gave Bea a gift because Ann was kind.\n\nThe trophy doesn't fit into the brown suitcase because the suitcase");
  });
});

describe('templates', () => {
  it('keeps a trailing newline and uses Python string methods', () => {
    expect(renderTemplate('about {{ subject }}.\n\n', { subject: 'anatomy' })).toBe('about anatomy.\n\n');
    expect(renderTemplate("{{ q.strip() }}|{{ s.split(' ')[-1] }}", { q: ' x \n', s: 'a b  c' })).toBe('x|c');
  });
});

describe('errors', () => {
  it('suggests close task names', () => {
    let line = '';
    try {
      registry.expand(['lambada_opnai']);
    } catch (e) {
      line = (e as YardstickError).oneLine();
    }
    expect(line).toMatch(/unknown task 'lambada_opnai'; did you mean lambada_openai/);
  });

  it('names task, doc and field when a document lacks a template field', async () => {
    const task = taskFor('lambada_openai');
    await task.load(memorySource({ 'EleutherAI/lambada_openai/default/test': [{ passage: 'x y' }] }), 0);
    expect(() => task.contexts(task.evalDocs[0]!, 0, [])).toThrow(/task lambada_openai \(split test, doc 0\): field 'text' used by doc_to_text is missing/);
  });

  it('expands groups and tags into their leaf tasks', () => {
    const [mmlu] = registry.expand(['mmlu']);
    expect(mmlu!.kind).toBe('group');
    const leaves: string[] = [];
    const walk = (n: typeof mmlu): void => {
      if (n!.kind === 'task') leaves.push(n!.name);
      else n!.children.forEach(walk);
    };
    walk(mmlu);
    expect(leaves).toHaveLength(57);
    expect(registry.expand(['glue']).map((n) => n.name)).toEqual(['cola', 'mnli', 'mnli_mismatch', 'mrpc', 'qnli', 'qqp', 'rte', 'sst2', 'wnli']);
  });
});
