// Opens an engine from a model spec: `onnx:DIR`, or lm-eval style `--model onnx --model-args pretrained=DIR`.
import { YardstickError } from '../errors.js';
import { OnnxEngine } from './onnx/engine.js';
import type { Engine } from './types.js';

export interface ModelSpec {
  engine: string;
  args: Record<string, string>;
}

export function parseModelArgs(text: string | undefined): Record<string, string> {
  const args: Record<string, string> = {};
  if (!text) return args;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq === -1) throw new YardstickError('usage', `--model-args: '${part}' is not key=value`, { hint: 'e.g. --model-args pretrained=DIR,max_length=2048' });
    args[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return args;
}

export function parseModelSpec(model: string, modelArgs?: string): ModelSpec {
  const colon = model.indexOf(':');
  const engine = colon === -1 ? model : model.slice(0, colon);
  const args = parseModelArgs(modelArgs);
  if (colon !== -1) args.pretrained = model.slice(colon + 1);
  return { engine, args };
}

export async function openEngine(spec: ModelSpec, options: { maxLength?: number } = {}): Promise<Engine> {
  const maxLength = options.maxLength ?? (spec.args.max_length ? Number(spec.args.max_length) : undefined);
  switch (spec.engine) {
    case 'onnx': {
      const dir = spec.args.pretrained;
      if (!dir) throw new YardstickError('usage', 'the onnx engine needs a model folder', { hint: 'use --model onnx:DIR' });
      return OnnxEngine.load(dir, { maxLength });
    }
    default:
      throw new YardstickError('usage', `unknown engine '${spec.engine}'`, { hint: 'use --model onnx:DIR' });
  }
}
