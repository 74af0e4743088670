// Fuzz: generated Jinja templates rendered against generated documents through Task (the path every
// doc_to_text/target/choice takes). Each ends in text or one YardstickError line, never "undefined".
import { describe, expect, it } from 'vitest';
import { Task } from '../../src/tasks/task.js';
import type { TaskConfig } from '../../src/tasks/config.js';
import { Outcomes, Rng, expectNoUndefined } from './generate.js';

const FIELDS = ['text', 'label', 'a', 'x', 'missing'];
const FILTERS = ['upper', 'lower', 'length', 'trim', 'first', 'last', 'join(", ")', 'replace("a", "b")', 'int', 'string', 'title', 'nope'];

function fragment(rng: Rng): string {
  const f = rng.pick(FIELDS);
  switch (rng.int(12)) {
    case 0: return `{{ ${f} }}`;
    case 1: return `{{ ${f}|${rng.pick(FILTERS)} }}`;
    case 2: return `{{ ${f}.strip() }}`;
    case 3: return `{% if ${f} %}${rng.text(4)}{% else %}{{ ${rng.pick(FIELDS)} }}{% endif %}`;
    case 4: return `{% for v in ${f} %}{{ v }},{% endfor %}`;
    case 5: return `{{ ${f}[${rng.int(3) - 1}] }}`;
    case 6: return `{{ ${f}.${rng.pick(FIELDS)} }}`;
    case 7: return `{{ ${f} ~ ${rng.pick(FIELDS)} }}`;
    case 8: return `{{ ${f} + ${rng.int(3)} }}`;
    case 9: return rng.pick(['{{', '}}', '{%', '%}', '{{ }}', '{% endif %}', '{{ "unterminated }}', '{#', '{{ a(', '{{ 1/0 }}']);
    case 10: return `{{ [${f}, "${rng.text(3).replace(/["\\\n{}%]/g, '')}"][${rng.int(3)}] }}`;
    default: return rng.text(6).replace(/[{}%]/g, '');
  }
}

describe('fuzz: template renderer', () => {
  it('renders or refuses in one line, never "undefined"', async () => {
    const rng = new Rng(0x7e3a1);
    const outcomes = new Outcomes('template renderer');
    for (let i = 0; i < 1200; i++) {
      const template = Array.from({ length: 1 + rng.int(3) }, () => fragment(rng)).join(rng.pick(['', ' ', '\n']));
      const doc = Object.fromEntries(FIELDS.filter((f) => f !== 'missing' && rng.chance(0.8)).map((f) => [f, rng.value()]));
      const field = rng.pick(['doc_to_text', 'doc_to_target', 'doc_to_choice'] as const);
      const config = { task: 'fuzz', dataset_path: 'local/fuzz', test_split: 'test', output_type: 'multiple_choice', doc_to_text: 'x', doc_to_target: 'label', doc_to_choice: '["a", "b"]', [field]: template } as TaskConfig;
      const input = template + JSON.stringify(doc);
      await outcomes.case(String(i), () => {
        const task = new Task(config, 'fuzz.yaml');
        if (field === 'doc_to_text') return String(task.docToText(doc, 0));
        if (field === 'doc_to_target') return JSON.stringify(task.docToTarget(doc, 0)) ?? '';
        return JSON.stringify(task.docToChoice(doc, 0));
      }, (out) => {
        expect(typeof out).toBe('string');
        expectNoUndefined(out, input, `template case ${i}: ${JSON.stringify(template)} on ${JSON.stringify(doc)}`);
      });
    }
    outcomes.report();
  });
});
