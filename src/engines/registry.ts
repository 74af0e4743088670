// Engines by name: `--model NAME:PATH` and lm-eval's `--model NAME --model-args k=v,...` resolve
// here. The built-in engines are listed once below; tests and embedders add theirs with
// registerEngine. Nothing registers itself by being imported.
import { statSync } from 'node:fs';
import { YardstickError, closeMatches } from '../errors.js';
import { hfEngineFactory } from './hf/factory.js';
import { ggufEngineFactory } from './llamacpp/factory.js';
import { onnxEngineFactory } from './onnx/factory.js';
import { remoteEngineFactory } from './remote/factory.js';
import type { Engine, EngineFactory, ModelSpec, OpenOptions } from './types.js';
import { parseModelArgs } from './model-args.js';

export { parseModelArgs };

const factories = new Map<string, EngineFactory>();
for (const f of [onnxEngineFactory, hfEngineFactory, remoteEngineFactory, ggufEngineFactory]) factories.set(f.name, f);

/** Adds (or replaces) an engine. Returns a function that removes it again. */
export function registerEngine(factory: EngineFactory): () => void {
  const previous = factories.get(factory.name);
  factories.set(factory.name, factory);
  return () => {
    if (factories.get(factory.name) !== factory) return;
    if (previous) factories.set(factory.name, previous);
    else factories.delete(factory.name);
  };
}

export function engineFactories(): EngineFactory[] {
  return [...factories.values()];
}

export function engineFactory(name: string): EngineFactory {
  const f = factories.get(name);
  if (f) return f;
  const close = closeMatches(name, factories.keys());
  throw new YardstickError('usage', `unknown engine '${name}'${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`, {
    hint: `engines: ${engineFactories().map((e) => e.usage).join(', ')}`,
  });
}

/**
 * `NAME:PATH` sets pretrained=PATH; a bare `NAME` takes everything from --model-args; a bare existing
 * folder that names no engine is a Hugging Face folder for the hf engine.
 */
export function parseModelSpec(model: string, modelArgs?: string): ModelSpec {
  if (!factories.has(model) && isFolder(model)) return { engine: 'hf', args: { ...parseModelArgs(modelArgs), pretrained: model } };
  const colon = model.indexOf(':');
  const engine = colon === -1 ? model : model.slice(0, colon);
  const args = parseModelArgs(modelArgs);
  if (colon !== -1) args.pretrained = model.slice(colon + 1);
  return { engine, args };
}

/** Checks the spec against the engine's declared arguments before anything is opened. */
export function validateModelSpec(spec: ModelSpec): EngineFactory {
  const factory = engineFactory(spec.engine);
  const known = new Set(factory.args.map((a) => a.name));
  for (const key of Object.keys(spec.args)) {
    if (!known.has(key)) {
      throw new YardstickError('usage', `the ${factory.name} engine has no model argument '${key}'`, {
        hint: `it reads: ${factory.args.map((a) => a.name).join(', ')}`,
      });
    }
  }
  for (const a of factory.args) {
    if (a.required && !spec.args[a.name]) {
      throw new YardstickError('usage', `the ${factory.name} engine needs ${a.name} (${a.help})`, { hint: `use --model ${factory.usage}` });
    }
  }
  return factory;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function openEngine(spec: ModelSpec, options: OpenOptions = {}): Promise<Engine> {
  return validateModelSpec(spec).open(spec, options);
}
