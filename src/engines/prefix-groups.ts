// Finds model inputs that share a long token prefix (an MMLU subject's description and few-shot
// block, one context under several continuations) so the scheduler can have each prefix computed
// once. Pure: token arrays in, clusters out.

/** Shorter common prefixes are not worth a separate pass and a cache copy. */
export const MIN_SHARED_PREFIX = 12;
/** Nor is a prefix under this share of its members' mean input length: the pass after a prefix runs on
 *  the with-past graph, whose spelled-out attention costs more per token than the scoring graph's fused
 *  attention (5-15 % alone, 8-33 % within the throughput bench's runs; docs/benchmarks.md), so a smaller
 *  share saves fewer tokens than it costs. An MMLU subject's 12-19-token description is about a sixth of
 *  a zero-shot prompt: shared at a sixth, it ran as fast as the plain path, within the noise. */
export const MIN_PREFIX_SHARE = 1 / 4;
/** Nor is a cluster that saves fewer tokens than this ((members − 1) × prefix): computing the prefix
 *  apart costs a pass of its own and splits the batch (WinoGrande's two options after one sentence
 *  became a prefix pass and a pass of two short rests per document, where plain batching needs one
 *  pass for several documents; docs/benchmarks.md). */
export const MIN_SAVED_TOKENS = 128;

export interface PrefixCluster {
  /** tokens every member starts with; no member scores a position before it */
  prefixLength: number;
  /** indices into the inputs */
  members: number[];
}

function commonPrefix(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function compareTokens(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Sorts the inputs by their tokens, so inputs with a common prefix are neighbours, and cuts runs of
 * neighbours sharing at least `minPrefix` tokens, keeping those that save `minSaved` tokens or more
 * and whose prefix is at least `minShare` of their mean length (the rest are left alone). `firstScored[i]` is input i's first scored
 * position: the shared part stops there, so every scored position is computed after the prefix. A
 * run stops before an input that would halve its prefix (a different subject with a similar header).
 */
export function sharedPrefixClusters(
  inputs: number[][],
  firstScored: number[],
  minPrefix: number = MIN_SHARED_PREFIX,
  minSaved: number = MIN_SAVED_TOKENS,
  minShare: number = MIN_PREFIX_SHARE,
): { clusters: PrefixCluster[]; alone: number[] } {
  const sorted = inputs.map((_, i) => i).sort((a, b) => compareTokens(inputs[a]!, inputs[b]!) || a - b);
  const clusters: PrefixCluster[] = [];
  const alone: number[] = [];
  let members: number[] = [];
  let prefix = 0;
  const close = (): void => {
    const meanLength = members.reduce((a, i) => a + inputs[i]!.length, 0) / members.length;
    if (members.length >= 2 && (members.length - 1) * prefix >= minSaved && prefix >= minShare * meanLength) clusters.push({ prefixLength: prefix, members });
    else alone.push(...members);
  };
  for (const i of sorted) {
    if (members.length > 0) {
      const last = members[members.length - 1]!;
      const shared = Math.min(commonPrefix(inputs[last]!, inputs[i]!), firstScored[i]!, members.length === 1 ? firstScored[last]! : prefix);
      if (shared >= minPrefix && (members.length === 1 || shared * 2 >= prefix)) {
        members.push(i);
        prefix = members.length === 2 ? shared : Math.min(prefix, shared);
        continue;
      }
      close();
    }
    members = [i];
    prefix = 0;
  }
  if (members.length > 0) close();
  alone.sort((a, b) => a - b);
  return { clusters, alone };
}
