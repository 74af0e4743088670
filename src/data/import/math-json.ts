// Hendrycks MATH (MATH/<split>/<subject>/<n>.json, or a JSONL of such problems) → EleutherAI/hendrycks_math:
// {problem, level, type, solution}, one config per subject. Folder input keeps HF's order (files sorted by name).
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { YardstickError } from '../../errors.js';
import type { Doc } from '../types.js';
import { type ImportOptions, type ImportOutput, isDir, mustExist, readText, rowError } from './common.js';

export const MATH_DATASET = 'EleutherAI/hendrycks_math';
export const MATH_SUBJECTS = ['algebra', 'counting_and_probability', 'geometry', 'intermediate_algebra', 'number_theory', 'prealgebra', 'precalculus'];

/** The `type` field → HF config name (for JSONL input, which has no folders). */
const TYPE_TO_SUBJECT: Record<string, string> = {
  Algebra: 'algebra',
  'Counting & Probability': 'counting_and_probability',
  Geometry: 'geometry',
  'Intermediate Algebra': 'intermediate_algebra',
  'Number Theory': 'number_theory',
  Prealgebra: 'prealgebra',
  Precalculus: 'precalculus',
};

const FIELDS = ['problem', 'level', 'type', 'solution'] as const;

function problemDoc(value: unknown, where: string): Doc {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new YardstickError('data', `${where}: expected a JSON object with ${FIELDS.join(', ')}`);
  }
  const v = value as Record<string, unknown>;
  const doc: Doc = {};
  for (const f of FIELDS) {
    if (typeof v[f] !== 'string') {
      throw new YardstickError('data', `${where}: field '${f}' is ${v[f] === undefined ? 'missing' : 'not a string'}`, {
        hint: 'each MATH problem has problem, level, type and solution strings',
      });
    }
    doc[f] = v[f];
  }
  return doc;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new YardstickError('data', `${file}: not valid JSON (${(e as Error).message})`, { hint: 'the file may be truncated' });
  }
}

/** One split folder (<split>/<subject>/*.json): HF's loader reads each subject's files in sorted order. */
function importSplitDir(dir: string, split: string, out: ImportOutput): void {
  for (const subject of readdirSync(dir).sort()) {
    const subDir = join(dir, subject);
    if (!isDir(subDir)) continue;
    const files = readdirSync(subDir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    const docs = files.map((f) => problemDoc(parseJson(join(subDir, f), readText(join(subDir, f))), join(subDir, f)));
    if (!MATH_SUBJECTS.includes(subject)) out.warnings.push(`${subDir}: '${subject}' is not one of the MATH subjects; imported as config ${subject}`);
    out.splits.push({ dataset: MATH_DATASET, config: subject, split, docs, sources: [subDir] });
  }
}

function importJsonl(file: string, options: ImportOptions, out: ImportOutput): void {
  const split = options.split ?? (/^(train|test)\b/.exec(basename(file))?.[1] ?? 'test');
  const bySubject = new Map<string, Doc[]>();
  readText(file)
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        throw rowError(file, i + 1, `not valid JSON (${(e as Error).message})`, 'each line must be one complete JSON object');
      }
      const doc = problemDoc(value, `${file}:${i + 1}`);
      const subject = options.config ?? TYPE_TO_SUBJECT[doc.type as string];
      if (!subject) throw rowError(file, i + 1, `unknown type '${doc.type as string}' (expected ${Object.keys(TYPE_TO_SUBJECT).join(', ')})`);
      bySubject.set(subject, [...(bySubject.get(subject) ?? []), doc]);
    });
  for (const subject of [...bySubject.keys()].sort()) {
    out.splits.push({ dataset: MATH_DATASET, config: subject, split, docs: bySubject.get(subject)!, sources: [file] });
  }
  out.warnings.push(`${file}: problems keep the line order; HF orders each subject by problem file name, so --limit may pick other problems than lm-eval`);
}

export function importMathJson(path: string, options: ImportOptions): ImportOutput {
  mustExist(path, 'MATH');
  const out: ImportOutput = { splits: [], warnings: [] };
  if (!isDir(path)) {
    importJsonl(path, options, out);
    return out;
  }
  const splitDirs = ['train', 'test'].filter((s) => isDir(join(path, s)));
  if (splitDirs.length > 0) {
    for (const s of splitDirs) if (!options.split || options.split === s) importSplitDir(join(path, s), s, out);
  } else if (readdirSync(path).some((n) => MATH_SUBJECTS.includes(n))) {
    importSplitDir(path, options.split ?? (basename(path) === 'train' ? 'train' : 'test'), out);
  }
  if (out.splits.length === 0) {
    throw new YardstickError('data', `no MATH problems found in ${path}`, {
      hint: 'pass the MATH folder (with test/<subject>/*.json), one split folder, or a .jsonl file',
    });
  }
  return out;
}
