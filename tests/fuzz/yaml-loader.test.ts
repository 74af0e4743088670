// Fuzz: mutated lm-eval task YAML (the built-in files, edited at random) through the loader, the
// registry and the task constructor; each ends in a task or one YardstickError line.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { builtinTaskDir } from '../../src/tasks/builtin-dir.js';
import { TaskRegistry } from '../../src/tasks/registry.js';
import { Task } from '../../src/tasks/task.js';
import { Outcomes, Rng } from './generate.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f));
}

const EXTRA_LINES = [
  'metric_list: acc', 'metric_list:\n  - metric: 7', 'metric_list:\n  - aggregation: mean', 'filter_list: 3', 'num_fewshot: -2',
  'output_type: banana', 'doc_to_choice: !function nowhere.fn', 'include: missing.yaml', 'task: [a, b]', 'group: g\ntask: 5',
  'repeats: 0', 'target_delimiter: 9', 'tag: [x, 3]', 'dataset_kwargs: 4', 'fewshot_config: {sampler: odd}', 'metadata: [1]',
];

describe('fuzz: YAML task loader', () => {
  it('loads or refuses in one line', async () => {
    const rng = new Rng(0x9a11);
    // a copy of the built-in tree, so a mutated file's include: still finds its base file
    const root = join(mkdtempSync(join(tmpdir(), 'yardstick-fuzz-yaml-')), 'tasks');
    cpSync(builtinTaskDir(), root, { recursive: true });
    const sources = yamlFiles(root).map((f) => ({ dir: dirname(f), text: readFileSync(f, 'utf8') }));
    const outcomes = new Outcomes('YAML task loader');
    for (let i = 0; i < 1100; i++) {
      const source = rng.pick(sources);
      let text = rng.mutate(source.text, 2).replace(/^task: .*$/m, `task: fuzz_${i}`).replace(/^group: .*$/m, `group: fuzz_${i}`);
      if (rng.chance(0.4)) text += `\n${rng.pick(EXTRA_LINES)}\n`;
      const file = join(source.dir, `fuzz_${i}.yaml`);
      writeFileSync(file, text);
      await outcomes.case(`${i} (${relative(root, source.dir)})`, () => {
        const registry = new TaskRegistry();
        registry.index(file);
        const names = [...registry.tasks.keys(), ...registry.groups.keys()].filter((n) => n.startsWith('fuzz_'));
        let n = 0;
        for (const name of names) {
          const entry = registry.tasks.get(name);
          if (entry) new Task(entry.config, entry.source);
          n++;
        }
        return n;
      }, (n) => expect(n).toBeGreaterThanOrEqual(0));
      rmSync(file);
    }
    outcomes.report();
  });
});
