// Task YAML fields of the wrong type, fields lm-eval does not know, and fields yardstick cannot honour are
// one line naming the file and the field (src/tasks/config-check.ts).
import { describe, expect, it } from 'vitest';
import { Task } from '../../src/tasks/task.js';
import type { TaskConfig } from '../../src/tasks/config.js';

const base = { task: 't', dataset_path: 'local/t', test_split: 'test', output_type: 'multiple_choice', doc_to_text: 'q', doc_to_choice: ['a', 'b'], doc_to_target: 0 };

describe('task config types', () => {
  it.each([
    ['metric_list', 'acc', /my\.yaml: metric_list of task t is "acc", expected a list of \{metric: name, \.\.\.\}/],
    ['output_type', 'banana', /output_type of task t is "banana", expected loglikelihood, loglikelihood_rolling, multiple_choice, generate_until/],
    ['num_fewshot', -2, /num_fewshot of task t is -2, expected a non-negative integer/],
    ['filter_list', 3, /filter_list of task t is 3, expected a list of filters/],
    ['doc_to_choice', { a: 1 }, /doc_to_choice of task t is \{"a":1\}/],
  ])('%s: %j', (field, value, pattern) => {
    expect(() => new Task({ ...base, [field]: value } as unknown as TaskConfig, 'my.yaml')).toThrow(pattern);
  });

  it('accepts what lm-eval accepts', () => {
    expect(new Task({ ...base, metric_list: [{ metric: 'acc' }], num_fewshot: 0, dataset_name: null } as unknown as TaskConfig, 'my.yaml').name).toBe('t');
  });

  it('refuses a field lm-eval does not know, suggesting the close one', () => {
    expect(() => new Task({ ...base, doc_to_txt: 'q' } as unknown as TaskConfig, 'my.yaml')).toThrow(/my\.yaml: task t has a field 'doc_to_txt' that lm-eval's task format does not have \(did you mean doc_to_text\?\)/);
  });

  it.each([
    [{ gen_prefix: 'Answer:' }, 'gen_prefix'],
    [{ use_prompt: 'promptsource:x' }, 'use_prompt'],
    [{ unsafe_code: true }, 'unsafe_code'],
    [{ doc_to_image: 'image' }, 'doc_to_image'],
    [{ fewshot_config: { sampler: 'first_n', gen_prefix: 'A:' } }, 'fewshot_config.gen_prefix'],
  ])('refuses %j, which would change the prompt, instead of ignoring it', (extra, field) => {
    expect(() => new Task({ ...base, ...extra } as unknown as TaskConfig, 'my.yaml')).toThrow(new RegExp(`my\\.yaml: task t sets ${field.replace('.', '\\.')}, which yardstick does not implement yet`));
  });

  it("takes those fields at their unused defaults, and the loader's own keys", () => {
    const quiet = { gen_prefix: null, use_prompt: null, unsafe_code: false, doc_to_image: null, should_decontaminate: false, group: 'g', tag: 'x', include: 'base.yaml' };
    expect(new Task({ ...base, ...quiet } as unknown as TaskConfig, 'my.yaml').name).toBe('t');
  });
});
