// One phase of the conversion bench, in its own process so that its peak RSS is its own:
//   make DIR PRESET   write a make-model preset as a bf16 Hugging Face folder
//   open DIR CACHE    open it with the hf engine (converting when CACHE has no entry), score one
//                     request, print {seconds, peak_rss_mib, cached}
// Run through bench/hf_convert/run.sh.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { convertedModel } from '../../src/engines/hf/conversion-cache.js';
import { openHfFolder } from '../../src/engines/hf/open.js';
import { readModelConfig } from '../../src/engines/model-folder.js';
import { makeModel } from '../../src/models/make-model.js';

const [phase, dir, extra] = process.argv.slice(2) as [string, string, string];
const peakMib = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

if (phase === 'make') {
  const started = performance.now();
  await makeModel({ preset: extra, seed: 1, outDir: dir, dtype: 'BF16' });
  // a plain HF folder: the hf engine must not find make-model's own ONNX export
  await rm(join(dir, 'onnx'), { recursive: true, force: true });
  console.log(JSON.stringify({ phase, preset: extra, seconds: (performance.now() - started) / 1000 }));
} else if (phase === 'open') {
  const started = performance.now();
  // the conversion alone first (its own peak), then the engine as `--model hf:DIR` opens it
  const converted = await convertedModel(dir, readModelConfig(dir), { cacheDir: extra });
  const convertSeconds = (performance.now() - started) / 1000;
  const convertPeak = peakMib();
  const engine = await openHfFolder(dir, { cacheDir: extra });
  const openSeconds = (performance.now() - started) / 1000;
  const ids = engine.tokenizer.encode('The quick brown fox jumps over the lazy dog.', false);
  const score = (await engine.scoreBatch([{ input: ids.slice(0, -1), continuations: [ids.slice(1)] }]))[0]![0]!;
  await engine.close();
  console.log(
    JSON.stringify({
      phase,
      cached: converted.cached,
      convert_or_lookup_seconds: Number(convertSeconds.toFixed(2)),
      convert_or_lookup_peak_rss_mib: convertPeak,
      engine_ready_seconds: Number(openSeconds.toFixed(2)),
      peak_rss_mib: peakMib(),
      logprob: score.logprob,
    }),
  );
}
