// The `onnx` engine's entry in the engine registry: its arguments and how to open it.
import { YardstickError } from '../../errors.js';
import { positiveIntegerArg } from '../model-args.js';
import type { EngineFactory } from '../types.js';
import { OnnxEngine } from './engine.js';

export const onnxEngineFactory: EngineFactory = {
  name: 'onnx',
  description: 'ONNX Runtime (CPU, fp32) on a Hugging Face model folder with an ONNX export in onnx/',
  usage: 'onnx:DIR',
  args: [
    { name: 'pretrained', help: 'the model folder', required: true },
    { name: 'max_length', help: "override the model's max length" },
    { name: 'dtype', help: 'float32 only (the export is fp32)' },
    { name: 'threads', help: 'intra-op threads (default: all cores)' },
  ],
  async open(spec, options) {
    const { pretrained, max_length, dtype, threads } = spec.args;
    if (dtype !== undefined && !['float32', 'fp32', 'auto'].includes(dtype)) {
      throw new YardstickError('usage', `the onnx engine computes in float32, not ${dtype}`, { hint: 'drop dtype= or set dtype=float32' });
    }
    return OnnxEngine.load(pretrained!, {
      maxLength: options.maxLength ?? positiveIntegerArg('max_length', max_length),
      threads: positiveIntegerArg('threads', threads) ?? options.threads,
    });
  },
};
