// Imports the real original-release files from ../shared/data (read-only, never copied into the repo;
// output goes to a temp folder) and checks the canonical row counts and label counts from SOURCES.md.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importDataset, type WrittenSplit } from '../../../src/data/import/index.js';
import { createDataSource } from '../../../src/data/source.js';
import type { Doc } from '../../../src/data/types.js';
import { tempDir } from '../helpers.js';
import { skipNote } from '../../helpers/skip.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const shared = process.env.YARDSTICK_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
const present = existsSync(shared);
const skipped = skipNote(present, `${shared} not found; set YARDSTICK_SHARED_DATA to the original release files (README: Tests)`);

describe.skipIf(!present)(`importing the original release files in shared/data${skipped}`, () => {
  let out: { path: string; remove: () => void };
  const written: WrittenSplit[] = [];
  const imports: Array<[string, string]> = [
    ['lambada-jsonl', 'lambada_openai/test.jsonl'],
    ['winogrande-jsonl', 'winogrande'],
    ['glue-tsv', 'glue'],
    ['mmlu-csv', 'mmlu'],
    ['math-json', 'hendrycks_math'],
  ];

  beforeAll(() => {
    out = tempDir('shared');
    for (const [format, rel] of imports) written.push(...importDataset(format, join(shared, rel), out.path).written);
  });
  afterAll(() => out.remove());

  const rows = (dataset: string, split: string, config?: string): number =>
    written.filter((w) => w.dataset === dataset && w.split === split && (config === undefined || w.config === config)).reduce((n, w) => n + w.rows, 0);
  const load = async (path: string, name: string, split: string): Promise<Doc[]> => (await createDataSource({ dataDir: out.path, hub: false }).load({ path, name, split })).docs;
  const count = (docs: Doc[], field: string, value: unknown): number => docs.filter((d) => d[field] === value).length;

  test('canonical row counts', () => {
    const counts = {
      'LAMBADA (lambada_openai default test)': rows('EleutherAI/lambada_openai', 'test', 'default'),
      'Winogrande (winogrande_xl validation)': rows('allenai/winogrande', 'validation', 'winogrande_xl'),
      'CoLA validation': rows('nyu-mll/glue', 'validation', 'cola'),
      'MRPC validation': rows('nyu-mll/glue', 'validation', 'mrpc'),
      'QNLI validation': rows('nyu-mll/glue', 'validation', 'qnli'),
      'RTE validation': rows('nyu-mll/glue', 'validation', 'rte'),
      'SST-2 validation': rows('nyu-mll/glue', 'validation', 'sst2'),
      'WNLI validation': rows('nyu-mll/glue', 'validation', 'wnli'),
      'MMLU test (57 subjects)': rows('cais/mmlu', 'test'),
      'MMLU dev (57 subjects)': rows('cais/mmlu', 'dev'),
      'MATH test (7 subjects)': rows('EleutherAI/hendrycks_math', 'test'),
    };
    console.log(Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join('\n'));
    expect(Object.values(counts)).toEqual([5153, 1267, 1043, 408, 5463, 277, 872, 71, 14042, 285, 5000]);
    expect(written.filter((w) => w.dataset === 'cais/mmlu' && w.split === 'test')).toHaveLength(57);
  });

  test('GLUE labels in HF order match the label counts of the originals', async () => {
    const cola = await load('nyu-mll/glue', 'cola', 'validation');
    expect([count(cola, 'label', 1), count(cola, 'label', 0)]).toEqual([721, 322]);
    const mrpc = await load('nyu-mll/glue', 'mrpc', 'validation');
    expect([count(mrpc, 'label', 1), count(mrpc, 'label', 0)]).toEqual([279, 129]);
    // entailment = 0, not_entailment = 1 for QNLI and RTE
    const qnli = await load('nyu-mll/glue', 'qnli', 'validation');
    expect([count(qnli, 'label', 0), count(qnli, 'label', 1)]).toEqual([2702, 2761]);
    const rte = await load('nyu-mll/glue', 'rte', 'validation');
    expect([count(rte, 'label', 0), count(rte, 'label', 1)]).toEqual([146, 131]);
    const sst2 = await load('nyu-mll/glue', 'sst2', 'validation');
    expect([count(sst2, 'label', 1), count(sst2, 'label', 0)]).toEqual([444, 428]);
    const wnli = await load('nyu-mll/glue', 'wnli', 'validation');
    expect([count(wnli, 'label', 0), count(wnli, 'label', 1)]).toEqual([40, 31]);
    expect(Object.keys(rte[0]!)).toEqual(['sentence1', 'sentence2', 'label', 'idx']);
  });

  test('Winogrande answers stay strings; MMLU and MATH per-config counts', async () => {
    const wg = await load('allenai/winogrande', 'winogrande_xl', 'validation');
    expect([count(wg, 'answer', '1'), count(wg, 'answer', '2')]).toEqual([628, 639]);
    expect(rows('cais/mmlu', 'test', 'professional_law')).toBe(1534);
    expect(rows('cais/mmlu', 'test', 'moral_scenarios')).toBe(895);
    const anatomy = await load('cais/mmlu', 'anatomy', 'test');
    expect(anatomy[0]!.question).toBe('A lesion causing compression of the facial nerve at the stylomastoid foramen will cause ipsilateral');
    expect(anatomy[0]!.choices).toEqual([
      'paralysis of the facial muscles.',
      'paralysis of the facial muscles and loss of taste.',
      'paralysis of the facial muscles, loss of taste and lacrimation.',
      'paralysis of the facial muscles, loss of taste, lacrimation and decreased salivation.',
    ]);
    const anatomyDev = await load('cais/mmlu', 'anatomy', 'dev');
    expect(anatomyDev[0]!.question).toBe('What is the embryological origin of the hyoid bone?');
    expect(anatomyDev.map((d) => 'ABCD'[d.answer as number]).join('')).toBe('DDCCB');
    const math = Object.fromEntries(written.filter((w) => w.dataset === 'EleutherAI/hendrycks_math').map((w) => [w.config, w.rows]));
    expect(math).toEqual({ algebra: 1187, counting_and_probability: 474, geometry: 479, intermediate_algebra: 903, number_theory: 540, prealgebra: 871, precalculus: 546 });
  });

  test('the MATH JSONL copy holds the same 5000 problems', () => {
    const alt = tempDir('mathjsonl');
    try {
      const { written: w } = importDataset('math-json', join(shared, 'hendrycks_math', 'test.jsonl'), alt.path);
      expect(Object.fromEntries(w.map((s) => [s.config, s.rows]))).toEqual({ algebra: 1187, counting_and_probability: 474, geometry: 479, intermediate_algebra: 903, number_theory: 540, prealgebra: 871, precalculus: 546 });
    } finally {
      alt.remove();
    }
  });
});
