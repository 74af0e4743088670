// A small reader for Python literals (ast.literal_eval) as lm-eval applies it to rendered
// templates: integers, floats, strings, lists/tuples of them, True/False/None.
export class PyLiteralError extends Error {}

export function parsePyLiteral(text: string): unknown {
  let pos = 0;
  const src = text;
  const ws = (): void => {
    while (pos < src.length && /\s/.test(src[pos]!)) pos++;
  };
  const value = (): unknown => {
    ws();
    const ch = src[pos];
    if (ch === '[' || ch === '(') {
      const close = ch === '[' ? ']' : ')';
      pos++;
      const items: unknown[] = [];
      ws();
      while (src[pos] !== close) {
        items.push(value());
        ws();
        if (src[pos] === ',') {
          pos++;
          ws();
        } else if (src[pos] !== close) throw new PyLiteralError(`expected , or ${close} at ${pos}`);
      }
      pos++;
      return items;
    }
    if (ch === "'" || ch === '"') {
      pos++;
      let out = '';
      while (pos < src.length && src[pos] !== ch) {
        if (src[pos] === '\\') {
          pos++;
          const esc = src[pos];
          out += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === 'r' ? '\r' : esc ?? '';
        } else out += src[pos];
        pos++;
      }
      if (src[pos] !== ch) throw new PyLiteralError('unterminated string');
      pos++;
      return out;
    }
    const m = /^[+-]?(\d[\d_]*)?(\.\d*)?([eE][+-]?\d+)?/.exec(src.slice(pos));
    if (m && m[0] !== '' && m[0] !== '+' && m[0] !== '-') {
      pos += m[0].length;
      return Number(m[0].replace(/_/g, ''));
    }
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (src.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    throw new PyLiteralError(`unexpected ${JSON.stringify(ch)} at ${pos}`);
  };
  const result = value();
  ws();
  if (pos !== src.length) throw new PyLiteralError(`trailing text at ${pos}`);
  return result;
}
