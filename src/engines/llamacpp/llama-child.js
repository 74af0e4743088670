// @ts-check
// The process that holds one GGUF model in llama.cpp (via node-llama-cpp) and answers the engine's
// requests over IPC. One model per process: loading differently typed models into one process once
// gave wrong log-probs, and a crash in native code takes down only this process.
// Plain JavaScript (type-checked through JSDoc) so the same file runs from src/ under the tests and
// from dist/ after the build.

/** @typedef {{op: 'init', id: number, modelPath: string, gpu: string | false, kvType: string, contextSize: number, sequences: number, threads: number}} InitRequest */
/** @typedef {{op: 'score', id: number, seq: number, tokens: number[], positions: Array<{index: number, targets: number[]}>}} ScoreRequest */
/** @typedef {{op: 'next', id: number, seq: number, tokens: number[]}} NextRequest */
/** @typedef {{op: 'close', id: number}} CloseRequest */
/** @typedef {InitRequest | ScoreRequest | NextRequest | CloseRequest} Request */

// Probabilities come back as float32 after a float32 softmax over logits/T. A power of two divides
// exactly, and T = 4 keeps every token within 4·87 nats of the top one above float32's underflow, so
// T·log(p) recovers the logits (up to one shared constant) and the log-softmax is redone in float64.
const RECOVERY_TEMPERATURE = 4;
// topK 0 = the whole vocabulary, topP 1 and minP 0 = no truncation: every token's probability comes back
const FULL_DISTRIBUTION = { temperature: RECOVERY_TEMPERATURE, topK: 0, topP: 1, minP: 0, seed: 1 };

/** @type {any} */ let llama;
/** @type {any} */ let model;
/** @type {any} */ let context;
/** @type {any[]} */ let sequences = [];
/** @type {string[]} */ const recentLogs = [];

function send(/** @type {unknown} */ message) {
  if (process.send) process.send(message);
}

/**
 * Brings a sequence's KV cache in line with `tokens[:keep]` (reusing the longest cached prefix) and
 * returns the index from which `tokens` must be evaluated.
 * @param {any} seq @param {number[]} tokens @param {number} mustEvaluateFrom
 */
async function reusePrefix(seq, tokens, mustEvaluateFrom) {
  const { firstDifferentIndex } = seq.compareContextTokens(tokens);
  const keep = Math.min(firstDifferentIndex, mustEvaluateFrom);
  if (keep < seq.nextTokenIndex) await seq.eraseContextTokenRanges([{ start: keep, end: seq.nextTokenIndex }]);
  return keep;
}

/**
 * float64 log-softmax of the logits recovered from one position's probability map: the requested
 * tokens' log-probabilities and the argmax (lowest id among equal maxima, as torch.argmax).
 * @param {Map<number, number>} probabilities @param {number[]} targets
 */
function logprobsAt(probabilities, targets) {
  let max = -Infinity;
  let argmax = -1;
  for (const [token, p] of probabilities) {
    const l = RECOVERY_TEMPERATURE * Math.log(p);
    if (l > max || (l === max && token < argmax)) {
      max = l;
      argmax = token;
    }
  }
  let sum = 0;
  for (const p of probabilities.values()) sum += Math.exp(RECOVERY_TEMPERATURE * Math.log(p) - max);
  const logZ = max + Math.log(sum);
  const logprobs = targets.map((t) => {
    const p = probabilities.get(t);
    return p === undefined ? -Infinity : RECOVERY_TEMPERATURE * Math.log(p) - logZ;
  });
  return { logprobs, argmax };
}

/** @param {ScoreRequest} r */
async function score(r) {
  const seq = sequences[r.seq];
  const first = Math.min(...r.positions.map((p) => p.index));
  const keep = await reusePrefix(seq, r.tokens, first);
  const wanted = new Map(r.positions.map((p) => [p.index, p.targets]));
  const input = r.tokens.slice(keep).map((token, k) =>
    wanted.has(keep + k) ? [token, { generateNext: { probabilities: true, options: FULL_DISTRIBUTION } }] : token,
  );
  const out = await seq.controlledEvaluate(input);
  return {
    evaluated: input.length,
    positions: r.positions.map((p) => {
      const probabilities = out[p.index - keep]?.next?.probabilities;
      if (!probabilities) throw new Error(`llama.cpp returned no probabilities at position ${p.index}`);
      return logprobsAt(probabilities, p.targets);
    }),
  };
}

/** @param {NextRequest} r */
async function next(r) {
  const seq = sequences[r.seq];
  const last = r.tokens.length - 1;
  const keep = await reusePrefix(seq, r.tokens, last);
  // no sampling options: node-llama-cpp's greedy sampler (the first maximal logit)
  const input = r.tokens.slice(keep).map((token, k) => (keep + k === last ? [token, { generateNext: { token: true } }] : token));
  const out = await seq.controlledEvaluate(input);
  const token = out[last - keep]?.next?.token;
  if (typeof token !== 'number') throw new Error('llama.cpp returned no next token');
  return { token };
}

/** @param {InitRequest} r */
async function init(r) {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  llama = await getLlama({
    gpu: r.gpu === false ? false : /** @type {any} */ (r.gpu),
    build: 'never',
    progressLogs: false,
    logLevel: LlamaLogLevel.warn,
    logger: (/** @type {string} */ level, /** @type {string} */ message) => {
      recentLogs.push(`${level}: ${message.trim()}`);
      if (recentLogs.length > 20) recentLogs.shift();
    },
    maxThreads: r.threads,
  });
  model = await llama.loadModel({ modelPath: r.modelPath, gpuLayers: r.gpu === false ? 0 : 'max', defaultContextFlashAttention: false });
  context = await model.createContext({
    contextSize: r.contextSize,
    sequences: r.sequences,
    flashAttention: false,
    experimentalKvCacheKeyType: r.kvType,
    experimentalKvCacheValueType: r.kvType,
    threads: r.threads,
    ignoreMemorySafetyChecks: false,
  });
  sequences = [];
  for (let i = 0; i < r.sequences; i++) sequences.push(context.getSequence());
  return {
    contextSize: context.contextSize,
    sequences: r.sequences,
    gpu: llama.gpu,
    gpuLayers: model.gpuLayers,
    llamaCpp: llama.llamaCppRelease?.release ?? null,
    flashAttention: context.flashAttention,
    threads: r.threads,
  };
}

async function close() {
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
  return {};
}

/** @param {Request} r */
async function handle(r) {
  switch (r.op) {
    case 'init': return init(r);
    case 'score': return score(r);
    case 'next': return next(r);
    case 'close': return close();
    default: throw new Error(`unknown request ${JSON.stringify(r)}`);
  }
}

process.on('message', (/** @type {Request} */ r) => {
  handle(r).then(
    (result) => {
      send({ id: r.id, ok: true, result });
      if (r.op === 'close') process.disconnect?.();
    },
    (/** @type {Error} */ e) => send({ id: r.id, ok: false, error: String(e?.message ?? e), logs: recentLogs.slice(-5) }),
  );
});
// the parent went away: nothing is left to answer
process.on('disconnect', () => process.exit(0));
