// Jinja string methods with Python semantics (lm-eval-semantics.md §2.2): strip()/lstrip()/rstrip()
// use Python's whitespace set, and take an optional `chars` argument.
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/tasks/template.js';

describe('renderTemplate string methods', () => {
  it('strips the Python whitespace set, not JS trim()', () => {
    // U+001C..U+001F and U+0085 are Python whitespace; U+FEFF is not (JS trim() strips it)
    expect(renderTemplate('[{{ q.strip() }}]', { q: '\u001c\u0085 a b \u001f\n' })).toBe('[a b]');
    expect(renderTemplate('[{{ q.strip() }}]', { q: '\ufeffa\ufeff' })).toBe('[\ufeffa\ufeff]');
    expect(renderTemplate('[{{ q.lstrip() }}|{{ q.rstrip() }}]', { q: '\u001d x \u001e' })).toBe('[x \u001e|\u001d x]');
  });

  it('accepts the chars argument and None', () => {
    expect(renderTemplate("{{ q.strip('xy') }}|{{ q.lstrip('x') }}|{{ q.rstrip(none) }}", { q: 'xyaxy ' })).toBe('axy |yaxy |xyaxy');
  });
});
