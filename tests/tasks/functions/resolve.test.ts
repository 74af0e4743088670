// `!function` references resolve as lm-eval resolves them: relative to the YAML that names them.
// A user's `utils.doc_to_text` is their own Python, never our built-in MNLI function.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TaskRegistry } from '../../../src/tasks/registry.js';
import { Task } from '../../../src/tasks/task.js';
import { builtinFunctions } from '../../../src/tasks/functions/index.js';
import { mnliDocToText } from '../../../src/tasks/functions/glue.js';
import { YardstickError } from '../../../src/errors.js';
import type { TaskNode } from '../../../src/tasks/registry.js';

function userTask(docToText: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ys-fn-'));
  const file = join(dir, 'my_nli.yaml');
  writeFileSync(
    file,
    [
      'task: my_nli',
      'dataset_path: nyu-mll/glue',
      'dataset_name: mnli',
      'validation_split: validation_matched',
      'output_type: multiple_choice',
      `doc_to_text: !function ${docToText}`,
      'doc_to_target: label',
      'doc_to_choice: ["True", "Neither", "False"]',
      'metric_list:',
      '  - metric: acc',
      '',
    ].join('\n'),
  );
  return { dir, file };
}

function configure(dir: string): Task {
  const node = TaskRegistry.load([dir]).expand(['my_nli'])[0] as TaskNode;
  return new Task(node.config, node.source);
}

describe('!function resolution', () => {
  it('rejects a bare utils.doc_to_text beside a user YAML, naming the file and the function', () => {
    const { dir, file } = userTask('utils.doc_to_text');
    let error: unknown;
    try {
      configure(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(YardstickError);
    const line = (error as YardstickError).oneLine();
    expect(line).not.toContain('\n');
    expect(line).toContain(file);
    expect(line).toContain('utils.doc_to_text');
    expect(line).toContain('cannot run');
    expect(line).toContain('glue/mnli/utils.doc_to_text');
  });

  it('runs a built-in named by its full key from a user YAML', () => {
    const { dir } = userTask('glue/mnli/utils.doc_to_text');
    const task = configure(dir);
    const doc = { premise: 'It rained.', hypothesis: 'The ground is wet', label: 0 };
    // spec task-glue.md: MNLI prompt "{premise}\nQuestion: {hypothesis} True, False or Neither?\nAnswer:"
    expect(task.docToText(doc, 0)).toBe('It rained.\nQuestion: The ground is wet. True, False or Neither?\nAnswer:');
  });

  it('resolves the built-in MNLI YAML to the MNLI function', () => {
    const node = TaskRegistry.load([]).expand(['mnli'])[0] as TaskNode;
    expect(node.config.doc_to_text).toMatchObject({ function: 'utils.doc_to_text' });
    expect(builtinFunctions['glue/mnli/utils.doc_to_text']).toBe(mnliDocToText);
    expect(() => new Task(node.config, node.source)).not.toThrow();
  });
});
