// JSON lines and JSON documents, the two shapes HF's json loader accepts, with errors that name file and line.
import { YardstickError } from '../../errors.js';
import type { Doc } from '../types.js';

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One JSON object per line; blank lines are skipped (as HF's json loader does). */
export function parseJsonl(text: string, file: string): Doc[] {
  const docs: Doc[] = [];
  const lines = stripBom(text).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new YardstickError('data', `${file}:${i + 1}: not valid JSON (${(e as Error).message})`, {
        hint: 'each line must be one complete JSON object; the file may be truncated',
      });
    }
    if (!isPlainObject(value)) {
      throw new YardstickError('data', `${file}:${i + 1}: expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`, {
        hint: 'each line must be one document with the dataset field names as keys',
      });
    }
    docs.push(value);
  }
  return docs;
}

/**
 * A .json file: an array of objects, an object of equally long columns, or JSON lines
 * (HF's json loader reads all three).
 */
export function parseJsonDocs(text: string, file: string): Doc[] {
  const body = stripBom(text);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    // not one JSON value: maybe JSON lines saved as .json
    const firstLine = body.split('\n', 1)[0] ?? '';
    try {
      JSON.parse(firstLine);
    } catch {
      throw new YardstickError('data', `${file}: not valid JSON (${(e as Error).message})`, {
        hint: 'expected an array of documents or JSON lines; the file may be truncated',
      });
    }
    return parseJsonl(body, file);
  }
  if (Array.isArray(value)) {
    value.forEach((row, i) => {
      if (!isPlainObject(row)) {
        throw new YardstickError('data', `${file}: element ${i} of the top-level array is not an object`, {
          hint: 'each element must be one document with the dataset field names as keys',
        });
      }
    });
    return value as Doc[];
  }
  if (isPlainObject(value)) {
    const columns = Object.entries(value);
    const lengths = new Set(columns.map(([, v]) => (Array.isArray(v) ? v.length : -1)));
    if (columns.length > 0 && !lengths.has(-1) && lengths.size === 1) {
      const n = [...lengths][0]!;
      const docs: Doc[] = [];
      for (let i = 0; i < n; i++) {
        const doc: Doc = {};
        for (const [name, col] of columns) doc[name] = (col as unknown[])[i];
        docs.push(doc);
      }
      return docs;
    }
    return [value];
  }
  throw new YardstickError('data', `${file}: expected an array of documents, found ${typeof value}`, {
    hint: 'write the split as a JSON array of objects or as JSON lines (.jsonl)',
  });
}

/** Serialises documents as JSON lines (key order kept). */
export function toJsonl(docs: Doc[]): string {
  return docs.map((d) => JSON.stringify(d)).join('\n') + (docs.length > 0 ? '\n' : '');
}
