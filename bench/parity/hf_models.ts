// The hf engine on model folders that transformers wrote (random-init from_config, real weights),
// against float64 torch log-probs from bench/parity/reference_logprobs.py (pyref): per request,
// the token ids our tokenizer gives for the context and continuation, and |Δ log-prob| against the
// float64 and float32 torch forwards. Prints one JSON line per model and a table.
// Run through bench/parity/hf_models.sh; by hand:
//   node dist/bench/bench/parity/hf_models.js --cache DIR MODEL_DIR=FIXTURE.jsonl [...]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openHfFolder } from '../../src/engines/hf/open.js';
import { isYardstickError } from '../../src/errors.js';

interface Fixture {
  context: string;
  continuation_text: string;
  input: number[];
  continuation: number[];
  token_logprobs: number[];
  token_logprobs_fp32: number[];
  logprob: number;
}

const args = process.argv.slice(2);
const cacheAt = args.indexOf('--cache');
const cacheDir = cacheAt >= 0 ? args.splice(cacheAt, 2)[1] : undefined;

for (const pair of args) {
  const [dir, fixtureFile] = pair.split('=') as [string, string];
  const fixtures = readFileSync(fixtureFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Fixture);
  const started = performance.now();
  let engine;
  try {
    engine = await openHfFolder(dir, { cacheDir, onWarning: (m) => process.stderr.write(`warning: ${m}\n`) });
  } catch (e) {
    console.log(JSON.stringify({ model: basename(dir), error: isYardstickError(e) ? e.oneLine() : String(e) }));
    continue;
  }
  const openSeconds = (performance.now() - started) / 1000;
  let tokenIdsEqual = 0;
  let worstToken64 = 0;
  let worstRequest64 = 0;
  let worstToken32 = 0;
  let worstRequest32 = 0;
  let tokens = 0;
  let longest = 0;
  for (const f of fixtures) {
    // lm-eval's _encode_pair with the tokenizer's default special tokens
    const whole = engine.tokenizer.encode(f.context + f.continuation_text, true);
    const context = engine.tokenizer.encode(f.context, true);
    if (JSON.stringify(context) === JSON.stringify(f.input) && JSON.stringify(whole.slice(context.length)) === JSON.stringify(f.continuation)) tokenIdsEqual++;
    const input = [...f.input, ...f.continuation].slice(0, -1);
    longest = Math.max(longest, input.length);
    const result = (await engine.scoreBatch([{ input, continuations: [f.continuation] }]))[0]![0]!;
    result.tokenLogprobs.forEach((lp, k) => {
      worstToken64 = Math.max(worstToken64, Math.abs(lp - f.token_logprobs[k]!));
      worstToken32 = Math.max(worstToken32, Math.abs(lp - f.token_logprobs_fp32[k]!));
      tokens++;
    });
    worstRequest64 = Math.max(worstRequest64, Math.abs(result.logprob - f.logprob));
    const sum32 = f.token_logprobs_fp32.reduce((a, b) => a + b, 0);
    worstRequest32 = Math.max(worstRequest32, Math.abs(result.logprob - sum32));
  }
  await engine.close();
  console.log(
    JSON.stringify({
      model: basename(dir),
      architecture: engine.info.fingerprint.settings.architecture,
      requests: fixtures.length,
      tokens,
      longest_input: longest,
      token_ids_equal: `${tokenIdsEqual}/${fixtures.length}`,
      max_abs_delta_request_vs_f64: worstRequest64,
      max_abs_delta_token_vs_f64: worstToken64,
      max_abs_delta_request_vs_torch_f32: worstRequest32,
      max_abs_delta_token_vs_torch_f32: worstToken32,
      open_seconds: Number(openSeconds.toFixed(2)),
    }),
  );
}
