// Fuzz: mutated split files (jsonl, json, csv, parquet) through the format readers, and mutated
// original-release files through every importer; each ends in documents or one YardstickError line.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocs } from '../../src/data/formats/index.js';
import { convertOriginal } from '../../src/data/import/index.js';
import type { Doc } from '../../src/data/types.js';
import { parquetBytes } from '../data/helpers.js';
import { Outcomes, Rng, expectNoUndefined } from './generate.js';

const SPLIT_FILES: Record<string, string> = {
  'x.jsonl': '{"text": "a b", "label": 1}\n{"text": "c", "label": 0}\n',
  'x.json': '[{"sentence": "A _ b", "option1": "x", "option2": "y", "answer": "1"}]',
  'y.json': '{"data": [{"q": "1+1", "a": 2}], "version": "1"}',
  'x.csv': 'question,A,B,answer\n"What, then?",yes,"no ""really""",A\n',
};

// original-release files, by importer format and file name
const ORIGINALS: Array<{ format: string; folder?: string; file: string; text: string }> = [
  { format: 'glue-tsv', folder: 'CoLA', file: 'dev.tsv', text: 'gj04\t1\t\tOur friends won\'t buy this analysis.\ngj04\t0\t*\tThey drank the pub.\n' },
  { format: 'glue-tsv', folder: 'RTE', file: 'dev.tsv', text: 'index\tsentence1\tsentence2\tlabel\n0\tA man.\tA person.\tentailment\n1\tX\tY\tnot_entailment\n' },
  { format: 'mmlu-csv', file: 'abstract_algebra_test.csv', text: 'Find x.,1,2,3,4,B\n"Is 2, prime?",yes,no,maybe,never,A\n' },
  { format: 'math-json', file: 'test.jsonl', text: '{"problem": "1+1?", "level": "Level 1", "type": "Algebra", "solution": "It is $\\\\boxed{2}$."}\n' },
  { format: 'winogrande-jsonl', file: 'dev.jsonl', text: '{"qID": "1", "sentence": "The _ fell.", "option1": "cup", "option2": "plate", "answer": "2"}\n' },
  { format: 'lambada-jsonl', file: 'lambada_test.jsonl', text: '{"text": "the cat sat on the mat"}\n{"text": "he wrote a letter"}\n' },
];

/** Every document is a record without undefined values, and no text says "undefined" unless given. */
function checkDocs(docs: Doc[], input: string, where: string): void {
  expect(Array.isArray(docs), where).toBe(true);
  for (const doc of docs) {
    expect(typeof doc === 'object' && doc !== null, where).toBe(true);
    for (const v of Object.values(doc)) expect(v, where).not.toBe(undefined);
  }
  expectNoUndefined(JSON.stringify(docs), input, where);
}

describe('fuzz: data readers and importers', () => {
  it('format readers: documents or one line', async () => {
    const rng = new Rng(0xda7a);
    const outcomes = new Outcomes('data format readers');
    const parquet = parquetBytes([
      { name: 'text', type: 'string', data: ['a', 'b', 'c'] },
      { name: 'label', type: 'int64', data: [0n, 1n, 2n] },
      { name: 'choices', type: 'string-list', data: [['x'], ['y', 'z'], []] },
    ]);
    for (let i = 0; i < 1100; i++) {
      if (i % 5 === 4) {
        // damaged parquet: flipped, dropped or inserted bytes, keeping the PAR1 magic some of the time
        const bytes = Uint8Array.from(parquet);
        for (let k = 0; k < 1 + rng.int(4); k++) bytes[rng.int(bytes.length)] = rng.int(256);
        const cut = rng.chance(0.3) ? bytes.slice(0, rng.int(bytes.length)) : bytes;
        await outcomes.case(`${i} parquet`, () => parseDocs(cut, 'x.parquet'), (docs) => checkDocs(docs, '', `parquet case ${i}`));
        continue;
      }
      const name = rng.pick(Object.keys(SPLIT_FILES));
      const text = rng.mutate(SPLIT_FILES[name]!, 3);
      await outcomes.case(`${i} ${name}`, () => parseDocs(new TextEncoder().encode(text), name), (docs) => checkDocs(docs, text, `${name} case ${i}: ${JSON.stringify(text)}`));
    }
    outcomes.report();
  });

  it('importers: documents or one line', async () => {
    const rng = new Rng(0x1e9);
    const root = mkdtempSync(join(tmpdir(), 'yardstick-fuzz-import-'));
    const outcomes = new Outcomes('data importers');
    for (let i = 0; i < 1000; i++) {
      const original = rng.pick(ORIGINALS);
      const dir = join(root, String(i), original.folder ?? '');
      mkdirSync(dir, { recursive: true });
      const text = rng.mutate(original.text, 3);
      const file = join(dir, original.file);
      writeFileSync(file, text);
      const path = original.folder ? dir : file;
      await outcomes.case(`${i} ${original.format}`, () => convertOriginal(original.format, path), (out) => {
        for (const split of out.splits) checkDocs(split.docs, text, `${original.format} case ${i}: ${JSON.stringify(text)}`);
      });
    }
    outcomes.report();
  });
});
