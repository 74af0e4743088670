// The `hf` engine's entry in the registry: lm-eval's `--model hf --model-args pretrained=...`
// arguments, on a local Hugging Face folder or a Hub repo OWNER/NAME[@REVISION] fetched into the HF cache.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { YardstickError } from '../../errors.js';
import { positiveIntegerArg } from '../model-args.js';
import type { EngineArgument, EngineFactory } from '../types.js';
import { fetchHubModel, parseHubModelId } from './hub.js';
import { openHfFolder } from './open.js';
import { defaultWarning } from '../model-args.js';

/** lm-eval HFLM arguments that change how torch runs, not the numbers we compute: accepted, unused. */
const NO_EFFECT = ['device', 'device_map', 'parallelize', 'low_cpu_mem_usage', 'attn_implementation', 'batch_size', 'max_batch_size', 'logits_cache', 'max_memory_per_gpu', 'max_cpu_memory', 'offload_folder', 'use_fast_tokenizer'];

const FP32 = ['float32', 'float', 'fp32'];
/** dtypes lm-eval would compute in; we compute in float32 and say so */
const OTHER_DTYPES = ['bfloat16', 'bf16', 'float16', 'fp16', 'half', 'float64', 'double'];

export const hfEngineFactory: EngineFactory = {
  name: 'hf',
  description: 'a Hugging Face model folder: safetensors (Llama, Mistral, Qwen2, Qwen3, GPT-2) converted to ONNX once and cached, or its optimum / transformers.js ONNX export',
  usage: 'hf:DIR or hf:OWNER/NAME[@REVISION]',
  args: [
    { name: 'pretrained', help: 'a model folder, or a Hub repo id OWNER/NAME[@REVISION]', required: true },
    { name: 'revision', help: 'Hub branch, tag or commit (a local folder is used as it is)' },
    { name: 'subfolder', help: 'the model is in this subfolder of pretrained' },
    { name: 'dtype', help: 'float32 or auto; bfloat16/float16 are accepted but computed in float32' },
    { name: 'max_length', help: "override the model's max length" },
    { name: 'onnx_file', help: 'run this file of the ONNX export (e.g. model_fp16.onnx) instead of converting safetensors' },
    { name: 'trust_remote_code', help: 'ignored: yardstick never runs code from a model repo' },
    { name: 'backend', help: 'causal (the only one)' },
    { name: 'threads', help: 'intra-op threads (default: all cores)' },
    ...NO_EFFECT.map((name): EngineArgument => ({ name, help: 'accepted for lm-eval command lines; no effect on CPU' })),
  ],
  async open(spec, options) {
    const args = spec.args;
    const warn = options.onWarning ?? defaultWarning;
    const dtype = args.dtype?.replace(/^torch\./, '');
    if (dtype !== undefined && dtype !== 'auto' && !FP32.includes(dtype)) {
      if (!OTHER_DTYPES.includes(dtype)) {
        throw new YardstickError('usage', `--model-args dtype=${args.dtype} is not a dtype`, { hint: 'use float32 (or auto)' });
      }
      warn(`dtype=${dtype}: yardstick computes in float32 (weights are upcast), so numbers will differ slightly from lm-eval's ${dtype} run`);
    }
    if (args.trust_remote_code !== undefined && /^true$/i.test(args.trust_remote_code)) {
      warn('trust_remote_code is ignored: yardstick never runs code from a model repo');
    }
    if (args.backend !== undefined && args.backend !== 'causal' && args.backend !== 'default') {
      throw new YardstickError('usage', `--model-args backend=${args.backend} is not supported`, { hint: 'yardstick evaluates causal language models only' });
    }
    const pretrained = args.pretrained!;
    let dir = args.subfolder ? join(pretrained, args.subfolder) : pretrained;
    let name = pretrained;
    let revision = args.revision;
    let sha: string | undefined;
    // a local folder wins over a repo id of the same spelling, as in transformers
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      const id = existsSync(pretrained) ? undefined : parseHubModelId(pretrained, args.revision);
      if (!id) {
        throw new YardstickError('model', `pretrained=${dir} is not a local folder or a Hub repo id`, {
          hint: 'pass a Hugging Face model folder (config.json, tokenizer.json, safetensors or onnx/) or OWNER/NAME[@REVISION]',
        });
      }
      const model = await fetchHubModel(id, { onnxFile: args.onnx_file, subfolder: args.subfolder, onProgress: options.onDownload });
      ({ dir, revision, commit: sha } = model);
      name = model.repo;
    }
    return openHfFolder(dir, {
      name,
      revision,
      sha,
      onnxFile: args.onnx_file,
      maxLength: options.maxLength ?? positiveIntegerArg('max_length', args.max_length),
      threads: positiveIntegerArg('threads', args.threads) ?? options.threads,
      onProgress: options.onProgress,
      onWarning: warn,
    });
  },
};
