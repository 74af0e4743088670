// Python string semantics that JavaScript lacks: the str.isspace set used by strip()/rstrip().

// CPython 3.11 whitespace (spec §2.2): U+0009–000D, 001C–001F, 0020, 0085, 00A0, 1680,
// 2000–200A, 2028, 2029, 202F, 205F, 3000. JS trim() differs (adds U+FEFF, lacks 1C–1F, 85).
const PY_SPACE = /[\u0009-\u000d\u001c-\u001f\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

export function isPySpace(ch: string): boolean {
  return PY_SPACE.test(ch);
}

export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s[end - 1]!)) end--;
  return s.slice(0, end);
}

export function pyLstrip(s: string): string {
  let start = 0;
  while (start < s.length && isPySpace(s[start]!)) start++;
  return s.slice(start);
}

export function pyStrip(s: string): string {
  return pyLstrip(pyRstrip(s));
}

/** Python str.isdigit for the ASCII digits lm-eval's templates produce. */
export function isPyDigits(s: string): boolean {
  return s.length > 0 && /^\p{Nd}+$/u.test(s);
}
