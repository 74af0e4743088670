// Trains a GPT-2-style byte-level BPE: the text is split with GPT-2's pre-tokenizer regex, each
// piece becomes a sequence of byte symbols, and the most frequent adjacent pair is merged until
// the vocabulary is full. Deterministic: ties go to the lexicographically smallest pair.

/** GPT-2's pre-tokenizer pattern, as Hugging Face's ByteLevel pre-tokenizer uses it. */
export const GPT2_PRETOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's map from bytes to printable characters (so that no token contains a space). */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const printable = (b: number): boolean => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = new Array<string>(256);
  let next = 256;
  for (let b = 0; b < 256; b++) out[b] = String.fromCharCode(printable(b) ? b : next++);
  return out;
})();

export function byteLevelPieces(text: string): string[] {
  const encoder = new TextEncoder();
  const pieces = text.match(GPT2_PRETOKENIZE) ?? [];
  return pieces.map((p) => Array.from(encoder.encode(p), (b) => BYTE_TO_CHAR[b]).join(''));
}

export interface TrainedBpe {
  /** byte-level tokens in id order: the 256 byte symbols, then one per merge that made a new token */
  tokens: string[];
  /** merges in priority order */
  merges: Array<[string, string]>;
}

/** Trains merges until `size` tokens (bytes included) exist or nothing is left to merge. */
export function trainByteLevelBpe(corpus: string, size: number): TrainedBpe {
  const counts = new Map<string, number>();
  for (const piece of byteLevelPieces(corpus)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
  // Sorted word order keeps the whole run independent of Map insertion details.
  const words = [...counts.keys()].sort().map((w) => ({ symbols: Array.from(w), count: counts.get(w)! }));

  const tokens = [...BYTE_TO_CHAR];
  const known = new Set(tokens);
  const merges: Array<[string, string]> = [];
  while (tokens.length < size) {
    const best = mostFrequentPair(words);
    if (!best) break;
    const [a, b] = best;
    merges.push([a, b]);
    const merged = a + b;
    if (!known.has(merged)) {
      known.add(merged);
      tokens.push(merged);
    }
    for (const w of words) w.symbols = applyMerge(w.symbols, a, b);
  }
  return { tokens, merges };
}

function mostFrequentPair(words: Array<{ symbols: string[]; count: number }>): [string, string] | undefined {
  const pairCounts = new Map<string, number>();
  for (const { symbols, count } of words) {
    for (let i = 0; i + 1 < symbols.length; i++) {
      // '\u0000' cannot occur inside byte-level symbols, so it separates the pair unambiguously.
      const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + count);
    }
  }
  let bestKey: string | undefined;
  let bestCount = 0;
  for (const [key, count] of pairCounts) {
    if (count > bestCount || (count === bestCount && bestKey !== undefined && key < bestKey)) {
      bestKey = key;
      bestCount = count;
    }
  }
  if (bestKey === undefined) return undefined;
  const [a, b] = bestKey.split('\u0000') as [string, string];
  return [a, b];
}

function applyMerge(symbols: string[], a: string, b: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
      out.push(a + b);
      i++;
    } else {
      out.push(symbols[i]!);
    }
  }
  return out;
}
