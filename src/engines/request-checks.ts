// Checks every engine applies to what it is asked before computing: token ids inside the
// vocabulary, continuations that fit their input, and no calls after close(). A bad request is a
// clear error here instead of an out-of-bounds read inside a runtime.
import { YardstickError } from '../errors.js';
import type { GenerateRequest, ScoreInput } from './types.js';

function checkIds(ids: number[], vocab: number, engine: string, what: string): void {
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= vocab) {
      throw new YardstickError('engine', `${engine}: ${what} holds token id ${id}, outside the model's vocabulary of ${vocab}`, {
        hint: "the tokenizer and the model do not match; check the model folder's tokenizer files",
      });
    }
  }
}

export function checkScoreBatch(batch: ScoreInput[], vocab: number, engine: string): void {
  for (const r of batch) {
    if (r.input.length === 0) throw new YardstickError('engine', `${engine}: a scoring request has an empty input`);
    checkIds(r.input, vocab, engine, 'a scoring input');
    for (const c of r.continuations) {
      if (c.length === 0 || c.length > r.input.length) {
        throw new YardstickError('engine', `${engine}: a continuation of ${c.length} tokens cannot be scored on an input of ${r.input.length}`);
      }
      checkIds(c, vocab, engine, 'a continuation');
    }
  }
}

export function checkGenerateBatch(batch: GenerateRequest[], vocab: number, engine: string): void {
  for (const r of batch) {
    if (r.input.length === 0) throw new YardstickError('engine', `${engine}: a generation request has an empty context`);
    checkIds(r.input, vocab, engine, 'a generation context');
    if (!Number.isInteger(r.maxNewTokens) || r.maxNewTokens < 0) {
      throw new YardstickError('engine', `${engine}: max new tokens must be a whole number, got ${r.maxNewTokens}`);
    }
    if (r.sampling?.doSample) {
      throw new YardstickError('engine', `${engine} decodes greedily and cannot sample (do_sample: true)`, {
        hint: 'set do_sample: false in generation_kwargs, or use an engine that samples (a server)',
      });
    }
  }
}

export function closedError(engine: string): YardstickError {
  return new YardstickError('engine', `${engine}: the engine was closed`, { hint: 'open the model again' });
}
