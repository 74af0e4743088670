// Python `re` patterns as JavaScript RegExps, for the regex filter: task YAML is written for
// Python, whose syntax and character classes differ (named groups, \Z, `$` before a final newline,
// Unicode \d and \w, escapes of ordinary punctuation). Unsupported constructs fail loudly.
import { YardstickError } from '../errors.js';

const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);

/** Compiles a Python pattern (str semantics, no flags unless inline) into a global Unicode RegExp. */
export function pyRegExp(pattern: string, where: string): RegExp {
  let flags = 'gu';
  let src = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    for (const f of inline[1]!) {
      if (f === 'i' || f === 's' || f === 'm') flags += f;
      else throw new YardstickError('task', `${where}: the Python inline flag (?${f}) is not supported`);
    }
    src = src.slice(inline[0].length);
  }
  const multiline = flags.includes('m');
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new YardstickError('task', `${where}: the pattern ends with a lone backslash`);
      i++;
      if (n === 'd') out += '\\p{Nd}';
      else if (n === 'D') out += inClass ? '\\P{Nd}' : '\\P{Nd}';
      else if (n === 'w') out += inClass ? '\\p{L}\\p{N}_' : '[\\p{L}\\p{N}_]';
      else if (n === 'W') {
        if (inClass) throw new YardstickError('task', `${where}: \\W inside a character class is not supported`);
        out += '[^\\p{L}\\p{N}_]';
      } else if (n === 'Z') out += '$(?![\\s\\S])';
      else if (n === 'A') out += '(?<![\\s\\S])';
      else if (/[0-9A-Za-z]/.test(n)) out += `\\${n}`; // \s \b \n \t \1 …
      else if (SYNTAX.has(n) || (inClass && n === '-')) out += `\\${n}`;
      else out += n; // Python allows escaping any punctuation; Unicode-mode JS does not
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += `\\${src[++i]}`; // a leading ] is literal in Python
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    // Python's `$` also matches just before a final newline
    if (c === '$' && !multiline) {
      out += '(?=\\n?$(?![\\s\\S]))';
      continue;
    }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new YardstickError('task', `${where}: cannot use the pattern ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}
