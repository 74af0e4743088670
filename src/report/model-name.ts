// Short model names, for the report's default labels and run folder names: a hub model keeps its name or
// repo id ("gpt2", "HuggingFaceTB/SmolLM-135M"), a local folder is known by its own name ("tiny-64"), a
// Hugging Face cache snapshot by the repo it holds.
import { sanitizeModelName } from './results-json.js';

export interface ShortNameOptions {
  /** the id is a local path (true) or a hub id (false); default: guessed from its shape */
  local?: boolean;
}

const HF_CACHE_SNAPSHOT = /(?:^|\/)models--([^/]+?)--([^/]+)\/snapshots\/[^/]+$/;

function segments(id: string): string[] {
  return id.replace(/\\/g, '/').replace(/\/+$/, '').split('/');
}

/**
 * Local paths are absolute, start with ".", "~" or a drive letter, use backslashes, or have three or more
 * segments; "org/name" and "name" read as hub ids (a two-segment relative folder keeps both segments).
 */
export function looksLocal(id: string): boolean {
  if (/^([/~.]|[A-Za-z]:)/.test(id) || id.includes('\\')) return true;
  return segments(id).length >= 3;
}

/** "tiny-64" for "/tmp/models/tiny-64", "org/name" for a hub id or a cached snapshot of it. */
export function modelShortName(modelId: string, options: ShortNameOptions = {}): string {
  const id = modelId.trim();
  const parts = segments(id);
  const cached = HF_CACHE_SNAPSHOT.exec(parts.join('/'));
  if (cached) return `${cached[1]}/${cached[2]}`;
  const local = options.local ?? looksLocal(id);
  if (!local) return id.replace(/\/+$/, '') || id;
  return parts[parts.length - 1] || id;
}

/**
 * The folder a run's results go to under --output_path: the short name, sanitised as lm-eval sanitises
 * model names ("HuggingFaceTB__SmolLM-135M", "tiny-64" rather than "__tmp__models__tiny-64").
 */
export function runFolderName(modelId: string, options: ShortNameOptions = {}): string {
  return sanitizeModelName(modelShortName(modelId, options));
}

/**
 * Short names for several models at once: where two different models would share a name, more of their
 * paths is kept ("a/model", "b/model") until they differ. Equal ids stay equal.
 */
export function shortNames(modelIds: readonly string[]): string[] {
  const names = modelIds.map((id) => modelShortName(id));
  for (;;) {
    const clash = names.findIndex((n, i) => names.some((m, j) => j !== i && m === n && modelIds[j] !== modelIds[i]));
    if (clash < 0) return names;
    const shared = names[clash]!;
    let grew = false;
    names.forEach((n, i) => {
      if (n !== shared) return;
      const parts = segments(modelIds[i]!.trim());
      const kept = n.split('/').length;
      if (kept < parts.length) {
        names[i] = parts.slice(parts.length - kept - 1).join('/');
        grew = true;
      }
    });
    if (!grew) {
      names.forEach((n, i) => {
        if (n === shared) names[i] = modelIds[i]!;
      });
      return names;
    }
  }
}
