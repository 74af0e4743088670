// Where the remote engine's tokenizer comes from: a local Hugging Face folder, or `SCHEME:REF`
// resolved by a loader plugged in here (the hub code adds `hf:REPO` to BUILTIN_SCHEMES).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { YardstickError } from '../../errors.js';
import { HfTokenizer } from '../hf-tokenizer.js';
import type { EngineTokenizer, OpenOptions } from '../types.js';

/** Resolves `REF` of `tokenizer=SCHEME:REF` (e.g. a hub repo id) to a tokenizer. */
export type TokenizerLoader = (ref: string, options: OpenOptions) => Promise<EngineTokenizer>;

// Built-in schemes, listed once (nothing registers itself on import).
const BUILTIN_SCHEMES: Array<[string, TokenizerLoader]> = [];

const schemes = new Map<string, TokenizerLoader>(BUILTIN_SCHEMES);

/** Adds (or replaces) a scheme; returns a function that removes it again. */
export function registerTokenizerScheme(scheme: string, loader: TokenizerLoader): () => void {
  const previous = schemes.get(scheme);
  schemes.set(scheme, loader);
  return () => {
    if (schemes.get(scheme) !== loader) return;
    if (previous) schemes.set(scheme, previous);
    else schemes.delete(scheme);
  };
}

export function isTokenizerFolder(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && existsSync(join(dir, 'tokenizer.json'));
}

/** `DIR` (a folder with tokenizer.json) or `SCHEME:REF`. A one-letter scheme is a Windows drive. */
export async function loadTokenizer(ref: string, options: OpenOptions): Promise<EngineTokenizer> {
  const m = /^([a-z][a-z0-9+.-]+):(.+)$/i.exec(ref);
  if (m && !existsSync(ref)) {
    const loader = schemes.get(m[1]!.toLowerCase());
    if (!loader) {
      throw new YardstickError('usage', `tokenizer=${ref}: no tokenizer source '${m[1]}:' in this build`, {
        hint: `pass a local folder holding the served model's tokenizer.json${schemes.size ? ` or one of: ${[...schemes.keys()].map((s) => `${s}:`).join(', ')}` : ''}`,
      });
    }
    return loader(m[2]!, options);
  }
  if (!existsSync(ref)) {
    throw new YardstickError('usage', `tokenizer folder not found: ${ref}`, { hint: "pass the served model's folder (tokenizer.json, tokenizer_config.json)" });
  }
  return HfTokenizer.fromFolder(ref);
}
